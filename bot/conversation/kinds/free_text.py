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
    """Typed text, in parts that join as paragraphs.

    Back at an answered question, typed text replaces the answer (people retype the whole
    corrected answer); «Legg til» makes it join the answer instead, and «Erstatt svaret»
    removes it at once. The screen says which of the two typing will do.
    """

    name = "text"
    free_text = True

    def prompt(self, ctx: Ctx, answer: Answer | None) -> str:
        """The answer so far and what typing does to it now, or how to answer."""
        if not (answer and answer.text):
            return ctx._("Skriv svaret ditt. Trenger du eksempler, skriv /hjelp.")
        if adds_to_answer(ctx):
            then = ctx._("Skriv det du vil legge til. Det kommer etter svaret du har.")
        else:
            then = ctx._(
                "Skriver du noe nå, erstatter det svaret over. "
                "Vil du heller legge til, velg «Legg til»."
            )
        return so_far(ctx, answer.text) + "\n\n" + then

    def choices(self, ctx: Ctx, answer: Answer | None, *, answered: bool) -> list[Choice]:
        """Once answered: replace the answer, or add to it.

        The same two in either mode, so a button pressed on the message before stays valid.
        """
        if not answered:
            return []
        return [
            Choice(Pick.REPLACE, ctx._("Erstatt svaret")),
            Choice(Pick.ADD, ctx._("Legg til")),
        ]

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
    """The start of an answer shown again (what typing does to it is said after it)."""
    short = text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1].rstrip() + "…"
    return ctx._("Svaret ditt så langt:") + "\n" + ctx._("«{text}»").format(text=short)


def adds_to_answer(ctx: Ctx) -> bool:
    """Whether typed text at the current step joins its answer («Legg til» was chosen)."""
    return ctx.s.adding_to is not None and ctx.s.adding_to == ctx.s.step
