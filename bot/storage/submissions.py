"""Submissions and their outbox rows: written together, then read and marked by delivery."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import cast

import aiosqlite

from bot.conversation.submission import Submission
from bot.storage.connection import all_rows, on_thread, one, run
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


def insert_submission_sync(conn: sqlite3.Connection, submission: Submission, user_id: str) -> None:
    """Store a submission and the documents it refers to."""
    municipality = submission.respondent.municipality_number
    # The first two digits of a kommunenummer are the county (fylke) number.
    county = municipality[:2] if municipality and len(municipality) >= 2 else None
    conn.execute(
        "INSERT INTO submissions (reference, consultation_id, user_id, received_at,"
        " respondent_type, municipality_number, county_number, language, flow, channel, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            # Unknown only for a key of no front end (tests): counted as Telegram, the
            # column's default for rows from before channels were recorded.
            submission.channel or "telegram",
            submission.model_dump_json(),
        ),
    )
    conn.executemany(
        "INSERT INTO submission_attachments (reference, attachment_id) VALUES (?, ?)",
        [(submission.reference, info.id) for info in submission.attachments],
    )


async def insert_submission(db: aiosqlite.Connection, submission: Submission, user_id: str) -> None:
    """Store a submission and the documents it refers to (see :func:`insert_submission_sync`)."""
    await on_thread(db, partial(insert_submission_sync, submission=submission, user_id=user_id))


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


MINISTRY_FAILED = "not sent: the submission could not be delivered to the ministry"
"""Why a receipt failed with its ministry row; a retry of the ministry row brings it back."""


async def insert_outbox(db: aiosqlite.Connection, item: OutboxItem, at: str) -> None:
    """Queue a message, due at once (a receipt waits for its ministry row, see claim_due)."""
    await run(
        db,
        "INSERT INTO outbox (kind, reference, recipient, message_id, lang,"
        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (item.kind, item.reference, item.recipient, item.message_id, item.lang, at, at),
    )
    if item.kind == "receipt":
        await _count_receipt(db, item.recipient, at[:10])


def address_hash(address: str) -> str:
    """Receipt counts keep a hash of the address, not the address itself."""
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()


COUNT_RECEIPT = (
    "INSERT INTO receipt_counts (address_hash, day, count) VALUES (?, ?, 1)"
    " ON CONFLICT (address_hash, day) DO UPDATE SET count = count + 1"
)
FORGET_OLD_RECEIPT_COUNTS = "DELETE FROM receipt_counts WHERE day < date(?, '-1 day')"
"""Only today's counts matter; older ones would only keep hashes of addresses around."""


async def _count_receipt(db: aiosqlite.Connection, address: str, day: str) -> None:
    await run(db, COUNT_RECEIPT, (address_hash(address), day))
    await run(db, FORGET_OLD_RECEIPT_COUNTS, (day,))


async def receipts_on_day(db: aiosqlite.Connection, address: str, day: str) -> int:
    """How many receipts were queued for ``address`` on ``day`` (UTC ``YYYY-MM-DD``)."""
    row = await one(
        db,
        "SELECT count FROM receipt_counts WHERE address_hash = ? AND day = ?",
        (address_hash(address), day),
    )
    return int(row["count"]) if row else 0


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


_RECEIPT_RELEASED = (
    "(o.kind <> 'receipt' OR EXISTS (SELECT 1 FROM outbox m WHERE m.reference = o.reference"
    " AND m.kind = 'ministry' AND m.status = 'sent'))"
)
"""A receipt is released only once the ministry's server accepted the submission."""


async def claim_due(
    db: aiosqlite.Connection,
    now: datetime,
    *,
    limit: int,
    lease_seconds: float,
    ignore_backoff: bool = False,
    exclude: Sequence[int] = (),
    owner: str | None = None,
) -> list[OutboxRecord]:
    """Lease due rows (see :meth:`bot.storage.Store.claim_due_outbox`), oldest due first.

    ``ignore_backoff`` takes every pending row whatever its next attempt time (an operator's
    ``outbox send``); ``exclude`` skips rows already handled in the same pass; ``owner``
    names the process holding the lease (see :mod:`bot.mail.lease_owner`).
    """
    at = to_db_time(now)
    lease_until = to_db_time(now + timedelta(seconds=lease_seconds))
    rows = await all_rows(
        db,
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = ?,"
        " lease_owner = ?"
        " WHERE id IN (SELECT o.id FROM outbox o"
        "  WHERE ((o.status = 'pending' AND (? OR o.next_attempt_at <= ?))"
        "   OR (o.status = 'sending' AND o.lease_until <= ?))"
        f"   AND {_RECEIPT_RELEASED}"
        "   AND o.id NOT IN (SELECT value FROM json_each(?))"
        "  ORDER BY o.next_attempt_at, o.id LIMIT ?)"
        f" RETURNING {_OUTBOX_COLUMNS}",
        (lease_until, owner, ignore_backoff, at, at, json.dumps(list(exclude)), limit),
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


async def reclaim_interrupted(
    db: aiosqlite.Connection, now: datetime, gone: Callable[[str | None], bool]
) -> int:
    """Rows left ``sending`` by a sender that is ``gone``: due again now, lease dropped."""
    leased = await all_rows(db, "SELECT id, lease_owner FROM outbox WHERE status = 'sending'")
    ids = [int(row["id"]) for row in leased if gone(row["lease_owner"])]
    return await run(
        db,
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, lease_until = NULL,"
        " lease_owner = NULL WHERE status = 'sending' AND id IN (SELECT value FROM json_each(?))",
        (to_db_time(now), json.dumps(ids)),
    )


async def renew_lease(
    db: aiosqlite.Connection, outbox_id: int, owner: str, until: datetime
) -> bool:
    """Keep a row leased while its owner still sends it; ``False`` if the lease was lost."""
    changed = await run(
        db,
        "UPDATE outbox SET lease_until = ? WHERE id = ? AND status = 'sending'"
        " AND lease_owner = ?",
        (to_db_time(until), outbox_id, owner),
    )
    return changed == 1


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
    """Record a permanent failure; return the submission's reference if the row changed.

    When the ministry's copy fails, its receipt fails with it: the person must never get a
    receipt for a submission the ministry did not receive.
    """
    row = await one(
        db,
        "UPDATE outbox SET status = 'failed', last_error = ?, lease_until = NULL"
        " WHERE id = ? AND status <> 'sent' RETURNING reference, kind",
        (error[:MAX_ERROR_CHARS], outbox_id),
    )
    if row is None:
        return None
    if row["kind"] == "ministry":
        await run(
            db,
            "UPDATE outbox SET status = 'failed', last_error = ?, lease_until = NULL"
            " WHERE reference = ? AND kind = 'receipt' AND status IN ('pending', 'sending')",
            (MINISTRY_FAILED, row["reference"]),
        )
    return str(row["reference"])


async def list_outbox(db: aiosqlite.Connection, status: str | None = None) -> list[OutboxRecord]:
    """Outbox rows, failed ones first, then oldest first; optionally only ``status``."""
    if status is not None and status not in OUTBOX_STATUSES:
        raise ValueError(f"unknown outbox status {status!r}; use one of {OUTBOX_STATUSES}")
    if status is None:
        rows = await all_rows(
            db,
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox ORDER BY status = 'failed' DESC, id",
        )
    else:
        rows = await all_rows(
            db, f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE status = ? ORDER BY id", (status,)
        )
    return [_record(row) for row in rows]


async def retry_failed(db: aiosqlite.Connection, outbox_id: int, now: datetime) -> bool:
    """Put a failed message back in the queue, due at once, with a fresh attempt count.

    Retrying the ministry's copy also brings back the receipt that failed because of it; the
    receipt still waits until the ministry's server has accepted the submission.
    """
    row = await one(
        db,
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = 0,"
        " lease_until = NULL WHERE id = ? AND status = 'failed' RETURNING reference, kind",
        (to_db_time(now), outbox_id),
    )
    if row is None:
        return False
    if row["kind"] == "ministry":
        await run(
            db,
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = 0,"
            " last_error = NULL WHERE reference = ? AND kind = 'receipt' AND status = 'failed'"
            " AND last_error = ?",
            (to_db_time(now), row["reference"], MINISTRY_FAILED),
        )
    return True


async def outbox_record(db: aiosqlite.Connection, outbox_id: int) -> OutboxRecord | None:
    """One outbox row by id."""
    row = await one(db, f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (outbox_id,))
    return _record(row) if row else None


async def submission_owner(db: aiosqlite.Connection, reference: str) -> str | None:
    """The user id a submission came from, to tell them about its delivery."""
    row = await one(db, "SELECT user_id FROM submissions WHERE reference = ?", (reference,))
    return str(row["user_id"]) if row else None


async def receipt_is_held(db: aiosqlite.Connection, outbox_id: int) -> bool:
    """Whether a pending receipt still waits for its ministry row to be accepted."""
    row = await one(
        db,
        f"SELECT 1 FROM outbox o WHERE o.id = ? AND o.kind = 'receipt' AND NOT {_RECEIPT_RELEASED}",
        (outbox_id,),
    )
    return row is not None


async def has_pending_delivery(db: aiosqlite.Connection, reference: str) -> bool:
    """Whether a message of the submission is still waiting or being sent."""
    row = await one(
        db,
        "SELECT 1 FROM outbox WHERE reference = ? AND status IN ('pending', 'sending')",
        (reference,),
    )
    return row is not None
