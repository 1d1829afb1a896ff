"""One SQLite connection shared by the process, and the transactions every query runs in.

One aiosqlite connection per process, guarded by one asyncio lock so a transaction never sees
another coroutine's half-written step. Writes run in ``BEGIN IMMEDIATE`` transactions that are
committed at the end of the block and rolled back on any error. Every write's outcome goes to
:class:`~bot.storage.outage.WriteOutage`, which notices when storage fails and when it is back.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.storage.db import connect
from bot.storage.outage import WriteOutage, is_outage

T = TypeVar("T")


class Database:
    """The connection and its lock; the query modules get the bare connection inside a block."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        """Wrap an open connection; use :meth:`open` instead."""
        db.row_factory = sqlite3.Row
        self._db = db
        self._lock = asyncio.Lock()
        self._closed = False
        self.outage = WriteOutage()
        """Whether writes fail now (a full disk); every write below reports to it."""
        self.wrote = False
        """Whether the last :meth:`run_sync` changed anything."""

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Open (creating if needed) the database at ``path`` and migrate its schema."""
        return cls(await connect(path))

    async def close(self) -> None:
        """Close the connection; its worker thread would otherwise keep the process alive."""
        if self._closed:
            return
        self._closed = True
        async with self._lock:
            await self._db.close()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, while no write transaction is half done."""
        async with self._lock:
            yield self._db

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: committed at the end, rolled back on any error."""
        async with self._lock:
            db = self._db
            before = db.total_changes
            try:
                await db.execute("BEGIN IMMEDIATE")
                yield db
                await db.execute("COMMIT")
            except BaseException as error:
                if is_outage(error):
                    self.outage.failed(error)
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise
            if db.total_changes != before:  # a commit that wrote nothing proves nothing
                self.outage.succeeded()

    async def run_sync(
        self, fn: Callable[[sqlite3.Connection], T], *, reports_success: bool = True
    ) -> T:
        """Run ``fn`` with the bare connection on the database thread, in one hand-off.

        For the hot path (:mod:`bot.storage.stepping`): each ``await`` on aiosqlite is a trip
        to its thread and back, so a whole transaction as one function costs one trip instead
        of one per statement. ``fn`` must leave no transaction open. aiosqlite has no public
        call for this; ``_execute`` is the queue its own methods use (pinned in pyproject).
        Without ``reports_success`` the caller tells :attr:`outage` how the work went (a
        group commit can fail for one person only).
        """
        async with self._lock:
            before = self._db.total_changes
            try:
                result = await on_thread(self._db, fn)
            except BaseException as error:
                if is_outage(error):
                    self.outage.failed(error)
                raise
            self.wrote = self._db.total_changes != before
        if reports_success and self.wrote:  # a commit that wrote nothing proves nothing
            self.outage.succeeded()
        return result

    async def checkpoint(self) -> None:
        """Move the WAL into the main file and truncate it, so deleted text leaves the disk."""
        # Read its row and close the cursor: a statement left unfinished would make the
        # next COMMIT on this connection fail with "SQL statements in progress".
        async with (
            self._lock,
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor,
        ):
            await cursor.fetchall()


async def run(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> int:
    """Execute one statement and return how many rows it changed."""
    async with db.execute(sql, tuple(params)) as cursor:
        return cursor.rowcount


async def one(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
    """The first row of a query, or ``None``."""
    async with db.execute(sql, tuple(params)) as cursor:
        return await cursor.fetchone()


async def all_rows(
    db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
) -> list[sqlite3.Row]:
    """Every row of a query."""
    async with db.execute(sql, tuple(params)) as cursor:
        return cast(list[sqlite3.Row], list(await cursor.fetchall()))


async def on_thread(db: aiosqlite.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``fn`` with the bare connection on the database thread, inside what ``db`` holds.

    Inside :meth:`Database.transaction` this joins the open transaction, so a statement that
    the hot path also runs (:mod:`bot.storage.stepping`) is written once, as a plain function.
    aiosqlite has no public call for this; ``_execute`` is the queue its own methods use
    (pinned in pyproject).
    """
    execute = cast(Callable[..., Awaitable[T]], db._execute)
    return await execute(fn, db._conn)
