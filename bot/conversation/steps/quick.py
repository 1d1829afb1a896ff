"""The quick path's input: a finished text pasted in, documents sent, or both."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import flow
from bot.conversation.attaching import paste_or_send
from bot.conversation.context import Ctx
from bot.conversation.events import Choice
from bot.conversation.kinds.free_text import adds_to_answer, so_far
from bot.conversation.names import Pick, Step, StepId
from bot.conversation.navigation import advance, goto
from bot.conversation.steps.answers import AnswerStep
from bot.i18n.catalogs import N_

ADD_PROMPT = N_("Skriv eller lim inn det du vil legge til. Det kommer etter teksten du har.")
"""What to type after choosing to add to the quick path's text."""


class Quick(AnswerStep):
    """Paste the text or send the document(s); then straight to the summary."""

    id = Step.QUICK

    def label(self, ctx: Ctx) -> str:
        """The person's input."""
        return ctx._("Innspillet ditt")

    def text(self, ctx: Ctx) -> str:
        """What to send, and the text so far."""
        text = paste_or_send(ctx)  # how a document is sent depends on the channel
        answer = self.given(ctx)
        if answer and answer.text:
            text += "\n\n" + so_far(ctx, answer.text) + "\n\n"
            if adds_to_answer(ctx):
                text += ctx._(ADD_PROMPT)
            else:
                text += ctx._(
                    "Skriver du noe nå, erstatter det teksten over. "
                    "Vil du heller legge til, velg «Legg til mer tekst»."
                )
        return text

    def is_answered(self, ctx: Ctx) -> bool:
        """A text, or at least one document."""
        answer = self.given(ctx)
        return bool(answer and answer.text) or bool(ctx.s.attachments)

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Pasted text is changed explicitly: replaced, added to, or kept as it is."""
        _, s = ctx._, ctx.s
        answer = self.given(ctx)
        if not (answer and answer.text):
            answered = self.is_done(ctx) and self.id not in s.skipped
            return [Choice(Pick.NEXT, _("Ferdig ➡️"))] if answered else []
        return [
            Choice(Pick.REPLACE, _("Erstatt teksten")),
            Choice(Pick.ADD, _("Legg til mer tekst")),
            Choice(Pick.NEXT, _("Behold teksten ➡️")),
        ]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Replace the text, add to it, or go on."""
        buttons: dict[str, Callable[[Ctx], None]] = {
            Pick.NEXT: advance,
            Pick.REPLACE: self.replace,
            Pick.ADD: add_text,
        }
        buttons[choice](ctx)

    def replace(self, ctx: Ctx) -> None:
        """The text is removed; the next text (or document) is the input."""
        ctx.s.answers.pop(self.id, None)
        ctx.s.adding_to = None
        ctx.s.personal_data_acknowledged = False
        ctx.say(ctx._("Teksten er fjernet. Lim inn den nye teksten, eller send et dokument."))

    def after_answer(self, ctx: Ctx) -> None:
        """Text on the quick path goes straight to the summary."""
        goto(ctx, flow.SUMMARY)

    def after_documents(self, ctx: Ctx) -> None:
        """Documents too."""
        goto(ctx, flow.SUMMARY)

    def caption_step(self, ctx: Ctx) -> StepId | None:
        """A caption joins the text."""
        return self.id

    def summarise(self, ctx: Ctx) -> list[str]:
        """The text; when the input is only documents, they are listed below instead."""
        answer = self.given(ctx)
        if answer and answer.text:
            return ["", f"▪️ {self.heading(ctx)}", answer.text]
        if ctx.s.attachments:
            return []
        return ["", f"▪️ {self.heading(ctx)}", ctx._("(ingen tekst)")]


def add_text(ctx: Ctx) -> None:
    """The quick path's text is added to on purpose: the next text joins it."""
    ctx.s.step = flow.QUICK
    ctx.s.adding_to = flow.QUICK
    ctx.say(ctx._(ADD_PROMPT))


QUICK = Quick()
