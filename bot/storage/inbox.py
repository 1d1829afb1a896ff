"""Updates fetched from Telegram and not yet handled, so a crash cannot lose them."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from bot.storage.connection import all_rows, run


async def stash(
    db: aiosqlite.Connection, source: str, updates: Sequence[tuple[int, str]], at: str
) -> None:
    """Store fetched updates (``(update_id, json)``) before Telegram is told to forget them."""
    for update_id, data in updates:
        await run(
            db,
            "INSERT OR IGNORE INTO inbox (source, update_id, data, received_at)"
            " VALUES (?, ?, ?, ?)",
            (source, update_id, data, at),
        )


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
