"""Text the person writes, before the step reads it; and edits of earlier messages.

What is shared by every step lives here: empty text, text that continues an earlier answer
(sent before the next question appeared), and a choice typed by its number or label. Anything
else goes to the current step (:meth:`bot.conversation.steps.base.BaseStep.on_text`).
"""

from __future__ import annotations

from bot.conversation.choices import on_choice
from bot.conversation.context import Ctx
from bot.conversation.events import EditEvent, TextEvent
from bot.conversation.matching import match_choice
from bot.conversation.names import Step, StepId, step_id
from bot.conversation.navigation import show
from bot.conversation.steps.answers import AnswerStep
from bot.conversation.values import clean_answer


def on_text(ctx: Ctx, event: TextEvent) -> None:
    """Text that is not a command."""
    raw = event.text
    if not raw.strip():
        ctx.say(ctx._("Jeg fikk ingen tekst. Skriv svaret ditt, eller velg under."))
        show(ctx)
        return
    earlier = _continued(ctx, event)
    if earlier is not None:
        earlier.continue_answer(ctx, raw, event.message_ref)
        return
    here = ctx.here
    if not here.free_text or event.numbered_choices:
        # A typed number or label ("2", "privatperson") picks that choice; where an answer is
        # expected only a front end that shows numbered choices (the terminal) means it so.
        choice = match_choice(raw, here.choices(ctx))
        if choice is not None:
            on_choice(ctx, ctx.s.step, choice.id)
            return
    here.on_text(ctx, event)


def _continued(ctx: Ctx, event: TextEvent) -> AnswerStep | None:
    """The earlier answer this text continues, if it came right after that answer's last part.

    Only a draft's answers other than the current step's count: at the current step, text
    joins the answer anyway.
    """
    s = ctx.s
    if not event.follows_ref or s.status != "draft":
        return None
    for step, answer in s.answers.items():
        if step != s.step and answer.parts and answer.parts[-1].message_ref == event.follows_ref:
            target = ctx.step(step)
            if isinstance(target, AnswerStep) and target.free_text:
                return target
    return None


def on_edit(ctx: Ctx, event: EditEvent) -> None:
    """An edited message updates the answer part it was, wherever that answer is."""
    s, _ = ctx.s, ctx._
    for step, answer in s.answers.items():
        for part in answer.parts:
            if part.message_ref == event.message_ref:
                part.text = clean_answer(event.text)
                s.personal_data_acknowledged = False
                ctx.say(
                    _("Jeg har oppdatert svaret ditt på «{where}».").format(
                        where=_label(ctx, step_id(step))
                    )
                )
                return
    if s.status == "submitted" and s.step == Step.DONE:
        ctx.say(_("Innspillet er allerede sendt, så endringen kommer ikke med."))
        return
    ctx.say(
        _("Endringen gjelder ikke et svar jeg har lagret. Skriv det nye svaret som en ny melding.")
    )


def _label(ctx: Ctx, step: StepId) -> str:
    return ctx.step(step).label(ctx)
