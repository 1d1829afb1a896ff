"""Moving between steps: go to a step, go on, go back, or start over.

Every other handler moves through these, so a move always shows the new step.
"""

from __future__ import annotations

from datetime import datetime

from bot.consultation.model import Consultation
from bot.conversation import flow, prompts, screens
from bot.conversation.context import Ctx
from bot.conversation.events import ForgetAttachments
from bot.conversation.names import Step, StepId
from bot.conversation.session import Session
from bot.i18n.languages import SOURCE

CONFIRM_STEPS = (flow.CANCEL, flow.DELETE, flow.LANGUAGE, flow.RESUME, flow.EDIT)
"""Steps that ask something and then go back to ``return_step``."""


def new_session(
    c: Consultation, *, user_id: str, draft_id: str, lang: str, at: datetime, lang_confirmed: bool
) -> Session:
    """A fresh session for someone we have not met (or who starts over)."""
    return Session(
        user_id=user_id,
        consultation_id=c.id,
        draft_id=draft_id,
        lang=lang if lang in c.languages else SOURCE,
        lang_confirmed=lang_confirmed,
        started_at=at,
        updated_at=at,
    )


def goto(ctx: Ctx, step: StepId) -> None:
    """Make ``step`` the current step and show it."""
    if step == flow.SUMMARY:
        ctx.s.editing_from_summary = False
    ctx.s.step = step
    screens.show(ctx)


def advance(ctx: Ctx) -> None:
    """Go on to the next step of the person's path."""
    goto(ctx, flow.next_step(ctx.c, ctx.s))


def confirm(ctx: Ctx, step: Step, *, from_confirmation: Step) -> None:
    """Ask ``step`` (a confirmation); afterwards go back where the person was.

    Asked from another confirmation, the way back is ``from_confirmation`` instead, so two
    questions never send each other back and forth.
    """
    remember_return(ctx, from_confirmation)
    goto(ctx, step)


def remember_return(ctx: Ctx, from_confirmation: Step) -> None:
    """Note where to come back to before leaving for a confirmation.

    From another confirmation, the place noted before it stays (a second /start, or /start
    after /avbryt, must still lead back to the question the person was at); the confirmation
    screens themselves are never noted, so two of them cannot send each other back and forth.
    """
    s = ctx.s
    if s.step not in CONFIRM_STEPS:
        s.return_step = s.step
    elif s.step == flow.EDIT:
        s.return_step = flow.SUMMARY  # the edit menu belongs to the summary
    elif s.return_step is None or s.return_step in CONFIRM_STEPS:
        s.return_step = from_confirmation


def return_from_confirmation(ctx: Ctx, default: Step) -> None:
    """Leave a confirmation step for where the person came from (``default`` if unknown)."""
    back_to = ctx.s.return_step or default
    ctx.s.return_step = None
    goto(ctx, back_to)


def enter_flow(ctx: Ctx, chosen: str) -> None:
    """Begin the guided or the quick path."""
    ctx.s.flow = "quick" if chosen == prompts.QUICK and ctx.c.quick_path else "guided"
    goto(ctx, flow.TYPE)


def start_over(ctx: Ctx) -> None:
    """Drop the draft (its attachments too) and begin a new one with the same language."""
    old = ctx.s
    if old.attachments:
        ctx.effects.append(ForgetAttachments(tuple(a.id for a in old.attachments)))
    ctx.s = fresh_session(ctx, ctx.event.fresh_id or old.draft_id)


def fresh_session(ctx: Ctx, draft_id: str) -> Session:
    """An empty draft that remembers only the language, the notice and the last reference."""
    old = ctx.s
    fresh = new_session(
        ctx.c,
        user_id=old.user_id,
        draft_id=draft_id,
        lang=old.lang,
        at=ctx.event.at,
        lang_confirmed=old.lang_confirmed,
    )
    fresh.seq = old.seq
    fresh.notice_shown = old.notice_shown
    fresh.reference = old.reference
    fresh.submitted_at = old.submitted_at
    return fresh


def unskip(s: Session, step: StepId) -> None:
    """``step`` is answered after all: it no longer counts as skipped."""
    if step in s.skipped:
        s.skipped.remove(step)


def skip(ctx: Ctx) -> None:
    """Skip the current step if it may be skipped, and go on."""
    s, _ = ctx.s, ctx._
    if s.step == flow.SUMMARY:
        ctx.say(
            _("Du er på siste steg, så her er det ikke noe å hoppe over.")
            + " "
            + _("Trykk «Send inn» for å sende, eller «Endre noe» for å rette."),
            prompts.choices_for(ctx),
        )
        return
    if not prompts.is_skippable(ctx):
        ctx.say(_("Dette spørsmålet må du svare på for å gå videre."))
        screens.show(ctx)
        return
    if s.step == flow.MUNICIPALITY_PICK:
        s.step = flow.MUNICIPALITY
        s.municipality_candidates = []
    if not flow.is_done(ctx.c, s, s.step) and s.step not in s.skipped:
        s.skipped.append(s.step)
    advance(ctx)


def skip_rest(ctx: Ctx) -> None:
    """Skip this question and every open one after it, and show the summary."""
    s = ctx.s
    steps = flow.sequence(ctx.c, s)
    for step in steps[steps.index(s.step) : -1]:
        if not flow.is_done(ctx.c, s, step) and prompts.is_skippable(ctx, step):
            s.skipped.append(step)
    goto(ctx, flow.SUMMARY)


def add_more(ctx: Ctx) -> None:
    """Back to the answer just given, to add to it; the next typed part moves on again."""
    previous = prompts.previous_answer(ctx)
    if previous is None:
        screens.show(ctx)
        return
    goto(ctx, previous)


def back(ctx: Ctx) -> None:
    """One step back: out of a confirmation, or to the previous step of the path."""
    s, _ = ctx.s, ctx._
    if s.step == flow.PERSONAL_DATA:
        s.return_step = None
        goto(ctx, flow.SUMMARY)
        return
    if s.step in CONFIRM_STEPS:
        return_from_confirmation(ctx, flow.SUMMARY)
        return
    previous = flow.previous_step(ctx.c, s)
    if previous is None:
        ctx.say(_("Du er på det første spørsmålet."))
        screens.show(ctx)
        return
    s.editing_from_summary = False
    goto(ctx, previous)
