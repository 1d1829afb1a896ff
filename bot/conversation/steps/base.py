"""What every step does unless its family says otherwise.

A step object owns its text, its choices, how it reads typed text and a picked choice, and,
where it matters, whether it is done, whether it may be skipped and what "back" means there.
The families are the modules beside this one; :mod:`bot.conversation.steps.registry` maps each
step id to its object.
"""

from __future__ import annotations

from typing import ClassVar

from bot.conversation import flow
from bot.conversation.context import Ctx
from bot.conversation.events import Choice, TextEvent
from bot.conversation.names import Step, StepId
from bot.conversation.navigation import advance, goto, return_from_confirmation, show


def not_here(ctx: Ctx) -> None:
    """Text where a choice is expected: say so, and show the step again."""
    ctx.say(ctx._("Velg et av alternativene under, eller skriv /hjelp."))
    show(ctx)


class BaseStep:
    """A step that shows a text and takes nothing; every family overrides what it does."""

    id: StepId
    """The step's id (stored in sessions and carried by buttons)."""
    answer: ClassVar[bool] = False
    """An answer to the consultation (a theme, a question, the quick path's text): listed in
    the summary, sent to the ministry, and counted in the status."""
    confirms: ClassVar[bool] = False
    """Asks something, then goes back to where the person came from (``return_step``)."""
    belongs_to: ClassVar[Step | None] = None
    """Where a confirmation asked from here comes back to, when not here (the edit menu
    belongs to the summary)."""
    in_draft: ClassVar[bool] = True
    """Part of writing a draft: documents are taken here, and a long pause is greeted. Not so
    the welcome, the question whether to resume, or the receipt after sending."""

    @property
    def free_text(self) -> bool:
        """Whether typed text is the answer here, rather than a choice typed by number or label.

        A front end that numbers its choices (the terminal) still picks them by number.
        """
        return False

    def label(self, ctx: Ctx) -> str:
        """A short name for the step, for the status, the edit menu and "Du var her"."""
        return ctx._("Der du slapp")  # a step id is for the machine, never for the person

    def text(self, ctx: Ctx) -> str:
        """What the step asks or says."""
        return ctx._("Hvor vil du fortsette?")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """The choices offered here (empty where text is typed without buttons)."""
        return []

    def show(self, ctx: Ctx, *, replace_previous: bool = False) -> None:
        """Say the step's text with its choices; the session is left as it is."""
        ctx.say(self.text(ctx), self.choices(ctx), replace_previous=replace_previous)

    def accepts(self, ctx: Ctx) -> set[str]:
        """The choices a press may name here; anything else is an old button."""
        return {choice.id for choice in self.choices(ctx)}

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """A choice this step accepts was picked."""

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """Typed text that is neither a command nor one of the choices."""
        not_here(ctx)

    def is_answered(self, ctx: Ctx) -> bool:
        """Whether the person has given what this step asks for."""
        return False

    def is_done(self, ctx: Ctx) -> bool:
        """Answered, or deliberately skipped."""
        return self.id in ctx.s.skipped or self.is_answered(ctx)

    def is_skippable(self, ctx: Ctx) -> bool:
        """Whether the person may go on without answering."""
        return False

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """Whether a person may be here though their path does not list this step.

        So may a confirmation, or a detail added from the summary; a stored session at any
        other step off the path is moved to the first open step.
        """
        return False

    def help(self, ctx: Ctx) -> str | None:
        """Help for this step, before the commands /hjelp lists."""
        return None

    def caption_step(self, ctx: Ctx) -> StepId | None:
        """The answer a document's caption joins here (``None``: the caption is dropped)."""
        return None

    def after_documents(self, ctx: Ctx) -> None:
        """After documents were taken: what to show next."""
        show(ctx)

    def on_skip(self, ctx: Ctx) -> None:
        """/hopp: skip this step if it may be skipped, and go on."""
        s = ctx.s
        if not self.is_skippable(ctx):
            ctx.say(ctx._("Dette spørsmålet må du svare på for å gå videre."))
            show(ctx)
            return
        if not self.is_done(ctx) and s.step not in s.skipped:
            s.skipped.append(s.step)
        advance(ctx)

    def on_back(self, ctx: Ctx) -> None:
        """/tilbake: to the previous step of the path."""
        s = ctx.s
        previous = flow.previous_step(ctx.c, s)
        if previous is None:
            ctx.say(ctx._("Du er på det første spørsmålet."))
            show(ctx)
            return
        s.editing_from_summary = False
        goto(ctx, previous)


class Confirmation(BaseStep):
    """A question asked on the way: cancel, delete, language, resume, the edit menu.

    "Back" leaves it for where the person was.
    """

    confirms = True

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """A confirmation is asked from anywhere."""
        return True

    def on_back(self, ctx: Ctx) -> None:
        """/tilbake: back where the person came from (the summary if that is unknown)."""
        return_from_confirmation(ctx, flow.SUMMARY)
