"""A choice the person picked (a button, or a typed number or label), before the step reads it.

A choice is only taken at the step it was offered at, and only if that step still offers it;
a button from an older message is answered politely and changes nothing. The step itself
decides what the choice does (:meth:`bot.conversation.steps.base.BaseStep.on_choice`).
"""

from __future__ import annotations

from bot.conversation import flow
from bot.conversation.context import Ctx
from bot.conversation.navigation import show


def on_choice(ctx: Ctx, step: str, choice: str) -> None:
    """Apply ``choice``, offered at ``step``, if that is still the question on screen."""
    here = ctx.here
    if step != ctx.s.step or choice not in here.accepts(ctx):
        _stale(ctx, step)
        return
    here.on_choice(ctx, choice)


def _stale(ctx: Ctx, step: str) -> None:
    s, _ = ctx.s, ctx._
    if s.step == flow.DONE and step in (flow.SUMMARY, flow.PERSONAL_DATA):
        ctx.say(
            _("Innspillet ditt er allerede sendt (referanse {reference}).").format(
                reference=s.reference
            )
        )
        return
    ctx.say(_("Den knappen gjelder et tidligere spørsmål. Her er du nå:"))
    show(ctx)
