"""Read-only questions ``innspill health`` asks the database, and the staff acknowledgement.

Plain ``sqlite3`` on purpose: a health probe runs every few seconds in its own short process
and must not migrate or hold the database; it opens the file read-write without creating it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.storage.db import BUSY_TIMEOUT_MS, migrations, to_db_time


@dataclass(frozen=True)
class OutboxHealth:
    """What is late or failed in the outbox."""

    overdue: int
    """Pending or being sent, created before the threshold."""
    oldest_overdue: str | None
    unacknowledged_failures: int


def open_existing(path: Path) -> sqlite3.Connection:
    """Open the database read-write; fail (``sqlite3.OperationalError``) if it is missing."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def schema_version(db: sqlite3.Connection) -> tuple[int, int]:
    """The database's schema version and the newest this code knows."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    return current, len(migrations())


def check_writable(db: sqlite3.Connection) -> None:
    """Commit a write that changes nothing; raises if the database cannot be written now.

    Taking the write lock alone succeeds on a full disk: only a commit needs the space.
    Writing the schema version back as it is, is a real write that changes no data.
    """
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(f"PRAGMA user_version = {version}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def outbox_health(db: sqlite3.Connection, overdue_before: datetime) -> OutboxHealth:
    """Messages still unsent that were queued before ``overdue_before``, and failed ones."""
    overdue, oldest = db.execute(
        "SELECT COUNT(*), MIN(created_at) FROM outbox"
        " WHERE status IN ('pending', 'sending') AND created_at < ?",
        (to_db_time(overdue_before),),
    ).fetchone()
    (failures,) = db.execute(
        "SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND acknowledged_at IS NULL"
    ).fetchone()
    return OutboxHealth(int(overdue), oldest, int(failures))


@dataclass(frozen=True)
class JournalHealth:
    """How the updates of the journal ended up, where an operator should look."""

    quarantined: int
    """Updates set aside: they could not be decoded or handled."""
    owed: int
    """Replies the bot still owes people (sent after it starts)."""


def journal_health(db: sqlite3.Connection) -> JournalHealth:
    """Counts of quarantined updates and owed replies in the update journal."""
    rows = dict(
        db.execute(
            "SELECT state, COUNT(*) FROM update_journal"
            " WHERE state IN ('quarantined', 'owed') GROUP BY state"
        ).fetchall()
    )
    return JournalHealth(int(rows.get("quarantined", 0)), int(rows.get("owed", 0)))


def acknowledge_failure(db: sqlite3.Connection, outbox_id: int, now: datetime) -> bool:
    """Mark a failed message as seen by staff; ``False`` if there is no such failed message."""
    cursor = db.execute(
        "UPDATE outbox SET acknowledged_at = ? WHERE id = ? AND status = 'failed'",
        (to_db_time(now), outbox_id),
    )
    return cursor.rowcount == 1
