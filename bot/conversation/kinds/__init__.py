"""Question kinds: how a question is asked, read and rendered, one class per kind.

:data:`KINDS` is the registry; the consultation file names a kind per question (``kind``,
default ``"text"``), and ``innspill check`` refuses a name that is not in it. Adding a kind is
one module here and one row below; see ``tests/conversation/test_question_kinds.py``, which
adds a yes/no kind from the test alone.
"""

from __future__ import annotations

from bot.conversation.kinds.free_text import FreeText
from bot.conversation.kinds.question_kind import QuestionKind
from bot.conversation.submission import SubmissionAnswer
from bot.i18n.languages import SOURCE

FREE_TEXT = FreeText()

KINDS: dict[str, QuestionKind] = {
    FREE_TEXT.name: FREE_TEXT,
}
"""Every kind a question may be, by the name the consultation file uses."""


def kind_of(name: str) -> QuestionKind:
    """The kind called ``name``; free text for a name no longer known (a stored submission)."""
    return KINDS.get(name, FREE_TEXT)


def rendered(answer: SubmissionAnswer, lang: str = SOURCE) -> str | None:
    """A submitted answer as staff read it (``None`` when there is none), through its kind."""
    if not answer.answer:
        return None
    return kind_of(answer.answer_kind).render_answer(answer.answer, lang)


__all__ = ["FREE_TEXT", "KINDS", "QuestionKind", "kind_of", "rendered"]
