"""Free text: the answer is what the person writes, in one message or several."""

from __future__ import annotations

from bot.conversation.context import Ctx
from bot.conversation.events import Choice
from bot.conversation.kinds.question_kind import QuestionKind
from bot.conversation.kinds.too_long import fit, say_cut, say_full
from bot.conversation.names import Pick
from bot.conversation.session import Answer, AnswerPart
from bot.conversation.values import clean_answer

QUOTED_CHARS = 300
"""How much of an answer is shown again under its question, so the question stays short."""


class FreeText(QuestionKind):
    """Typed text, in parts that join as paragraphs; «Skriv nytt svar» starts it again."""

    name = "text"
    free_text = True

    def prompt(self, ctx: Ctx, answer: Answer | None) -> str:
        """The answer so far and how to add to it, or how to answer."""
        if answer and answer.text:
            return so_far(ctx, answer.text)
        return ctx._("Skriv svaret ditt. Trenger du eksempler, skriv /hjelp.")

    def choices(self, ctx: Ctx, answer: Answer | None, *, answered: bool) -> list[Choice]:
        """Once answered: write a new answer instead of adding to this one."""
        return [Choice(Pick.REPLACE, ctx._("Skriv nytt svar"))] if answered else []

    def take_text(self, ctx: Ctx, answer: Answer, raw: str, message_ref: str | None) -> bool:
        """Add a part, up to the answer's limit (:mod:`bot.conversation.kinds.too_long`).

        What does not fit is cut off, the person is told, and the answer is full from then
        on: the next part of a split paste would otherwise follow the cut with a gap. When
        nothing fits, nothing is kept and ``False`` is returned; the refused part still notes
        its message, with no text, so the parts after it are known to continue this answer
        instead of becoming the answer to the next question.
        """
        text = clean_answer(raw)
        used = len(answer.text)
        room = ctx.limits.max_answer_chars - used - (2 if used else 0)  # parts join with \n\n
        if answer.cut or len(text) > room:
            kept = "" if answer.cut else fit(text, room)
            if not kept:
                say_full(ctx, text)
                answer.parts.append(AnswerPart(text="", message_ref=message_ref))
                return False
            say_cut(ctx, kept, len(text))
            text = kept
            answer.cut = True
        answer.parts.append(AnswerPart(text=text, message_ref=message_ref))
        ctx.s.personal_data_acknowledged = False
        return True

    def render_answer(self, value: str, lang: str) -> str:
        """The text as written."""
        return value


def so_far(ctx: Ctx, text: str) -> str:
    """The start of an answer shown again, and how to add to it."""
    short = text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1].rstrip() + "…"
    return (
        ctx._("Svaret ditt så langt:")
        + "\n"
        + ctx._("«{text}»").format(text=short)
        + "\n\n"
        + ctx._("Skriv mer for å legge til, eller velg under.")
    )
