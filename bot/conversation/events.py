"""What goes into the engine (events) and what comes out (replies and effects).

Front ends turn their input into these events and render these replies; the engine never sees
a Telegram update or a terminal line. Time and fresh ids arrive with the event, so the engine
has no clock and no randomness of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.conversation.session import Session
from bot.conversation.submission import Submission


@dataclass(frozen=True, kw_only=True)
class _Event:
    at: datetime
    """When the event happened (timezone-aware)."""
    fresh_id: str = ""
    """A new random id the engine may use if this event starts a new draft."""


@dataclass(frozen=True, kw_only=True)
class TextEvent(_Event):
    """The person wrote something."""

    text: str
    message_ref: str | None = None
    """The front end's id for the message, so a later edit can find the answer it belongs to."""
    numbered_choices: bool = False
    """The front end shows choices as numbered lines (the terminal): a typed number or label
    picks a choice even where an answer is expected."""
    follows_ref: str | None = None
    """The ref of the message right before this one in the chat, when the front end knows it.
    If that was the last part of an answer, nothing was shown in between: the person sent
    this before seeing the next question (a long text split by the app), so it continues
    that answer."""


@dataclass(frozen=True, kw_only=True)
class EditEvent(_Event):
    """The person edited an earlier message."""

    message_ref: str
    text: str


@dataclass(frozen=True, kw_only=True)
class ChoiceEvent(_Event):
    """The person picked a choice (a button, a number or a label in the terminal)."""

    step: str
    """The step the choice was offered at; a choice from an older step is refused."""
    choice: str


@dataclass(frozen=True, kw_only=True)
class CommandEvent(_Event):
    """A command such as /tilbake; ``name`` is canonical (see :mod:`bot.conversation.commands`)."""

    name: str
    arg: str = ""


DocumentProblem = Literal["too_large", "unsupported_type", "download_failed"]


@dataclass(frozen=True)
class IncomingDocument:
    """A document as the front end received it; stored already when ``attachment_id`` is set."""

    file_name: str
    mime_type: str
    size: int
    attachment_id: str | None = None
    problem: DocumentProblem | None = None
    text: str | None = None
    """The document's text, read by the service at upload (``None``: not readable), so the
    engine can check it for personal data like typed text."""


@dataclass(frozen=True, kw_only=True)
class DocumentEvent(_Event):
    """One or more documents (an album arrives as one event)."""

    documents: tuple[IncomingDocument, ...]
    caption: str | None = None
    """Text sent with the document(s); it joins the answer like any other message."""


@dataclass(frozen=True, kw_only=True)
class UnsupportedEvent(_Event):
    """Input the engine cannot use where text is expected: sticker, photo, voice and the like."""

    kind: str


Event = TextEvent | EditEvent | ChoiceEvent | CommandEvent | DocumentEvent | UnsupportedEvent


@dataclass(frozen=True)
class Choice:
    """A button (Telegram) or a numbered line (terminal)."""

    id: str
    label: str
    selected: bool | None = None
    """For multi-select toggles: whether it is on; ``None`` for a plain button."""


@dataclass(frozen=True)
class Reply:
    """One message to show the person."""

    text: str
    choices: tuple[Choice, ...] = ()
    step: str | None = None
    """The step the choices belong to; front ends put it in the callback data."""
    replace_previous: bool = False
    """Update the message whose button was pressed instead of sending a new one (toggles)."""


@dataclass(frozen=True)
class Submit:
    """Effect: the draft is complete and confirmed; store it and queue the e-mail(s)."""

    submission: Submission


@dataclass(frozen=True)
class DeleteAllData:
    """Effect: the person asked to delete everything stored about them."""


@dataclass(frozen=True)
class ForgetAttachments:
    """Effect: these stored attachments are no longer part of any draft; delete them."""

    attachment_ids: tuple[str, ...]


Effect = Submit | DeleteAllData | ForgetAttachments


@dataclass(frozen=True)
class Outcome:
    """The result of one step: the new session, what to say, and what the caller must do."""

    session: Session
    replies: list[Reply]
    effects: list[Effect] = field(default_factory=list)
