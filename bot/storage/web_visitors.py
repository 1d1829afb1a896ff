"""Web visitors' second devices and resume codes, kept only as hashes (see migration 0008).

The web chat knows a person by a random token in a cookie and derives their key from it, so
the first device needs no row. A resume code (shown on the page) lets the person continue on
another device: its hash maps to the person's key, and the new device's token hash joins them.
:func:`bot.storage.erasure.delete_user_data` deletes a person's rows with everything else.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.storage.connection import Database, one, run
from bot.storage.db import to_db_time


class WebVisitors:
    """Queries of the ``web_devices`` and ``web_resume_codes`` tables."""

    def __init__(self, database: Database) -> None:
        """Use the store's open database."""
        self._db = database

    async def device_owner(self, token_hash: str) -> str | None:
        """The person a second device belongs to, or ``None`` for a device of its own."""
        async with self._db.read() as db:
            row = await one(
                db, "SELECT user_id FROM web_devices WHERE token_hash = ?", (token_hash,)
            )
        return str(row["user_id"]) if row else None

    async def add_device(self, token_hash: str, user_id: str, at: datetime) -> None:
        """Let a device (its token's hash) act as ``user_id`` from now on."""
        async with self._db.transaction() as db:
            await run(
                db,
                "INSERT OR REPLACE INTO web_devices (token_hash, user_id, created_at)"
                " VALUES (?, ?, ?)",
                (token_hash, user_id, to_db_time(at)),
            )

    async def register_code(self, code_hash: str, user_id: str, at: datetime) -> None:
        """Remember a resume code (its hash) as ``user_id``'s; a second call changes nothing."""
        async with self._db.transaction() as db:
            await run(
                db,
                "INSERT OR IGNORE INTO web_resume_codes (code_hash, user_id, created_at)"
                " VALUES (?, ?, ?)",
                (code_hash, user_id, to_db_time(at)),
            )

    async def code_owner(self, code_hash: str) -> str | None:
        """Whose resume code this is, or ``None``."""
        async with self._db.read() as db:
            row = await one(
                db, "SELECT user_id FROM web_resume_codes WHERE code_hash = ?", (code_hash,)
            )
        return str(row["user_id"]) if row else None


async def forget_visitor(db: aiosqlite.Connection, user_id: str) -> None:
    """Delete a person's devices and resume codes (part of deleting everything about them)."""
    await run(db, "DELETE FROM web_devices WHERE user_id = ?", (user_id,))
    await run(db, "DELETE FROM web_resume_codes WHERE user_id = ?", (user_id,))


async def forget_stale_visitors(db: aiosqlite.Connection, older_than: datetime) -> None:
    """Delete devices and codes made before ``older_than`` of people with no session left.

    Their draft was purged (or never begun), so a code would only lead to an empty chat.
    """
    cutoff = to_db_time(older_than)
    for table in ("web_devices", "web_resume_codes"):
        await run(
            db,
            f"DELETE FROM {table} WHERE created_at < ?"  # two fixed table names
            f" AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = {table}.user_id)",
            (cutoff,),
        )
