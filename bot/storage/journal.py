"""The update journal: every update fetched, how its handling ended, and any reply still owed.

One table, ``update_journal``, one row per update key (``<source>:<update id>``; Telegram's
source is ``tg:<bot id>``), in one of four states:

- ``fetched``: stored before Telegram may forget it (long polling confirms an update only
  once it is here); holds the update's JSON and is handed over again after a restart;
- ``handled``: its step was committed, in the step's own transaction, or it needed none;
  the JSON is gone, and the key tells a redelivery from a new update;
- ``owed``: handled, but the bot stopped before the reply reached the person; holds the reply
  until it is sent after the restart;
- ``quarantined``: it could not be decoded or handled; holds what kind of error, never the
  update's content.

Channels without fetching (the terminal, the web chat) only ever write ``handled`` keys.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Literal, cast

import aiosqlite

from bot.storage.connection import Database, on_thread, one, run
from bot.storage.db import to_db_time
from bot.storage.errors import DuplicateUpdateError
from bot.storage.outage import is_outage

State = Literal["fetched", "handled", "owed", "quarantined"]

SEQUENCE_RESTART_GAP = 100_000
"""An update id this far below the newest one of its source starts a new sequence.

Telegram serves an unconfirmed update again for at most a day, and only ids at or above the
lowest unconfirmed one; it picks a new (possibly lower) starting id after a week without
updates. An id far below the newest is therefore new, never a redelivery."""

MAX_HANDOVERS = 5
"""A fetched update handed over at this many starts without being handled is quarantined:
the process died with it in hand every time (a crash loop), so it must step aside."""

_MARK_HANDLED = (
    "INSERT INTO update_journal (update_key, source, update_id, state, at)"
    " VALUES (?, ?, ?, 'handled', ?)"
    " ON CONFLICT (update_key) DO UPDATE SET state = 'handled', data = NULL, at = excluded.at"
)


def split_key(update_key: str) -> tuple[str, int | None]:
    """``"tg:7:1234"`` → ``("tg:7", 1234)``; a key without a numeric id is its own source."""
    source, _, tail = update_key.rpartition(":")
    if not source or not tail.isdigit():
        return update_key, None
    return source, int(tail)


def _newest(conn: sqlite3.Connection, source: str) -> int | None:
    row = conn.execute(
        "SELECT update_id FROM update_journal WHERE source = ? AND update_id IS NOT NULL"
        " ORDER BY update_id DESC LIMIT 1",
        (source,),
    ).fetchone()
    return None if row is None else int(row[0])


def _starts_new_sequence(conn: sqlite3.Connection, source: str, number: int) -> bool:
    newest = _newest(conn, source)
    return newest is not None and newest - number > SEQUENCE_RESTART_GAP


def _forget_old_sequence(conn: sqlite3.Connection, source: str, number: int) -> None:
    """Telegram started over at ``number``: the old sequence can never be served again."""
    conn.execute(
        "DELETE FROM update_journal WHERE source = ? AND (update_id > ? OR state <> 'fetched')",
        (source, number + SEQUENCE_RESTART_GAP),
    )


def is_handled_sync(conn: sqlite3.Connection, update_key: str) -> bool:
    """Whether an update was handled already (for the step's own transaction)."""
    row = conn.execute(
        "SELECT state FROM update_journal WHERE update_key = ?", (update_key,)
    ).fetchone()
    if row is None or row[0] == "fetched":
        return False
    source, number = split_key(update_key)
    return number is None or not _starts_new_sequence(conn, source, number)


def mark_handled_sync(conn: sqlite3.Connection, update_key: str, at: str) -> None:
    """Record an update as handled and drop its stored JSON (the caller checked it is new)."""
    source, number = split_key(update_key)
    if number is not None and _starts_new_sequence(conn, source, number):
        _forget_old_sequence(conn, source, number)
    conn.execute(_MARK_HANDLED, (update_key, source, number, at))


def store_fetched_sync(
    conn: sqlite3.Connection, source: str, updates: Sequence[tuple[int, str]], at: str
) -> list[int]:
    """Store a fetched batch in one transaction; return the ids not handled yet, oldest first.

    A batch costs one trip to the database thread: a flood fills every batch with 100
    updates, and a trip per update kept everyone's updates behind them waiting.
    """
    if not updates:
        return []
    ids = [update_id for update_id, _ in updates]
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _starts_new_sequence(conn, source, min(ids)):
            _forget_old_sequence(conn, source, min(ids))
        conn.executemany(
            "INSERT OR IGNORE INTO update_journal (update_key, source, update_id, state, data, at)"
            " VALUES (?, ?, ?, 'fetched', ?, ?)",
            [(f"{source}:{update_id}", source, update_id, data, at) for update_id, data in updates],
        )
        marks = ", ".join("?" * len(ids))
        rows = conn.execute(
            "SELECT update_id FROM update_journal WHERE source = ? AND state = 'fetched'"
            f" AND update_id IN ({marks}) ORDER BY update_id",
            (source, *ids),
        ).fetchall()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return [int(row[0]) for row in rows]


@dataclass(frozen=True)
class Unfinished:
    """What a stop or a crash left: updates to hand over again and replies still owed."""

    fetched: list[str]
    """Updates not handled yet, as the JSON Telegram sent, oldest first."""
    owed: list[tuple[str, str | None]]
    """``(update key, reply)`` of handled updates whose reply never arrived, oldest first."""
    quarantined: int = 0
    """Updates set aside now because they were handed over too often."""


def _count_handover(conn: sqlite3.Connection, source: str, at: str) -> int:
    """Count one more handover of every fetched update; quarantine the crash loops."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "UPDATE update_journal SET tries = tries + 1 WHERE source = ? AND state = 'fetched'",
            (source,),
        )
        moved = conn.execute(
            "UPDATE update_journal SET state = 'quarantined', data = NULL, at = ?,"
            " error = 'handed over at every start without finishing (the bot died with it)'"
            " WHERE source = ? AND state = 'fetched' AND tries > ?",
            (at, source, MAX_HANDOVERS),
        ).rowcount
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return moved


def _unfinished(
    conn: sqlite3.Connection, source: str
) -> tuple[list[str], list[tuple[str, str | None]]]:
    fetched = conn.execute(
        "SELECT data FROM update_journal WHERE source = ? AND state = 'fetched' ORDER BY update_id",
        (source,),
    ).fetchall()
    owed = conn.execute(
        "SELECT update_key, reply FROM update_journal WHERE source = ? AND state = 'owed'"
        " ORDER BY update_id",
        (source,),
    ).fetchall()
    return [str(row[0]) for row in fetched], [(str(k), r) for k, r in owed]


class UpdateJournal:
    """The journal as the front ends use it (:mod:`bot.channels.telegram.polling` above all)."""

    def __init__(self, database: Database) -> None:
        """Use the store's open database."""
        self._db = database

    async def store_fetched(
        self, source: str, updates: Sequence[tuple[int, str]], at: datetime
    ) -> list[int]:
        """Store fetched updates (``(update_id, json)``); return the ids still to handle."""
        store = partial(store_fetched_sync, source=source, updates=updates, at=to_db_time(at))
        return await self._db.run_sync(store)

    async def unfinished(self, source: str, at: datetime) -> Unfinished:
        """What to hand over at start; counts the handover (see :data:`MAX_HANDOVERS`).

        With storage down the handover is not counted: the bot still starts and serves.
        """
        count = partial(_count_handover, source=source, at=to_db_time(at))
        try:
            moved = await self._db.run_sync(count)
        except sqlite3.Error as error:
            if not is_outage(error):
                raise
            moved = 0
        fetched, owed = await self._db.run_sync(partial(_unfinished, source=source))
        return Unfinished(fetched, owed, moved)

    async def settle(self, source: str, below: int) -> None:
        """Fetched updates below ``below`` are finished (without a step): forget their JSON."""
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE update_journal SET state = 'handled', data = NULL"
                " WHERE source = ? AND state = 'fetched' AND update_id < ?",
                (source, below),
            )

    async def quarantine(self, source: str, update_id: int, error: str, at: datetime) -> bool:
        """Set an update aside for good; ``False`` if it was handled already (kept as it is)."""
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO update_journal (update_key, source, update_id, state, error, at)"
                " VALUES (?, ?, ?, 'quarantined', ?, ?)"
                " ON CONFLICT (update_key) DO UPDATE SET state = 'quarantined', data = NULL,"
                " error = excluded.error, at = excluded.at WHERE state = 'fetched'",
                (f"{source}:{update_id}", source, update_id, error, to_db_time(at)),
            )
            return cursor.rowcount == 1

    async def owe(self, replies: Sequence[tuple[str, str | None]], at: datetime) -> int:
        """Keep the replies of handled updates the bot could not deliver; return how many.

        ``(update key, reply)``; ``None`` when the reply itself was not at hand. Updates
        not handled yet are left alone: they are handed over again instead.
        """
        async with self._db.transaction() as db:
            owed = 0
            for key, reply in replies:
                cursor = await db.execute(
                    "UPDATE update_journal SET state = 'owed', reply = ?, at = ?"
                    " WHERE update_key = ? AND state = 'handled'",
                    (reply, to_db_time(at), key),
                )
                owed += cursor.rowcount
            return owed

    async def paid(self, update_key: str) -> None:
        """The owed reply arrived: forget it."""
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE update_journal SET state = 'handled', reply = NULL"
                " WHERE update_key = ? AND state = 'owed'",
                (update_key,),
            )

    async def adopt_legacy_keys(self, source: str) -> int:
        """Rename keys saved as ``"tg:<update id>"`` to ``"<source>:<update id>"``.

        Keys used to lack the bot id; the bot renames them once it knows its own id. A key
        that exists under both names is kept once. Returns how many were renamed.
        """
        legacy = "update_key GLOB 'tg:[0-9]*' AND update_key NOT GLOB 'tg:*:*'"
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "UPDATE OR IGNORE update_journal SET update_key = ? || substr(update_key, 4),"
                f" source = ? WHERE {legacy}",
                (f"{source}:", source),
            )
            await db.execute(f"DELETE FROM update_journal WHERE {legacy}")
            return cursor.rowcount

    async def handled(self, update_keys: Sequence[str]) -> set[str]:
        """Which of ``update_keys`` were handled already."""
        async with self._db.read() as db:
            return await handled_among(db, update_keys)

    async def state_of(self, update_key: str) -> State | None:
        """The state an update is in (``None``: never seen)."""
        async with self._db.read() as db:
            row = await one(
                db, "SELECT state FROM update_journal WHERE update_key = ?", (update_key,)
            )
        return None if row is None else cast(State, row["state"])


# -- for the store's own transactions ----------------------------------------------------------


async def is_handled(db: aiosqlite.Connection, update_key: str) -> bool:
    """Whether an update was handled already (see :func:`is_handled_sync`)."""
    return await on_thread(db, partial(is_handled_sync, update_key=update_key))


async def handled_among(db: aiosqlite.Connection, update_keys: Sequence[str]) -> set[str]:
    """Which of ``update_keys`` were handled already, in one trip to the database thread."""

    def check(conn: sqlite3.Connection) -> set[str]:
        return {key for key in update_keys if is_handled_sync(conn, key)}

    return await on_thread(db, check) if update_keys else set()


async def record_handled(db: aiosqlite.Connection, update_key: str, at: str) -> None:
    """Record an update as handled; raise :class:`DuplicateUpdateError` if it was already."""

    def check_and_record(conn: sqlite3.Connection) -> bool:
        if is_handled_sync(conn, update_key):
            return False
        mark_handled_sync(conn, update_key, at)
        return True

    if not await on_thread(db, check_and_record):
        raise DuplicateUpdateError(update_key)


async def purge_before(db: aiosqlite.Connection, cutoff: str) -> None:
    """Forget rows older than ``cutoff``: Telegram redelivers an update for a day at most."""
    await run(db, "DELETE FROM update_journal WHERE at < ?", (cutoff,))
