"""What timed work has already been sent: one row per digest, card, alert or reminder.

A job *claims* its key before sending (one ``INSERT`` that only the first caller wins) and
*releases* it when sending failed, so a restart neither repeats a message that went out nor
forgets one that did not. Only a crash in the instant between Telegram accepting a message and
nothing at all could lose one; a repeat is impossible.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.conversation.session import Session
from bot.storage.connection import Database, all_rows, one, run
from bot.storage.db import to_db_time

_CLAIM = "INSERT OR IGNORE INTO jobs_sent (key, sent_at) VALUES (?, ?)"


class JobLog:
    """Claims on job keys in the ``jobs_sent`` table."""

    def __init__(self, database: Database) -> None:
        """Use the store's open database."""
        self._db = database

    async def claim(self, key: str, at: datetime) -> bool:
        """Record ``key`` as sent at ``at``; ``False`` when it already was (do not send)."""
        async with self._db.transaction() as db:
            changed = await run(
                db,
                "INSERT OR IGNORE INTO jobs_sent (key, sent_at) VALUES (?, ?)",
                (key, to_db_time(at)),
            )
        return changed == 1

    async def release(self, key: str) -> None:
        """Forget a claim whose message could not be sent, so it is tried again."""
        async with self._db.transaction() as db:
            await run(db, "DELETE FROM jobs_sent WHERE key = ?", (key,))

    async def was_sent(self, key: str) -> bool:
        """Whether ``key`` has been claimed."""
        async with self._db.read() as db:
            return await one(db, "SELECT 1 FROM jobs_sent WHERE key = ?", (key,)) is not None

    async def mark_all(self, keys: Iterable[str], at: datetime) -> None:
        """Record ``keys`` without sending anything (e.g. what existed before staff chat)."""
        async with self._db.transaction() as db:
            for key in keys:
                await run(db, _CLAIM, (key, to_db_time(at)))

    async def with_prefix(self, prefix: str) -> set[str]:
        """Every claimed key that starts with ``prefix``."""
        async with self._db.read() as db:
            rows = await all_rows(
                db, "SELECT key FROM jobs_sent WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
            )
        return {str(row["key"]) for row in rows}

    async def drafts(self, consultation_id: str, untouched_since: datetime) -> list[Session]:
        """Unfinished drafts that may need a message: reminders asked for, or soon purged.

        Only those are read and parsed: with ten thousand open drafts, reading every one each
        minute would cost memory and time for the few that need a message.
        """
        async with self._db.read() as db:
            rows = await all_rows(
                db,
                "SELECT data FROM sessions WHERE consultation_id = ? AND status = 'draft'"
                " AND (json_extract(data, '$.remind_deadline') = 1 OR updated_at < ?)",
                (consultation_id, to_db_time(untouched_since)),
            )
        return [Session.model_validate_json(row["data"]) for row in rows]

    async def stale_drafts(self, consultation_id: str, before: datetime) -> list[str]:
        """Users whose draft was last touched before ``before`` (about to be purged)."""
        async with self._db.read() as db:
            rows = await all_rows(
                db,
                "SELECT user_id FROM sessions WHERE consultation_id = ? AND status = 'draft'"
                " AND updated_at < ?",
                (consultation_id, to_db_time(before)),
            )
        return [str(row["user_id"]) for row in rows]

    async def forget_before(self, prefix: str, before: datetime) -> None:
        """Drop claims under ``prefix`` made before ``before`` (they are no longer needed)."""
        async with self._db.transaction() as db:
            await run(
                db,
                "DELETE FROM jobs_sent WHERE substr(key, 1, ?) = ? AND sent_at < ?",
                (len(prefix), prefix, to_db_time(before)),
            )

    async def not_yet(self, consultation_id: str) -> tuple[list[str], list[int]]:
        """References without a card and failed outbox ids without an alert, oldest first.

        One query each, so a sweep costs the same with ten submissions or ten thousand.
        """
        async with self._db.read() as db:
            cards = await all_rows(
                db,
                "SELECT reference FROM submissions AS s WHERE consultation_id = ? AND NOT EXISTS"
                " (SELECT 1 FROM jobs_sent WHERE key = 'card:' || s.reference)"
                " ORDER BY received_at",
                (consultation_id,),
            )
            alerts = await all_rows(
                db,
                "SELECT id FROM outbox AS o WHERE status = 'failed' AND NOT EXISTS"
                " (SELECT 1 FROM jobs_sent WHERE key = 'alert:' || o.id) ORDER BY id",
            )
        return [str(r["reference"]) for r in cards], [int(r["id"]) for r in alerts]
