"""Plain row types that cross the storage boundary; no SQL here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

OutboxKind = Literal["ministry", "receipt"]
OutboxStatus = Literal["pending", "sending", "sent", "failed"]
OUTBOX_STATUSES: tuple[OutboxStatus, ...] = ("pending", "sending", "sent", "failed")


@dataclass(frozen=True)
class NewAttachment:
    """Bytes received from the person, stored as soon as they arrive.

    Storing them at once means delivery never needs the chat service to be reachable.
    """

    id: str
    user_id: str
    draft_id: str
    file_name: str
    mime_type: str
    data: bytes
    text: str | None = None
    """The document's text as read at upload, for staff (``None``: none was found)."""
    text_state: str | None = None
    """``read``, ``cut``, ``empty`` or ``unreadable`` (see :mod:`bot.service.document_text`)."""
    sha256: str | None = None


@dataclass(frozen=True)
class StoredDocument:
    """What staff tools read of a submitted document: never its bytes, only its text and sum."""

    attachment_id: str
    sha256: str | None
    """``None`` only for a document stored before checksums were kept."""
    text: str | None
    text_state: str | None
    """``None`` for a document stored before its text was kept."""


@dataclass(frozen=True)
class ErasedSubmission:
    """A delivered submission its sender deleted: what stays so totals match the mailbox."""

    reference: str
    received_at: datetime
    channel: str
    """``telegram``, ``web`` or ``terminal``: how it came in."""


@dataclass(frozen=True)
class OutboxItem:
    """A new message to send, written in the same transaction as its submission."""

    kind: OutboxKind
    reference: str
    recipient: str
    message_id: str
    """Fixed per message, so a resend after a crash is recognisable as the same message."""
    lang: str


@dataclass(frozen=True)
class OutboxRecord:
    """A stored outbox message and how its delivery is going (staff and the worker read it)."""

    id: int
    kind: OutboxKind
    reference: str
    recipient: str
    message_id: str
    lang: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class DeletionReport:
    """What :meth:`bot.storage.Store.delete_user_data` did, so the person can be told plainly."""

    sessions: int
    """Conversations (drafts or finished) deleted."""
    submissions: int
    """Stored copies of submissions deleted now."""
    pending_deliveries: int
    """Submissions kept until they are delivered, then deleted automatically."""
    message_ids: tuple[str, ...] = ()
    """Message-IDs of the erased submissions' e-mails, so copies we keep (``.eml`` files)
    can go too."""
