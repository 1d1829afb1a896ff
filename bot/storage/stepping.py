"""One event's whole storage work as one plain function on the database thread.

Checking the update keys, loading the session, stepping it and saving the result used to be
about 18 hand-offs between the event loop and aiosqlite's thread, and the hand-offs (not
SQLite) bounded how many events a second the bot could store. Here they are one synchronous
function that :meth:`bot.storage.Store.step_session` runs in a single hop, inside one
``BEGIN IMMEDIATE`` transaction: the de-duplication, the read and the write see the same
database state, so a step can neither be applied twice nor start from a stale session.
Events of different people that arrive together share that hop and its ``COMMIT`` (group
commit), which is what bounds throughput once the hand-offs are gone.

A small write-through cache keeps the last saved :class:`Session` object per person, so the
common case skips parsing and validating its JSON; the stored row's draft id and ``seq`` still
decide whether the cached object is the current one.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from bot.conversation.session import Session
from bot.conversation.submission import Submission
from bot.storage.counters import person_hash
from bot.storage.db import to_db_time
from bot.storage.journal import is_handled_sync, mark_handled_sync
from bot.storage.sessions import INSERT_ATTACHMENT, UPSERT_SESSION, attachment_row, session_row
from bot.storage.submissions import (
    COUNT_RECEIPT,
    FORGET_OLD_RECEIPT_COUNTS,
    address_hash,
    insert_submission_sync,
)
from bot.storage.types import NewAttachment, OutboxItem

T = TypeVar("T")

COUNTED_FOR = timedelta(days=1)
"""How long a limited action is remembered; longer than any limit's window."""

CACHE_SIZE = 4096
"""Sessions kept parsed in memory (a few kB each): the people active in the last minutes."""


@dataclass(frozen=True)
class StepWrite:
    """Everything one event produced, committed together before the bot replies."""

    session: Session | None
    """``None``: only the update keys are recorded (a refused step keeps the draft as it was)."""
    at: datetime | None = None
    """When a step without a session happened (the time its update keys are recorded at)."""
    counted: Sequence[str] = ()
    """Limited actions the step took (see :mod:`bot.service.abuse_limits`), counted for the
    hourly limits."""
    new_attachments: Sequence[NewAttachment] = ()
    forget_attachments: Sequence[str] = ()
    submission: Submission | None = None
    submission_user_id: str | None = None
    outbox: Sequence[OutboxItem] = ()


class StepReads:
    """What a step may read besides its session, inside the same transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def receipts_on_day(self, address: str, at: datetime) -> int:
        """Receipts queued for ``address`` on the UTC day of ``at`` (the abuse limit)."""
        row = self._conn.execute(
            "SELECT count FROM receipt_counts WHERE address_hash = ? AND day = ?",
            (address_hash(address), to_db_time(at)[:10]),
        ).fetchone()
        return int(row[0]) if row else 0

    def count_actions(self, user_id: str, kind: str, since: datetime) -> int:
        """How many ``kind`` actions the person took at ``since`` or later."""
        row = self._conn.execute(
            "SELECT COUNT(*) FROM limit_events WHERE person_hash = ? AND kind = ? AND at >= ?",
            (person_hash(user_id), kind, to_db_time(since)),
        ).fetchone()
        return int(row[0]) if row else 0


Stepper = Callable[[Session | None, StepReads], tuple[StepWrite | None, T]]
"""Given the stored session (or ``None``) and what else it may read, what to write (``None``:
nothing) and a result."""


@dataclass(frozen=True)
class Stepped(Generic[T]):
    """What :meth:`Store.step_session` did: nothing (a duplicate update) or the step's result."""

    duplicate: bool
    result: T | None = None


class SessionCache:
    """The last saved session object per person, least recently used dropped first.

    Only the database thread touches it (inside :func:`step_batch`), except
    :meth:`clear`, which runs while the connection's lock is held.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        """Keep at most ``size`` sessions."""
        self._size = size
        self._items: OrderedDict[tuple[str, str], Session] = OrderedDict()

    def get(self, key: tuple[str, str], draft_id: str, seq: int) -> Session | None:
        """The cached session if it is exactly the stored one."""
        session = self._items.get(key)
        if session is None or session.draft_id != draft_id or session.seq != seq:
            return None
        self._items.move_to_end(key)
        return session

    def put(self, session: Session) -> None:
        """Remember a session just committed."""
        key = (session.user_id, session.consultation_id)
        self._items[key] = session
        self._items.move_to_end(key)
        if len(self._items) > self._size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (after deletions that bypass this module)."""
        self._items.clear()


@dataclass(frozen=True)
class StepJob(Generic[T]):
    """One event's storage work, queued for the next group commit."""

    user_id: str
    consultation_id: str
    update_keys: Sequence[str]
    stepper: Stepper[T]


JobOutcome = Stepped[Any] | BaseException
"""Per job: what it did, or the error that rolled back its part of the batch."""


def step_batch(
    conn: sqlite3.Connection, cache: SessionCache, jobs: Sequence[StepJob[Any]]
) -> list[JobOutcome]:
    """Run queued jobs in one ``BEGIN IMMEDIATE`` transaction; runs on the database thread.

    Group commit: events of different people that arrive while the previous batch commits
    share one ``COMMIT`` (and one trip to this thread). Each job runs in its own savepoint,
    so one job's error undoes only that job. Nothing is durable, and no reply is sent, before
    the ``COMMIT`` at the end; if it fails, every job of the batch fails with it.
    """
    outcomes: list[JobOutcome] = []
    written: list[Session] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for job in jobs:
            conn.execute("SAVEPOINT step")
            try:
                outcome, session = _step_one(conn, cache, job)
            except Exception as error:  # one person's failure must not fail the others
                conn.execute("ROLLBACK TO step")
                conn.execute("RELEASE step")
                outcomes.append(error)
                continue
            conn.execute("RELEASE step")
            outcomes.append(outcome)
            if session is not None:
                written.append(session)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    for session in written:
        cache.put(session)
    return outcomes


def _step_one(
    conn: sqlite3.Connection, cache: SessionCache, job: StepJob[T]
) -> tuple[Stepped[T], Session | None]:
    """De-duplicate, load, step and write one event inside the open transaction."""
    keys = list(dict.fromkeys(job.update_keys))
    for key in keys:
        if is_handled_sync(conn, key):
            return Stepped(duplicate=True), None
    where = (job.user_id, job.consultation_id)
    row = conn.execute(
        "SELECT draft_id, seq FROM sessions WHERE user_id = ? AND consultation_id = ?", where
    ).fetchone()
    session = None
    if row is not None:
        session = cache.get(where, row[0], row[1])
        if session is None:  # only now is the stored JSON worth reading
            data = conn.execute(
                "SELECT data FROM sessions WHERE user_id = ? AND consultation_id = ?", where
            ).fetchone()[0]
            session = Session.model_validate_json(data)
    write, result = job.stepper(session, StepReads(conn))
    if write is None:
        return Stepped(duplicate=False, result=result), None
    _write(conn, write, keys)
    return Stepped(duplicate=False, result=result), write.session


def _write(conn: sqlite3.Connection, write: StepWrite, keys: Sequence[str]) -> None:
    """The rows of one step; the same statements as :meth:`Store.save_step` runs."""
    session = write.session
    when = session.updated_at if session is not None else write.at
    if when is None:
        raise ValueError("a step that saves no session needs its time")
    at = to_db_time(when)
    for key in keys:
        mark_handled_sync(conn, key, at)
    if session is None:
        return
    if write.counted:
        forget = to_db_time(session.updated_at - COUNTED_FOR)
        who = person_hash(session.user_id)
        conn.execute("DELETE FROM limit_events WHERE person_hash = ? AND at < ?", (who, forget))
        _many(
            conn,
            "INSERT INTO limit_events (person_hash, kind, at) VALUES (?, ?, ?)",
            [(who, kind, at) for kind in write.counted],
        )
    conn.execute(UPSERT_SESSION, session_row(session))
    _many(
        conn,
        INSERT_ATTACHMENT,
        [attachment_row(a, at) for a in write.new_attachments],
    )
    if write.forget_attachments:
        marks = ", ".join("?" * len(write.forget_attachments))
        conn.execute(
            f"DELETE FROM attachments WHERE user_id = ? AND id IN ({marks})"
            " AND id NOT IN (SELECT attachment_id FROM submission_attachments)",
            (session.user_id, *write.forget_attachments),
        )
    if write.submission is not None:
        insert_submission_sync(conn, write.submission, write.submission_user_id or session.user_id)
    _many(
        conn,
        "INSERT INTO outbox (kind, reference, recipient, message_id, lang,"
        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (item.kind, item.reference, item.recipient, item.message_id, item.lang, at, at)
            for item in write.outbox
        ],
    )
    for item in write.outbox:
        if item.kind == "receipt":
            conn.execute(COUNT_RECEIPT, (address_hash(item.recipient), at[:10]))
            conn.execute(FORGET_OLD_RECEIPT_COUNTS, (at[:10],))


def _many(conn: sqlite3.Connection, sql: str, rows: list[tuple[object, ...]]) -> None:
    """``executemany`` only when there are rows; with none it is a wasted statement."""
    if rows:
        conn.executemany(sql, rows)
