"""What a question kind owns: its prompt, its choices, how it reads input, and how it renders.

Free text is the kind every question has today; a yes/no, a scale or a single choice is a new
class and one row in :data:`bot.conversation.kinds.KINDS`, and the consultation file names it
(``kind = "..."`` on a question). The question's step (:mod:`bot.conversation.steps.answers`)
does the rest: the question's heading, skipping, going on, and the summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from bot.conversation.context import Ctx
    from bot.conversation.events import Choice
    from bot.conversation.session import Answer


class QuestionKind:
    """A kind of question; subclasses say how theirs is asked, read and rendered.

    Its own choice ids must differ from the buttons every question has (``next``, ``skip``,
    ``replace``, ``more``, ``rest``, ``original``: :class:`bot.conversation.names.Pick`), and
    stay short (:data:`bot.conversation.names.MAX_ID_BYTES`).
    """

    name: ClassVar[str]
    """How the consultation file names the kind (``kind = "text"``)."""
    free_text: ClassVar[bool] = False
    """Typed text is the answer (and may come in several messages); otherwise a typed number
    or label picks one of the kind's choices."""

    def prompt(self, ctx: Ctx, answer: Answer | None) -> str:
        """What to do, said under the question (with the answer so far, if any)."""
        raise NotImplementedError

    def choices(self, ctx: Ctx, answer: Answer | None, *, answered: bool) -> list[Choice]:
        """The kind's own buttons; the question adds «Neste», «Hopp over» and the like."""
        return []

    def take_text(self, ctx: Ctx, answer: Answer, raw: str, message_ref: str | None) -> bool:
        """Read typed text into ``answer``; ``False`` (and say why) when it cannot be used."""
        raise NotImplementedError

    def take_choice(self, ctx: Ctx, answer: Answer, choice: str) -> bool:
        """Read one of the kind's own choices into ``answer``; ``False`` when not taken."""
        return False

    def is_answered(self, answer: Answer | None) -> bool:
        """Whether ``answer`` answers the question."""
        return bool(answer and answer.text)

    def render_answer(self, value: str, lang: str) -> str:
        """The answer as people read it.

        In the summary ``lang`` is the person's language; in the ministry's e-mail, the
        exports and the compilation it is ``"nb"``.
        """
        raise NotImplementedError
