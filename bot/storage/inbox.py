"""Updates fetched from Telegram and not yet handled, so a crash cannot lose them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import aiosqlite

from bot.storage.connection import all_rows, run


def stash(
    conn: sqlite3.Connection, source: str, updates: Sequence[tuple[int, str]], at: str
) -> None:
    """Store fetched updates (``(update_id, json)``) before Telegram is told to forget them.

    A plain function for :meth:`bot.storage.connection.Database.run_sync`: the whole batch in
    one transaction and one trip to the database thread. A flood fills every batch with 100
    updates, and a trip per update kept everyone's updates behind them waiting.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            "INSERT OR IGNORE INTO inbox (source, update_id, data, received_at)"
            " VALUES (?, ?, ?, ?)",
            [(source, update_id, data, at) for update_id, data in updates],
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


async def stashed(db: aiosqlite.Connection, source: str) -> list[str]:
    """The stored updates of ``source`` in the order Telegram sent them."""
    rows = await all_rows(
        db, "SELECT data FROM inbox WHERE source = ? ORDER BY update_id", (source,)
    )
    return [str(row["data"]) for row in rows]


async def forget_below(db: aiosqlite.Connection, source: str, update_id: int) -> None:
    """Forget the updates below ``update_id``: each of them has been handled."""
    await run(db, "DELETE FROM inbox WHERE source = ? AND update_id < ?", (source, update_id))


async def purge_before(db: aiosqlite.Connection, cutoff: str) -> None:
    """Forget updates stored before ``cutoff`` that no run handed over (e.g. another bot's)."""
    await run(db, "DELETE FROM inbox WHERE received_at < ?", (cutoff,))
