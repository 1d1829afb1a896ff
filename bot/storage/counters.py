"""Counts of limited actions per person, kept in SQLite so a restart does not reset them."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from bot.storage.connection import one, run


async def count_since(db: aiosqlite.Connection, user_id: str, kind: str, since: str) -> int:
    """How many ``kind`` actions the person took at ``since`` or later."""
    row = await one(
        db,
        "SELECT COUNT(*) AS n FROM limit_events WHERE user_id = ? AND kind = ? AND at >= ?",
        (user_id, kind, since),
    )
    return int(row["n"]) if row else 0


async def record(
    db: aiosqlite.Connection, user_id: str, kinds: Sequence[str], at: str, *, forget_before: str
) -> None:
    """Count one action per entry of ``kinds`` (a kind may repeat: three documents).

    The person's actions from before ``forget_before`` are forgotten on the way.
    """
    await run(db, "DELETE FROM limit_events WHERE user_id = ? AND at < ?", (user_id, forget_before))
    for kind in kinds:
        await run(
            db,
            "INSERT INTO limit_events (user_id, kind, at) VALUES (?, ?, ?)",
            (user_id, kind, at),
        )


async def purge_before(db: aiosqlite.Connection, cutoff: str) -> None:
    """Forget actions older than every limit's window."""
    await run(db, "DELETE FROM limit_events WHERE at < ?", (cutoff,))
