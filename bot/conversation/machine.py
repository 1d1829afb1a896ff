"""``step()``: the whole conversation as a pure function of (consultation, session, event).

No I/O, no clock, no randomness: time and fresh ids arrive with the event, and everything the
caller must do (store a submission, delete data) comes back as an effect. Each kind of event
has its own module, which hands it to the current step's object (:mod:`.steps.registry`);
this one only dispatches.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.choices import on_choice
from bot.conversation.commands import command_named, is_start, on_command, parse_command
from bot.conversation.context import Ctx, Limits
from bot.conversation.documents import on_documents
from bot.conversation.events import (
    ChoiceEvent,
    CommandEvent,
    DocumentEvent,
    EditEvent,
    Event,
    Outcome,
    TextEvent,
    UnsupportedEvent,
)
from bot.conversation.navigation import new_session
from bot.conversation.session import Session
from bot.conversation.steps.registry import steps_of
from bot.conversation.typed_text import on_edit, on_text
from bot.conversation.unsupported import on_unsupported

__all__ = ["WELCOME_BACK_AFTER", "new_session", "step"]

WELCOME_BACK_AFTER = timedelta(hours=12)
"""A pause this long earns a "welcome back" before the reply, so the person is not lost."""


def _text_or_command(ctx: Ctx, event: TextEvent) -> None:
    command = parse_command(event.text)
    if command:
        on_command(ctx, *command)
    else:
        on_text(ctx, event)


_HANDLERS: dict[type[Any], Callable[[Ctx, Any], None]] = {
    TextEvent: _text_or_command,
    CommandEvent: lambda ctx, e: on_command(ctx, command_named(e.name), e.arg),
    ChoiceEvent: lambda ctx, e: on_choice(ctx, e.step, e.choice),
    DocumentEvent: on_documents,
    EditEvent: on_edit,
    UnsupportedEvent: lambda ctx, e: on_unsupported(ctx, e.kind),
}
"""Each kind of event and the module that handles it."""


_DEFAULT_LIMITS = Limits()


def step(
    c: Consultation, session: Session, event: Event, *, limits: Limits | None = None
) -> Outcome:
    """Apply one event to a session; return the new session, the replies and the effects."""
    s = session.working_copy(seq=session.seq + 1, updated_at=event.at)
    ctx = Ctx(c=c, s=s, event=event, limits=limits or _DEFAULT_LIMITS, steps=steps_of(c))
    flow.repair(ctx)
    if _returning(ctx, session, event):
        ctx.say(ctx._("Velkommen tilbake! Svarene dine er lagret, og vi fortsetter der du slapp."))
    _HANDLERS[type(event)](ctx, event)
    if ctx.notice_told:
        ctx.s.notice_shown = True  # what the screens said, noted once they are said
    return Outcome(ctx.s, ctx.replies, ctx.effects)


def _returning(ctx: Ctx, session: Session, event: Event) -> bool:
    """Someone writes again after a long pause, in the middle of a draft (not via /start)."""
    paused = event.at - session.updated_at >= WELCOME_BACK_AFTER
    mid_draft = session.status == "draft" and ctx.step(session.step).in_draft
    return paused and mid_draft and session.has_content and not _is_start(event)


def _is_start(event: Event) -> bool:
    if isinstance(event, CommandEvent):
        return is_start(command_named(event.name))
    command = parse_command(event.text) if isinstance(event, TextEvent) else None
    return command is not None and is_start(command[0])
