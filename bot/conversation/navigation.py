"""Moving between steps: show, go to, go on, start over, come back from a confirmation.

Every step object moves through these, so a move always shows the new step.

What a step does on "skip" and "back" is the step's own (:mod:`bot.conversation.steps.base`);
the order of steps is :mod:`bot.conversation.flow`'s.
"""

from __future__ import annotations

from datetime import datetime

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.context import Ctx
from bot.conversation.events import ForgetAttachments
from bot.conversation.names import Pick, Step, StepId
from bot.conversation.session import Session
from bot.i18n.languages import SOURCE


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


def show(ctx: Ctx, *, replace_previous: bool = False) -> None:
    """Show the current step: its text and its choices. Changes nothing in the session."""
    ctx.here.show(ctx, replace_previous=replace_previous)


def goto(ctx: Ctx, step: StepId) -> None:
    """Make ``step`` the current step and show it."""
    s = ctx.s
    if step == flow.SUMMARY:
        s.editing_from_summary = False
    if s.adding_to is not None and s.adding_to != step:
        s.adding_to = None  # «Legg til» holds at the answer it was chosen at, until one leaves
    s.step = step
    show(ctx)


def advance(ctx: Ctx) -> None:
    """Go on to the next step of the person's path."""
    goto(ctx, flow.next_step(ctx))


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
    s, here = ctx.s, ctx.here
    if not here.confirms:
        s.return_step = s.step
    elif here.belongs_to is not None:
        s.return_step = here.belongs_to  # the edit menu belongs to the summary
    elif s.return_step is None or ctx.step(s.return_step).confirms:
        s.return_step = from_confirmation


def return_from_confirmation(ctx: Ctx, default: Step) -> None:
    """Leave a confirmation step for where the person came from (``default`` if unknown)."""
    back_to = ctx.s.return_step or default
    ctx.s.return_step = None
    goto(ctx, back_to)


def enter_flow(ctx: Ctx, chosen: str) -> None:
    """Begin the guided or the quick path."""
    ctx.s.flow = "quick" if chosen == Pick.QUICK and ctx.c.quick_path else "guided"
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
