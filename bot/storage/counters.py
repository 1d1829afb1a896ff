"""Counts of limited actions per person, kept in SQLite so a restart does not reset them.

The counts outlive a person's "delete everything" (else deleting would reset the limits), so
they hold nothing personal: the person as a SHA-256 hash of their key, the kind of action
and its time. A person's counts older than a day (:data:`bot.storage.repo.COUNTED_FOR`) go
with their next counted action, everyone's with the purge of abandoned drafts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import aiosqlite

from bot.storage.connection import one, run


def person_hash(user_id: str) -> str:
    """How the counts name a person: a hash of their key, never the key itself."""
    return hashlib.sha256(f"limits:{user_id}".encode()).hexdigest()


async def count_since(db: aiosqlite.Connection, user_id: str, kind: str, since: str) -> int:
    """How many ``kind`` actions the person took at ``since`` or later."""
    row = await one(
        db,
        "SELECT COUNT(*) AS n FROM limit_events WHERE person_hash = ? AND kind = ? AND at >= ?",
        (person_hash(user_id), kind, since),
    )
    return int(row["n"]) if row else 0


async def record(
    db: aiosqlite.Connection, user_id: str, kinds: Sequence[str], at: str, *, forget_before: str
) -> None:
    """Count one action per entry of ``kinds`` (a kind may repeat: three documents).

    The person's actions from before ``forget_before`` are forgotten on the way.
    """
    who = person_hash(user_id)
    await run(
        db, "DELETE FROM limit_events WHERE person_hash = ? AND at < ?", (who, forget_before)
    )
    for kind in kinds:
        await run(
            db,
            "INSERT INTO limit_events (person_hash, kind, at) VALUES (?, ?, ?)",
            (who, kind, at),
        )


async def purge_before(db: aiosqlite.Connection, cutoff: str) -> None:
    """Forget counted actions, and receipt counts of days, from before ``cutoff``."""
    await run(db, "DELETE FROM limit_events WHERE at < ?", (cutoff,))
    await run(db, "DELETE FROM receipt_counts WHERE day < ?", (cutoff[:10],))
