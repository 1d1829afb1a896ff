"""Submissions and their outbox rows: written together, then read and marked by delivery."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import cast

import aiosqlite

from bot.engine.submission import Submission
from bot.storage.connection import all_rows, one, run
from bot.storage.db import from_db_time, to_db_time
from bot.storage.types import (
    OUTBOX_STATUSES,
    OutboxItem,
    OutboxKind,
    OutboxRecord,
    OutboxStatus,
)

MAX_ERROR_CHARS = 2000
"""Keep delivery errors readable in ``outbox list``; SMTP servers can be verbose."""

_OUTBOX_COLUMNS = (
    "id, kind, reference, recipient, message_id, lang, status, attempts, next_attempt_at,"
    " last_error, created_at, sent_at"
)


# -- submissions ----------------------------------------------------------------------------------


async def insert_submission(db: aiosqlite.Connection, submission: Submission, user_id: str) -> None:
    """Store a submission and the documents it refers to."""
    municipality = submission.respondent.municipality_number
    # The first two digits of a kommunenummer are the county (fylke) number.
    county = municipality[:2] if municipality and len(municipality) >= 2 else None
    await run(
        db,
        "INSERT INTO submissions (reference, consultation_id, user_id, received_at,"
        " respondent_type, municipality_number, county_number, language, flow, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            submission.reference,
            submission.consultation_id,
            user_id,
            to_db_time(submission.received_at),
            submission.respondent.type_id,
            municipality,
            county,
            submission.language,
            submission.flow,
            submission.model_dump_json(),
        ),
    )
    for info in submission.attachments:
        await run(
            db,
            "INSERT INTO submission_attachments (reference, attachment_id) VALUES (?, ?)",
            (submission.reference, info.id),
        )


async def get_submission(db: aiosqlite.Connection, reference: str) -> Submission | None:
    """One submission by its reference number."""
    row = await one(db, "SELECT data FROM submissions WHERE reference = ?", (reference,))
    return Submission.model_validate_json(row["data"]) if row else None


async def list_submissions(
    db: aiosqlite.Connection, consultation_id: str | None = None
) -> list[Submission]:
    """Submissions in the order they arrived, for export and staff."""
    if consultation_id is None:
        rows = await all_rows(db, "SELECT data FROM submissions ORDER BY received_at, reference")
    else:
        rows = await all_rows(
            db,
            "SELECT data FROM submissions WHERE consultation_id = ?"
            " ORDER BY received_at, reference",
            (consultation_id,),
        )
    return [Submission.model_validate_json(row["data"]) for row in rows]


# -- outbox ---------------------------------------------------------------------------------------


async def insert_outbox(db: aiosqlite.Connection, item: OutboxItem, at: str) -> None:
    """Queue a message, due at once."""
    await run(
        db,
        "INSERT INTO outbox (kind, reference, recipient, message_id, lang,"
        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (item.kind, item.reference, item.recipient, item.message_id, item.lang, at, at),
    )


def _record(row: sqlite3.Row) -> OutboxRecord:
    return OutboxRecord(
        id=row["id"],
        kind=cast(OutboxKind, row["kind"]),
        reference=row["reference"],
        recipient=row["recipient"],
        message_id=row["message_id"],
        lang=row["lang"],
        status=cast(OutboxStatus, row["status"]),
        attempts=row["attempts"],
        next_attempt_at=from_db_time(row["next_attempt_at"]),
        last_error=row["last_error"],
        created_at=from_db_time(row["created_at"]),
        sent_at=from_db_time(row["sent_at"]) if row["sent_at"] else None,
    )


async def claim_due(
    db: aiosqlite.Connection, now: datetime, *, limit: int, lease_seconds: float
) -> list[OutboxRecord]:
    """Lease due rows (see :meth:`bot.storage.Store.claim_due_outbox`), oldest due first."""
    at = to_db_time(now)
    lease_until = to_db_time(now + timedelta(seconds=lease_seconds))
    rows = await all_rows(
        db,
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = ?"
        " WHERE id IN (SELECT id FROM outbox"
        "  WHERE (status = 'pending' AND next_attempt_at <= ?)"
        "   OR (status = 'sending' AND lease_until <= ?)"
        "  ORDER BY next_attempt_at, id LIMIT ?)"
        f" RETURNING {_OUTBOX_COLUMNS}",
        (lease_until, at, at, limit),
    )
    claimed = [_record(row) for row in rows]
    claimed.sort(key=lambda r: (r.next_attempt_at, r.id))
    return claimed


async def mark_sent(db: aiosqlite.Connection, outbox_id: int, now: datetime) -> str | None:
    """Record that the server accepted the message; return its submission's reference."""
    row = await one(
        db,
        "UPDATE outbox SET status = 'sent', sent_at = ?, lease_until = NULL"
        " WHERE id = ? RETURNING reference",
        (to_db_time(now), outbox_id),
    )
    return row["reference"] if row else None


async def mark_retry(
    db: aiosqlite.Connection, outbox_id: int, error: str, next_attempt_at: datetime
) -> None:
    """Record a temporary failure; the message is due again at ``next_attempt_at``."""
    await run(
        db,
        "UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ?,"
        " lease_until = NULL WHERE id = ? AND status <> 'sent'",
        (error[:MAX_ERROR_CHARS], to_db_time(next_attempt_at), outbox_id),
    )


async def mark_failed(db: aiosqlite.Connection, outbox_id: int, error: str) -> str | None:
    """Record a permanent failure; return the submission's reference if the row changed."""
    row = await one(
        db,
        "UPDATE outbox SET status = 'failed', last_error = ?, lease_until = NULL"
        " WHERE id = ? AND status <> 'sent' RETURNING reference",
        (error[:MAX_ERROR_CHARS], outbox_id),
    )
    return row["reference"] if row else None


async def list_outbox(db: aiosqlite.Connection, status: str | None = None) -> list[OutboxRecord]:
    """Outbox rows, oldest first, optionally only those with ``status``."""
    if status is not None and status not in OUTBOX_STATUSES:
        raise ValueError(f"unknown outbox status {status!r}; use one of {OUTBOX_STATUSES}")
    if status is None:
        rows = await all_rows(db, f"SELECT {_OUTBOX_COLUMNS} FROM outbox ORDER BY id")
    else:
        rows = await all_rows(
            db, f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE status = ? ORDER BY id", (status,)
        )
    return [_record(row) for row in rows]


async def retry_failed(db: aiosqlite.Connection, outbox_id: int, now: datetime) -> bool:
    """Put a failed message back in the queue, due at once, with a fresh attempt count."""
    changed = await run(
        db,
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = 0,"
        " lease_until = NULL WHERE id = ? AND status = 'failed'",
        (to_db_time(now), outbox_id),
    )
    return changed > 0


async def outbox_record(db: aiosqlite.Connection, outbox_id: int) -> OutboxRecord | None:
    """One outbox row by id."""
    row = await one(db, f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (outbox_id,))
    return _record(row) if row else None


async def has_pending_delivery(db: aiosqlite.Connection, reference: str) -> bool:
    """Whether a message of the submission is still waiting or being sent."""
    row = await one(
        db,
        "SELECT 1 FROM outbox WHERE reference = ? AND status IN ('pending', 'sending')",
        (reference,),
    )
    return row is not None
