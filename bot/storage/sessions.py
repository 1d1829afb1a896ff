"""Sessions, and the documents people upload to a draft."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from bot.conversation.session import Session
from bot.storage.connection import one, run
from bot.storage.db import to_db_time
from bot.storage.errors import StaleSessionError
from bot.storage.types import NewAttachment

NOT_IN_SUBMISSION = "id NOT IN (SELECT attachment_id FROM submission_attachments)"
"""SQL condition for an attachment no submission refers to (so it may be deleted)."""


async def load_session(
    db: aiosqlite.Connection, user_id: str, consultation_id: str
) -> Session | None:
    """The person's saved conversation, to resume exactly where they left off."""
    row = await one(
        db,
        "SELECT data FROM sessions WHERE user_id = ? AND consultation_id = ?",
        (user_id, consultation_id),
    )
    return Session.model_validate_json(row["data"]) if row else None


UPSERT_SESSION = (
    "INSERT INTO sessions (user_id, consultation_id, draft_id, status, seq, started_at,"
    " updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (user_id, consultation_id) DO UPDATE SET"
    " draft_id = excluded.draft_id, status = excluded.status, seq = excluded.seq,"
    " started_at = excluded.started_at, updated_at = excluded.updated_at,"
    " data = excluded.data"
)
"""Save a person's conversation; the parameters come from :func:`session_row`."""


def session_row(session: Session) -> tuple[str | int, ...]:
    """The parameters of :data:`UPSERT_SESSION` for ``session``."""
    return (
        session.user_id,
        session.consultation_id,
        session.draft_id,
        session.status,
        session.seq,
        to_db_time(session.started_at),
        to_db_time(session.updated_at),
        session.model_dump_json(),
    )


async def upsert_session(db: aiosqlite.Connection, session: Session) -> None:
    """Save ``session``, refusing if the stored one is not the one it was stepped from."""
    stored = await one(
        db,
        "SELECT seq FROM sessions WHERE user_id = ? AND consultation_id = ?",
        (session.user_id, session.consultation_id),
    )
    if stored is not None and stored["seq"] != session.seq - 1:
        raise StaleSessionError(
            f"session {session.user_id}/{session.consultation_id}: stored seq"
            f" {stored['seq']}, saving seq {session.seq}"
        )
    await run(db, UPSERT_SESSION, session_row(session))


INSERT_ATTACHMENT = (
    "INSERT INTO attachments (id, user_id, draft_id, file_name, mime_type, size, created_at,"
    " data, text_content, text_state, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def attachment_row(a: NewAttachment, at: str) -> tuple[object, ...]:
    """The values of :data:`INSERT_ATTACHMENT` for one uploaded document."""
    return (
        *(a.id, a.user_id, a.draft_id, a.file_name, a.mime_type, len(a.data), at, a.data),
        *(a.text, a.text_state, a.sha256),
    )


async def insert_attachment(db: aiosqlite.Connection, attachment: NewAttachment, at: str) -> None:
    """Store an uploaded document (and its text, for staff) with the step that accepted it."""
    await run(db, INSERT_ATTACHMENT, attachment_row(attachment, at))


async def forget_attachments(
    db: aiosqlite.Connection, user_id: str, attachment_ids: Sequence[str]
) -> None:
    """Delete documents the person removed from their draft (never one a submission holds)."""
    if not attachment_ids:
        return
    marks = ", ".join("?" * len(attachment_ids))
    await run(
        db,
        f"DELETE FROM attachments WHERE user_id = ? AND id IN ({marks}) AND {NOT_IN_SUBMISSION}",
        (user_id, *attachment_ids),
    )


async def attachment(db: aiosqlite.Connection, attachment_id: str) -> tuple[str, str, bytes] | None:
    """A stored document as ``(file_name, mime_type, data)``, for delivery."""
    row = await one(
        db,
        "SELECT file_name, mime_type, data FROM attachments WHERE id = ?",
        (attachment_id,),
    )
    if row is None:
        return None
    return row["file_name"], row["mime_type"], bytes(row["data"])


async def attachment_total_size(db: aiosqlite.Connection, draft_id: str) -> int:
    """Bytes stored for a draft, so the size limit is explained at upload time."""
    row = await one(
        db,
        "SELECT COALESCE(SUM(size), 0) AS total FROM attachments WHERE draft_id = ?",
        (draft_id,),
    )
    return int(row["total"]) if row else 0
