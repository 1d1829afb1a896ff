"""After sending: the reference, and a way to send another."""

from __future__ import annotations

from bot.conversation.context import Ctx
from bot.conversation.events import Choice, TextEvent
from bot.conversation.names import Pick, Step
from bot.conversation.navigation import show, start_over
from bot.conversation.steps.base import BaseStep


class Done(BaseStep):
    """The submission is sent; the session keeps only its reference."""

    id = Step.DONE
    in_draft = False

    def text(self, ctx: Ctx) -> str:
        """The reference number."""
        return ctx._("Innspillet ditt er sendt. Referansenummer: {reference}.").format(
            reference=ctx.s.reference
        )

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Another submission."""
        return [Choice(Pick.NEW, ctx._("Send et nytt innspill"))]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """A new draft, from the welcome."""
        start_over(ctx)
        ctx.s.step = Step.START
        show(ctx)

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """Nothing more can join what was sent."""
        ctx.say(
            ctx._("Innspillet ditt er allerede sendt (referanse {reference}).").format(
                reference=ctx.s.reference
            )
        )
        show(ctx)

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """The end of every path."""
        return True
