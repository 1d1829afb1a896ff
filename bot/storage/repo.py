"""The store: every query the bot runs, behind a small async interface.

One aiosqlite connection per process, guarded by one asyncio lock so a transaction never sees
another coroutine's half-written step. Everything one event writes is committed in a single
``BEGIN IMMEDIATE`` transaction before the bot replies.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

import aiosqlite

from bot.engine.session import Session
from bot.engine.submission import Submission
from bot.i18n import OSLO
from bot.storage.db import connect, from_db_time, to_db_time
from bot.storage.errors import DuplicateUpdateError, StaleSessionError
from bot.storage.types import (
    OUTBOX_STATUSES,
    DeletionReport,
    NewAttachment,
    OutboxItem,
    OutboxKind,
    OutboxRow,
    OutboxStatus,
)

_MAX_ERROR_CHARS = 2000
"""Keep delivery errors readable in ``outbox list``; SMTP servers can be verbose."""

_OUTBOX_COLUMNS = (
    "id, kind, reference, recipient, message_id, lang, status, attempts, next_attempt_at,"
    " last_error, created_at, sent_at"
)

_STAT_COLUMNS = {
    "by_respondent_type": "respondent_type",
    "by_municipality": "municipality_number",
    "by_county": "county_number",
    "by_language": "language",
    "by_flow": "flow",
}
"""Statistics key → submissions column to count by (fixed names, never user input)."""

_NOT_IN_SUBMISSION = "id NOT IN (SELECT attachment_id FROM submission_attachments)"


class Store:
    """Sessions, attachments, submissions and the outbox in one SQLite file."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        """Wrap an open connection; use :meth:`open` instead."""
        db.row_factory = sqlite3.Row
        self._db = db
        self._lock = asyncio.Lock()
        self._closed = False
        self.path = path

    @classmethod
    async def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) the database at ``path`` and migrate its schema."""
        return cls(await connect(path), Path(path))

    async def close(self) -> None:
        """Close the connection; its worker thread would otherwise keep the process alive."""
        if self._closed:
            return
        self._closed = True
        async with self._lock:
            await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- plumbing -------------------------------------------------------------------------------

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, while no write transaction is half done."""
        async with self._lock:
            yield self._db

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: committed at the end, rolled back on any error."""
        async with self._lock:
            db = self._db
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise

    async def _checkpoint(self) -> None:
        """Move the WAL into the main file and truncate it, so deleted text leaves the disk."""
        async with self._lock:
            await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @staticmethod
    async def _run(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> int:
        """Execute one statement and return how many rows it changed."""
        async with db.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount

    @staticmethod
    async def _one(
        db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
    ) -> sqlite3.Row | None:
        async with db.execute(sql, tuple(params)) as cursor:
            return await cursor.fetchone()

    @staticmethod
    async def _all(
        db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
    ) -> list[sqlite3.Row]:
        async with db.execute(sql, tuple(params)) as cursor:
            return cast(list[sqlite3.Row], list(await cursor.fetchall()))

    # -- sessions -------------------------------------------------------------------------------

    async def load_session(self, user_id: str, consultation_id: str) -> Session | None:
        """The person's saved conversation, to resume exactly where they left off."""
        async with self._read() as db:
            row = await self._one(
                db,
                "SELECT data FROM sessions WHERE user_id = ? AND consultation_id = ?",
                (user_id, consultation_id),
            )
        return Session.model_validate_json(row["data"]) if row else None

    async def is_update_processed(self, update_key: str) -> bool:
        """Whether a front-end update (e.g. ``"tg:123456"``) was applied already."""
        async with self._read() as db:
            row = await self._one(
                db, "SELECT 1 FROM processed_updates WHERE update_key = ?", (update_key,)
            )
        return row is not None

    async def save_step(
        self,
        session: Session,
        *,
        update_key: str | Sequence[str] | None = None,
        new_attachments: Sequence[NewAttachment] = (),
        forget_attachments: Sequence[str] = (),
        submission: Submission | None = None,
        submission_user_id: str | None = None,
        outbox: Sequence[OutboxItem] = (),
    ) -> None:
        """Commit everything one event produced, in one transaction, before the bot replies.

        The step's time is ``session.updated_at`` (the engine has no clock of its own); it
        stamps the update key, the attachments and the outbox rows, which are due at once.

        ``update_key`` may be several keys when one step handles several updates (an album).

        Raises:
            DuplicateUpdateError: an update key was applied already; nothing was written.
            StaleSessionError: the stored session is not the one this step started from.
            sqlite3.IntegrityError: e.g. a submission reference that exists already, or a
                submission naming an attachment that is not stored; nothing was written.
        """
        at = to_db_time(session.updated_at)
        async with self._transaction() as db:
            for key in [update_key] if isinstance(update_key, str) else update_key or ():
                await self._record_update(db, key, at)
            await self._upsert_session(db, session)
            for attachment in new_attachments:
                await self._insert_attachment(db, attachment, at)
            if forget_attachments:
                marks = ", ".join("?" * len(forget_attachments))
                await self._run(
                    db,
                    f"DELETE FROM attachments WHERE user_id = ? AND id IN ({marks})"
                    f" AND {_NOT_IN_SUBMISSION}",
                    (session.user_id, *forget_attachments),
                )
            if submission is not None:
                await self._insert_submission(db, submission, submission_user_id or session.user_id)
            for item in outbox:
                await self._run(
                    db,
                    "INSERT INTO outbox (kind, reference, recipient, message_id, lang,"
                    " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (item.kind, item.reference, item.recipient, item.message_id, item.lang, at, at),
                )

    async def _record_update(self, db: aiosqlite.Connection, update_key: str, at: str) -> None:
        if await self._one(
            db, "SELECT 1 FROM processed_updates WHERE update_key = ?", (update_key,)
        ):
            raise DuplicateUpdateError(update_key)
        await self._run(
            db,
            "INSERT INTO processed_updates (update_key, processed_at) VALUES (?, ?)",
            (update_key, at),
        )

    async def _upsert_session(self, db: aiosqlite.Connection, session: Session) -> None:
        stored = await self._one(
            db,
            "SELECT seq FROM sessions WHERE user_id = ? AND consultation_id = ?",
            (session.user_id, session.consultation_id),
        )
        if stored is not None and stored["seq"] != session.seq - 1:
            raise StaleSessionError(
                f"session {session.user_id}/{session.consultation_id}: stored seq"
                f" {stored['seq']}, saving seq {session.seq}"
            )
        await self._run(
            db,
            "INSERT INTO sessions (user_id, consultation_id, draft_id, status, seq, started_at,"
            " updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, consultation_id) DO UPDATE SET"
            " draft_id = excluded.draft_id, status = excluded.status, seq = excluded.seq,"
            " started_at = excluded.started_at, updated_at = excluded.updated_at,"
            " data = excluded.data",
            (
                session.user_id,
                session.consultation_id,
                session.draft_id,
                session.status,
                session.seq,
                to_db_time(session.started_at),
                to_db_time(session.updated_at),
                session.model_dump_json(),
            ),
        )

    # -- attachments ----------------------------------------------------------------------------

    async def _insert_attachment(
        self, db: aiosqlite.Connection, attachment: NewAttachment, at: str
    ) -> None:
        await self._run(
            db,
            "INSERT INTO attachments (id, user_id, draft_id, file_name, mime_type, size,"
            " created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                attachment.id,
                attachment.user_id,
                attachment.draft_id,
                attachment.file_name,
                attachment.mime_type,
                len(attachment.data),
                at,
                attachment.data,
            ),
        )

    async def attachment(self, attachment_id: str) -> tuple[str, str, bytes] | None:
        """A stored document as ``(file_name, mime_type, data)``, for delivery."""
        async with self._read() as db:
            row = await self._one(
                db,
                "SELECT file_name, mime_type, data FROM attachments WHERE id = ?",
                (attachment_id,),
            )
        if row is None:
            return None
        return row["file_name"], row["mime_type"], bytes(row["data"])

    async def attachment_total_size(self, draft_id: str) -> int:
        """Bytes stored for a draft, so the size limit is explained at upload time."""
        async with self._read() as db:
            row = await self._one(
                db,
                "SELECT COALESCE(SUM(size), 0) AS total FROM attachments WHERE draft_id = ?",
                (draft_id,),
            )
        return int(row["total"]) if row else 0

    # -- submissions ----------------------------------------------------------------------------

    async def _insert_submission(
        self, db: aiosqlite.Connection, submission: Submission, user_id: str
    ) -> None:
        municipality = submission.respondent.municipality_number
        # The first two digits of a kommunenummer are the county (fylke) number.
        county = municipality[:2] if municipality and len(municipality) >= 2 else None
        await self._run(
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
            await self._run(
                db,
                "INSERT INTO submission_attachments (reference, attachment_id) VALUES (?, ?)",
                (submission.reference, info.id),
            )

    async def get_submission(self, reference: str) -> Submission | None:
        """One submission by its reference number."""
        async with self._read() as db:
            row = await self._one(
                db, "SELECT data FROM submissions WHERE reference = ?", (reference,)
            )
        return Submission.model_validate_json(row["data"]) if row else None

    async def list_submissions(self, consultation_id: str | None = None) -> list[Submission]:
        """Submissions in the order they arrived, for export and staff."""
        async with self._read() as db:
            if consultation_id is None:
                rows = await self._all(
                    db, "SELECT data FROM submissions ORDER BY received_at, reference"
                )
            else:
                rows = await self._all(
                    db,
                    "SELECT data FROM submissions WHERE consultation_id = ?"
                    " ORDER BY received_at, reference",
                    (consultation_id,),
                )
        return [Submission.model_validate_json(row["data"]) for row in rows]

    async def _erase_submission(self, db: aiosqlite.Connection, reference: str) -> None:
        """Delete a submission, its outbox rows and the documents only it referred to."""
        linked = await self._all(
            db,
            "SELECT attachment_id FROM submission_attachments WHERE reference = ?",
            (reference,),
        )
        await self._run(db, "DELETE FROM submissions WHERE reference = ?", (reference,))
        for row in linked:
            await self._run(
                db,
                f"DELETE FROM attachments WHERE id = ? AND {_NOT_IN_SUBMISSION}",
                (row["attachment_id"],),
            )

    async def _erase_if_delivered(self, db: aiosqlite.Connection, reference: str) -> bool:
        """Erase a submission whose owner asked for deletion once nothing is left to send."""
        row = await self._one(
            db,
            "SELECT erase_after_delivery FROM submissions WHERE reference = ?",
            (reference,),
        )
        if row is None or not row["erase_after_delivery"]:
            return False
        if await self._has_pending_delivery(db, reference):
            return False
        await self._erase_submission(db, reference)
        return True

    async def _has_pending_delivery(self, db: aiosqlite.Connection, reference: str) -> bool:
        row = await self._one(
            db,
            "SELECT 1 FROM outbox WHERE reference = ? AND status IN ('pending', 'sending')",
            (reference,),
        )
        return row is not None

    # -- privacy --------------------------------------------------------------------------------

    async def delete_user_data(self, user_id: str) -> DeletionReport:
        """Delete everything stored about a person, as far as delivery allows.

        Submissions still waiting to be delivered to the ministry are kept, flagged, and erased
        as soon as nothing is left to send (see :meth:`mark_outbox_sent`). Afterwards the WAL is
        checkpointed and truncated so the deleted text leaves the disk.
        """
        erased = 0
        pending = 0
        async with self._transaction() as db:
            sessions = await self._run(db, "DELETE FROM sessions WHERE user_id = ?", (user_id,))
            rows = await self._all(
                db, "SELECT reference FROM submissions WHERE user_id = ?", (user_id,)
            )
            for row in rows:
                reference = row["reference"]
                if await self._has_pending_delivery(db, reference):
                    await self._run(
                        db,
                        "UPDATE submissions SET erase_after_delivery = 1 WHERE reference = ?",
                        (reference,),
                    )
                    pending += 1
                else:
                    await self._erase_submission(db, reference)
                    erased += 1
            await self._run(
                db,
                f"DELETE FROM attachments WHERE user_id = ? AND {_NOT_IN_SUBMISSION}",
                (user_id,),
            )
        await self._checkpoint()
        return DeletionReport(sessions=sessions, submissions=erased, pending_deliveries=pending)

    async def purge_abandoned_drafts(self, older_than: datetime) -> int:
        """Delete drafts untouched since ``older_than``; return how many.

        Also deletes documents no draft or submission refers to any more (stored before
        ``older_than``) and update keys recorded before then (front ends redeliver updates
        for a day at most). Finished conversations and submissions are kept.
        """
        cutoff = to_db_time(older_than)
        async with self._transaction() as db:
            purged = await self._run(
                db,
                "DELETE FROM sessions WHERE status = 'draft' AND updated_at < ?",
                (cutoff,),
            )
            await self._run(
                db,
                f"DELETE FROM attachments WHERE created_at < ? AND {_NOT_IN_SUBMISSION}"
                " AND NOT EXISTS (SELECT 1 FROM sessions AS s WHERE s.user_id ="
                " attachments.user_id AND s.draft_id = attachments.draft_id)",
                (cutoff,),
            )
            await self._run(db, "DELETE FROM processed_updates WHERE processed_at < ?", (cutoff,))
        await self._checkpoint()
        return purged

    # -- outbox ---------------------------------------------------------------------------------

    @staticmethod
    def _outbox_row(row: sqlite3.Row) -> OutboxRow:
        return OutboxRow(
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

    async def claim_due_outbox(
        self, now: datetime, *, limit: int = 10, lease_seconds: float = 300
    ) -> list[OutboxRow]:
        """Take due messages for sending, each claim counting as an attempt.

        Due means pending with its time come, or ``sending`` with an expired lease: the
        sender crashed mid-send, so the message is tried again (with the same Message-ID).
        """
        at = to_db_time(now)
        lease_until = to_db_time(now + timedelta(seconds=lease_seconds))
        async with self._transaction() as db:
            rows = await self._all(
                db,
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = ?"
                " WHERE id IN (SELECT id FROM outbox"
                "  WHERE (status = 'pending' AND next_attempt_at <= ?)"
                "   OR (status = 'sending' AND lease_until <= ?)"
                "  ORDER BY next_attempt_at, id LIMIT ?)"
                f" RETURNING {_OUTBOX_COLUMNS}",
                (lease_until, at, at, limit),
            )
        claimed = [self._outbox_row(row) for row in rows]
        claimed.sort(key=lambda r: (r.next_attempt_at, r.id))
        return claimed

    async def mark_outbox_sent(self, outbox_id: int, now: datetime) -> None:
        """Record that the server accepted the message.

        If the person asked for deletion meanwhile and nothing else is left to send, the
        submission and its documents are erased now.
        """
        async with self._transaction() as db:
            row = await self._one(
                db,
                "UPDATE outbox SET status = 'sent', sent_at = ?, lease_until = NULL"
                " WHERE id = ? RETURNING reference",
                (to_db_time(now), outbox_id),
            )
            erased = row is not None and await self._erase_if_delivered(db, row["reference"])
        if erased:
            await self._checkpoint()

    async def mark_outbox_retry(
        self, outbox_id: int, error: str, next_attempt_at: datetime
    ) -> None:
        """Record a temporary failure; the message is tried again at ``next_attempt_at``."""
        async with self._transaction() as db:
            await self._run(
                db,
                "UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ?,"
                " lease_until = NULL WHERE id = ? AND status <> 'sent'",
                (error[:_MAX_ERROR_CHARS], to_db_time(next_attempt_at), outbox_id),
            )

    async def mark_outbox_failed(self, outbox_id: int, error: str) -> None:
        """Record a permanent failure that staff can see and retry.

        A submission whose owner asked for deletion is erased once nothing is left to send,
        even if a message failed: the deletion request wins over a delivery that cannot happen.
        """
        async with self._transaction() as db:
            row = await self._one(
                db,
                "UPDATE outbox SET status = 'failed', last_error = ?, lease_until = NULL"
                " WHERE id = ? AND status <> 'sent' RETURNING reference",
                (error[:_MAX_ERROR_CHARS], outbox_id),
            )
            erased = row is not None and await self._erase_if_delivered(db, row["reference"])
        if erased:
            await self._checkpoint()

    async def list_outbox(self, status: str | None = None) -> list[OutboxRow]:
        """Outbox rows, oldest first, optionally only those with ``status``."""
        if status is not None and status not in OUTBOX_STATUSES:
            raise ValueError(f"unknown outbox status {status!r}; use one of {OUTBOX_STATUSES}")
        async with self._read() as db:
            if status is None:
                rows = await self._all(db, f"SELECT {_OUTBOX_COLUMNS} FROM outbox ORDER BY id")
            else:
                rows = await self._all(
                    db,
                    f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE status = ? ORDER BY id",
                    (status,),
                )
        return [self._outbox_row(row) for row in rows]

    async def retry_outbox(self, outbox_id: int, now: datetime) -> bool:
        """Put a failed message back in the queue, due at once; ``False`` if it is not failed.

        The attempt counter starts again, so backoff starts short again.
        """
        async with self._transaction() as db:
            changed = await self._run(
                db,
                "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = 0,"
                " lease_until = NULL WHERE id = ? AND status = 'failed'",
                (to_db_time(now), outbox_id),
            )
        return changed > 0

    async def outbox_row(self, outbox_id: int) -> OutboxRow | None:
        """One outbox row by id."""
        async with self._read() as db:
            row = await self._one(
                db, f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (outbox_id,)
            )
        return self._outbox_row(row) if row else None

    # -- staff ----------------------------------------------------------------------------------

    async def stats(self, consultation_id: str) -> dict[str, Any]:
        """Counts staff ask for, without reading anyone's answers.

        Returns a dict with ``submissions`` (total), ``by_respondent_type``,
        ``by_municipality`` (kommunenummer), ``by_county`` (fylkesnummer), ``by_language``,
        ``by_flow``, ``by_day`` (ISO dates in Europe/Oslo, oldest first),
        ``drafts_in_progress`` and ``outbox`` (count per status, all statuses present).
        Submissions without a municipality are left out of ``by_municipality``/``by_county``.
        """
        result: dict[str, Any] = {"consultation_id": consultation_id}
        async with self._read() as db:
            total = await self._one(
                db,
                "SELECT COUNT(*) AS n FROM submissions WHERE consultation_id = ?",
                (consultation_id,),
            )
            result["submissions"] = int(total["n"]) if total else 0
            for key, column in _STAT_COLUMNS.items():
                rows = await self._all(
                    db,
                    f"SELECT {column} AS value, COUNT(*) AS n FROM submissions"
                    f" WHERE consultation_id = ? AND {column} IS NOT NULL"
                    f" GROUP BY {column} ORDER BY {column}",
                    (consultation_id,),
                )
                result[key] = {row["value"]: int(row["n"]) for row in rows}
            received = await self._all(
                db,
                "SELECT received_at FROM submissions WHERE consultation_id = ?"
                " ORDER BY received_at",
                (consultation_id,),
            )
            drafts = await self._one(
                db,
                "SELECT COUNT(*) AS n FROM sessions WHERE consultation_id = ? AND status = 'draft'",
                (consultation_id,),
            )
            outbox = await self._all(
                db,
                "SELECT o.status AS status, COUNT(*) AS n FROM outbox AS o"
                " JOIN submissions AS s ON s.reference = o.reference"
                " WHERE s.consultation_id = ? GROUP BY o.status",
                (consultation_id,),
            )
        by_day: dict[str, int] = {}
        for row in received:
            day = from_db_time(row["received_at"]).astimezone(OSLO).date().isoformat()
            by_day[day] = by_day.get(day, 0) + 1
        result["by_day"] = by_day
        result["drafts_in_progress"] = int(drafts["n"]) if drafts else 0
        counts = {row["status"]: int(row["n"]) for row in outbox}
        result["outbox"] = {status: counts.get(status, 0) for status in OUTBOX_STATUSES}
        return result
