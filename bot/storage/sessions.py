"""Sessions, the update keys already applied, and the documents people upload to a draft."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import partial

import aiosqlite

from bot.conversation.session import Session
from bot.storage.connection import on_thread, one, run
from bot.storage.db import to_db_time
from bot.storage.errors import DuplicateUpdateError, StaleSessionError
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


SEQUENCE_RESTART_GAP = 100_000
"""An update id this far below the newest one of its source starts a new sequence.

Telegram serves an unconfirmed update again for at most a day, and only ids at or above the
lowest unconfirmed one; it picks a new (possibly lower) starting id after a week without
updates. An id far below the newest is therefore new, never a redelivery."""


def split_update_key(update_key: str) -> tuple[str, int] | None:
    """``"tg:7:1234"`` → ``("tg:7", 1234)``; ``None`` for a key without a numeric id."""
    source, _, tail = update_key.rpartition(":")
    if not source or not tail.isdigit():
        return None
    return source, int(tail)


def _is_new_sequence(conn: sqlite3.Connection, key: str) -> bool:
    """An id far below the newest of its source: Telegram started a new sequence."""
    parsed = split_update_key(key)
    if parsed is None:
        return False
    row = conn.execute(
        "SELECT newest FROM update_sequences WHERE source = ?", (parsed[0],)
    ).fetchone()
    return row is not None and int(row[0]) - parsed[1] > SEQUENCE_RESTART_GAP


def is_update_processed_sync(conn: sqlite3.Connection, update_key: str) -> bool:
    """Whether a front-end update (e.g. ``"tg:7000001:123456"``) was applied already."""
    seen = conn.execute("SELECT 1 FROM processed_updates WHERE update_key = ?", (update_key,))
    return seen.fetchone() is not None and not _is_new_sequence(conn, update_key)


def record_update_sync(conn: sqlite3.Connection, update_key: str, at: str) -> None:
    """Remember an applied update (the caller checked it is new).

    When the key starts a new sequence of its source, the old sequence's keys are forgotten
    first: they can never be served again, and they must not hide the new updates.
    """
    parsed = split_update_key(update_key)
    if parsed is not None:
        source, number = parsed
        if _is_new_sequence(conn, update_key):
            conn.execute(
                "DELETE FROM processed_updates WHERE substr(update_key, 1, ?) = ?",
                (len(source) + 1, f"{source}:"),
            )
            conn.execute("DELETE FROM update_sequences WHERE source = ?", (source,))
        conn.execute(
            "INSERT INTO update_sequences (source, newest) VALUES (?, ?)"
            " ON CONFLICT (source) DO UPDATE SET newest = MAX(newest, excluded.newest)",
            (source, number),
        )
    conn.execute(
        "INSERT INTO processed_updates (update_key, processed_at) VALUES (?, ?)",
        (update_key, at),
    )


async def is_update_processed(db: aiosqlite.Connection, update_key: str) -> bool:
    """Whether a front-end update was applied already (see :func:`is_update_processed_sync`)."""
    return await on_thread(db, partial(is_update_processed_sync, update_key=update_key))


async def processed_updates(db: aiosqlite.Connection, update_keys: Sequence[str]) -> set[str]:
    """Which of ``update_keys`` were applied already, in one trip to the database thread."""

    def check(conn: sqlite3.Connection) -> set[str]:
        return {key for key in update_keys if is_update_processed_sync(conn, key)}

    return await on_thread(db, check) if update_keys else set()


async def record_update(db: aiosqlite.Connection, update_key: str, at: str) -> None:
    """Remember an applied update; raise :class:`DuplicateUpdateError` if it was already."""

    def check_and_record(conn: sqlite3.Connection) -> bool:
        if is_update_processed_sync(conn, update_key):
            return False
        record_update_sync(conn, update_key, at)
        return True

    if not await on_thread(db, check_and_record):
        raise DuplicateUpdateError(update_key)


async def adopt_legacy_update_keys(db: aiosqlite.Connection, source: str) -> int:
    """Rename keys saved as ``"tg:<update id>"`` to ``"<source>:<update id>"``; return how many.

    Keys used to lack the bot id; the bot renames them once it knows its own id. A key that
    exists under both names is kept once.
    """
    renamed = await run(
        db,
        "UPDATE OR IGNORE processed_updates SET update_key = ? || substr(update_key, 4)"
        " WHERE update_key GLOB 'tg:[0-9]*' AND update_key NOT GLOB 'tg:*:*'",
        (f"{source}:",),
    )
    await run(
        db,
        "DELETE FROM processed_updates"
        " WHERE update_key GLOB 'tg:[0-9]*' AND update_key NOT GLOB 'tg:*:*'",
    )
    newest = await one(
        db,
        "SELECT MAX(CAST(substr(update_key, ?) AS INTEGER)) AS newest FROM processed_updates"
        " WHERE substr(update_key, 1, ?) = ?",
        (len(source) + 2, len(source) + 1, f"{source}:"),
    )
    if newest is not None and newest["newest"] is not None:
        await run(
            db,
            "INSERT INTO update_sequences (source, newest) VALUES (?, ?)"
            " ON CONFLICT (source) DO UPDATE SET newest = MAX(newest, excluded.newest)",
            (source, int(newest["newest"])),
        )
    return renamed


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
