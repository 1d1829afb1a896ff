"""Opening the SQLite file: pragmas, schema migrations and the time format.

Migrations are plain SQL files shipped in ``migrations/`` and named ``NNNN_name.sql``;
``PRAGMA user_version`` records the last one applied. Each runs in its own transaction, so a
failed migration leaves the database as it was.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.storage.errors import SchemaTooNewError

BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another process (e.g. ``innspill outbox send``) to finish."""

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One schema step: its number (the ``user_version`` after it) and its SQL."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The shipped migrations in order; gaps or duplicate numbers are a packaging bug."""
    folder = resources.files("bot.storage") / "migrations"
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if [m.version for m in found] != expected:
        raise RuntimeError(f"migrations must be numbered 1..n without gaps: {found!r}")
    return found


def split_statements(script: str) -> list[str]:
    """Split an SQL script into statements, respecting strings and trigger bodies.

    ``executescript`` would commit any open transaction first, so migrations run statement by
    statement inside their own ``BEGIN IMMEDIATE`` instead.
    """
    statements: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if _strip_comments(buffer).strip() != ";":
                statements.append(buffer.strip())
            buffer = ""
    if _strip_comments(buffer.removesuffix(";")).strip():
        raise ValueError(f"incomplete SQL statement at the end: {buffer!r}")
    return statements


def _strip_comments(sql: str) -> str:
    """Drop whole ``--`` comment lines; only used to spot comment-only leftovers."""
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


async def connect(path: str | Path) -> aiosqlite.Connection:
    """Open ``path`` with the pragmas the bot relies on and bring its schema up to date.

    The connection is in autocommit mode: every write opens its own ``BEGIN IMMEDIATE``.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(target, isolation_level=None)
    try:
        # busy_timeout first, so switching to WAL waits for another process instead of failing.
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA foreign_keys = ON")
        # Deleted text is overwritten with zeros, so "delete my data" really removes it.
        await db.execute("PRAGMA secure_delete = ON")
        await migrate(db)
    except BaseException:
        await db.close()
        raise
    return db


async def user_version(db: aiosqlite.Connection) -> int:
    """The number of the last migration applied."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(db: aiosqlite.Connection) -> None:
    """Apply every shipped migration newer than the database, each in its own transaction.

    The version is re-read inside the transaction, so two processes opening a new file at the
    same time apply each migration once.
    """
    steps = migrations()
    latest = steps[-1].version if steps else 0
    current = await user_version(db)
    if current > latest:
        raise SchemaTooNewError(f"database schema {current} is newer than this bot ({latest})")
    for step in steps:
        if step.version <= current:
            continue
        await db.execute("BEGIN IMMEDIATE")
        try:
            current = await user_version(db)
            if step.version > current:
                for statement in split_statements(step.sql):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {step.version}")
                current = step.version
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        await db.execute("COMMIT")


def to_db_time(value: datetime) -> str:
    """ISO-8601 UTC text of fixed width, so text order is time order in SQL."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime cannot be stored: {value!r}")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(value: str) -> datetime:
    """Read a stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(value).astimezone(UTC)
