"""The store: every query the bot runs, behind one small async facade.

The queries live by concern in :mod:`~bot.storage.sessions`, :mod:`~bot.storage.submissions`,
:mod:`~bot.storage.erasure` and :mod:`~bot.storage.figures`; this class decides which of
them run together in one transaction. Everything one event writes is committed in a single
``BEGIN IMMEDIATE`` transaction before the bot replies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from bot.conversation.session import Session
from bot.conversation.submission import Submission
from bot.storage import counters, journal, sessions, submissions
from bot.storage import erasure as privacy
from bot.storage.connection import Database
from bot.storage.db import to_db_time
from bot.storage.job_log import JobLog
from bot.storage.journal import UpdateJournal
from bot.storage.outage import WriteOutage, is_outage
from bot.storage.staff_reads import StaffReads
from bot.storage.stepping import SessionCache, StepJob, Stepped, Stepper, step_batch
from bot.storage.types import (
    DeletionReport,
    NewAttachment,
    OutboxItem,
    OutboxRecord,
)
from bot.storage.web_visitors import WebVisitors

T = TypeVar("T")

MAX_BATCH = 256
"""Events committed together at most, so one batch never holds the database for long."""

COUNTED_FOR = timedelta(days=1)
"""How long a limited action is remembered; longer than any limit's window."""


class Store:
    """Sessions, attachments, submissions and the outbox in one SQLite file."""

    def __init__(self, database: Database) -> None:
        """Wrap an open database; use :meth:`open` instead."""
        self._db = database
        self.jobs = JobLog(database)
        """What timed work (digests, cards, reminders) has been sent."""
        self.web = WebVisitors(database)
        """The web chat's second devices and resume codes."""
        self.staff = StaffReads(database)
        """What the staff tools read: documents' text, deleted rows, channels, figures."""
        self.updates = UpdateJournal(database)
        """Every update fetched, how its handling ended, and replies still owed."""
        self._cache = SessionCache()
        self._queued: list[tuple[StepJob[Any], asyncio.Future[Any]]] = []
        self._committer: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) the database at ``path`` and migrate its schema."""
        return cls(await Database.open(path))

    async def close(self) -> None:
        """Close the connection; its worker thread would otherwise keep the process alive."""
        await self._db.close()

    @property
    def outage(self) -> WriteOutage:
        """Whether writes fail now (a full disk), and the last write error."""
        return self._db.outage

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- conversations --------------------------------------------------------------------------

    async def load_session(self, user_id: str, consultation_id: str) -> Session | None:
        """The person's saved conversation, to resume exactly where they left off."""
        async with self._db.read() as db:
            return await sessions.load_session(db, user_id, consultation_id)

    async def step_session(
        self,
        user_id: str,
        consultation_id: str,
        update_keys: Sequence[str],
        stepper: Stepper[T],
    ) -> Stepped[T]:
        """One event's storage work in one trip to the database thread and one transaction.

        If any of ``update_keys`` was applied already, nothing runs and the result says so.
        Otherwise ``stepper`` gets the stored session (or ``None``) and returns what to commit
        (``None``: nothing) and a value handed back in the result. ``stepper`` runs on the
        database thread while the transaction is open: keep it pure and short (the engine).

        Steps of different people that arrive together share the trip and the ``COMMIT``
        (see :func:`~bot.storage.stepping.step_batch`); each returns only once it is committed.
        """
        done: asyncio.Future[Stepped[T]] = asyncio.get_running_loop().create_future()
        self._queued.append((StepJob(user_id, consultation_id, update_keys, stepper), done))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_queued(), name="group-commit")
        return await done

    async def _commit_queued(self) -> None:
        """Commit whatever is queued, batch after batch, until nothing is left.

        One batch is on the database thread at a time; what arrives meanwhile waits for the
        next one. A lone event therefore goes at once, and under a rush one ``COMMIT`` serves
        everyone who arrived during the previous one.
        """
        while self._queued:
            batch, self._queued = self._queued[:MAX_BATCH], self._queued[MAX_BATCH:]
            try:
                outcomes = await self._db.run_sync(
                    partial(step_batch, cache=self._cache, jobs=[job for job, _ in batch]),
                    reports_success=False,
                )
            except Exception as error:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            except BaseException:
                for _, done in self._queued + batch:
                    done.cancel()
                self._queued = []
                raise
            full = next((o for o in outcomes if is_outage(o)), None)
            if full is not None:
                self._db.outage.failed(full)  # one job's write failed: storage, not its data
            elif self._db.wrote:
                self._db.outage.succeeded()
            for (_, done), outcome in zip(batch, outcomes, strict=True):
                if done.done():
                    continue  # the caller gave up waiting; the step is committed anyway
                if isinstance(outcome, BaseException):
                    done.set_exception(outcome)
                else:
                    done.set_result(outcome)

    async def is_update_processed(self, update_key: str) -> bool:
        """Whether a front-end update (e.g. ``"tg:7:123456"``) was handled already."""
        async with self._db.read() as db:
            return await journal.is_handled(db, update_key)

    async def record_updates(self, update_key: str | Sequence[str], at: datetime) -> None:
        """Remember updates that were answered without changing anything (a refused action).

        Raises:
            DuplicateUpdateError: an update key was applied already; nothing was written.
        """
        keys = [update_key] if isinstance(update_key, str) else update_key
        async with self._db.transaction() as db:
            for key in keys:
                await journal.record_handled(db, key, to_db_time(at))

    async def count_actions(self, user_id: str, kind: str, since: datetime) -> int:
        """How many limited actions of ``kind`` the person took since ``since``."""
        async with self._db.read() as db:
            return await counters.count_since(db, user_id, kind, to_db_time(since))

    async def save_step(
        self,
        session: Session,
        *,
        update_key: str | Sequence[str] | None = None,
        counted: Sequence[str] = (),
        new_attachments: Sequence[NewAttachment] = (),
        forget_attachments: Sequence[str] = (),
        submission: Submission | None = None,
        submission_user_id: str | None = None,
        outbox: Sequence[OutboxItem] = (),
    ) -> None:
        """Commit everything one event produced, in one transaction, before the bot replies.

        The step's time is ``session.updated_at`` (the engine has no clock of its own); it
        stamps the update key, the attachments and the outbox rows, which are due at once.

        ``update_key`` may be several keys when one step handles several updates (an album).
        ``counted`` names the limited actions the step took (see :mod:`bot.service.abuse_limits`).

        Raises:
            DuplicateUpdateError: an update key was applied already; nothing was written.
            StaleSessionError: the stored session is not the one this step started from.
            sqlite3.IntegrityError: e.g. a submission reference that exists already, or a
                submission naming an attachment that is not stored; nothing was written.
        """
        at = to_db_time(session.updated_at)
        keys = [update_key] if isinstance(update_key, str) else update_key or ()
        async with self._db.transaction() as db:
            for key in keys:
                await journal.record_handled(db, key, at)
            await sessions.upsert_session(db, session)
            if counted:
                forget = to_db_time(session.updated_at - COUNTED_FOR)
                await counters.record(db, session.user_id, counted, at, forget_before=forget)
            for attachment in new_attachments:
                await sessions.insert_attachment(db, attachment, at)
            await sessions.forget_attachments(db, session.user_id, forget_attachments)
            if submission is not None:
                user_id = submission_user_id or session.user_id
                await submissions.insert_submission(db, submission, user_id)
            for item in outbox:
                await submissions.insert_outbox(db, item, at)

    async def attachment(self, attachment_id: str) -> tuple[str, str, bytes] | None:
        """A stored document as ``(file_name, mime_type, data)``, for delivery."""
        async with self._db.read() as db:
            return await sessions.attachment(db, attachment_id)

    async def attachment_total_size(self, draft_id: str) -> int:
        """Bytes stored for a draft, so the size limit is explained at upload time."""
        async with self._db.read() as db:
            return await sessions.attachment_total_size(db, draft_id)

    # -- submissions ----------------------------------------------------------------------------

    async def get_submission(self, reference: str) -> Submission | None:
        """One submission by its reference number."""
        async with self._db.read() as db:
            return await submissions.get_submission(db, reference)

    async def list_submissions(self, consultation_id: str | None = None) -> list[Submission]:
        """Submissions in the order they arrived, for export and staff."""
        async with self._db.read() as db:
            return await submissions.list_submissions(db, consultation_id)

    # -- privacy --------------------------------------------------------------------------------

    async def delete_user_data(
        self,
        user_id: str,
        *,
        update_key: str | Sequence[str] | None = None,
        at: datetime | None = None,
    ) -> DeletionReport:
        """Delete everything stored about a person, as far as delivery allows.

        ``update_key`` (with the time ``at``) is recorded in the same transaction, so a
        redelivered "delete everything" is recognised and cannot create a new session.

        Submissions still waiting to be delivered to the ministry are kept, flagged, and erased
        as soon as nothing is left to send (see :meth:`mark_outbox_sent`). Afterwards the WAL is
        checkpointed and truncated so the deleted text leaves the disk.
        """
        keys = [update_key] if isinstance(update_key, str) else update_key or ()
        if keys and at is None:
            raise ValueError("recording an update key needs its time")
        async with self._db.transaction() as db:
            for key in keys:
                assert at is not None
                await journal.record_handled(db, key, to_db_time(at))
            report = await privacy.delete_user_data(db, user_id, handled=keys)
            self._cache.clear()
        await self._db.checkpoint()
        return report

    async def purge_abandoned_drafts(self, older_than: datetime) -> int:
        """Delete drafts untouched since ``older_than``; return how many.

        Also deletes documents no draft or submission refers to any more (stored before
        ``older_than``) and update keys recorded before then (front ends redeliver updates
        for a day at most). Finished conversations and submissions are kept.
        """
        async with self._db.transaction() as db:
            purged = await privacy.purge_abandoned_drafts(db, older_than)
            self._cache.clear()

            await counters.purge_before(db, to_db_time(older_than))
            await journal.purge_before(db, to_db_time(older_than))
        await self._db.checkpoint()
        return purged

    # -- outbox ---------------------------------------------------------------------------------

    async def claim_due_outbox(
        self,
        now: datetime,
        *,
        limit: int = 10,
        lease_seconds: float = 300,
        ignore_backoff: bool = False,
        exclude: Sequence[int] = (),
        owner: str | None = None,
    ) -> list[OutboxRecord]:
        """Take due messages for sending, each claim counting as an attempt.

        Due means pending with its time come (any pending row with ``ignore_backoff``), or
        ``sending`` with an expired lease: the sender crashed mid-send, so the message is
        tried again (with the same Message-ID). A receipt is due only after the ministry's
        server accepted its submission. ``exclude``: rows already handled in this pass;
        ``owner``: who holds the leases (:mod:`bot.mail.lease_owner`).
        """
        async with self._db.transaction() as db:
            return await submissions.claim_due(
                db,
                now,
                limit=limit,
                lease_seconds=lease_seconds,
                ignore_backoff=ignore_backoff,
                exclude=exclude,
                owner=owner,
            )

    async def renew_outbox_lease(self, outbox_id: int, owner: str, until: datetime) -> bool:
        """Keep ``owner``'s lease on a row it still sends; ``False`` if it was taken over."""
        async with self._db.transaction() as db:
            return await submissions.renew_lease(db, outbox_id, owner, until)

    async def receipts_on_day(self, address: str, now: datetime) -> int:
        """Receipts queued for ``address`` on the UTC day of ``now`` (the #11 abuse limit)."""
        async with self._db.read() as db:
            return await submissions.receipts_on_day(db, address, to_db_time(now)[:10])

    async def submission_owner(self, reference: str) -> str | None:
        """The user id a submission came from, to tell them in the chat how delivery went."""
        async with self._db.read() as db:
            return await submissions.submission_owner(db, reference)

    async def receipt_is_held(self, outbox_id: int) -> bool:
        """Whether a pending receipt waits for the ministry's server to accept the submission."""
        async with self._db.read() as db:
            return await submissions.receipt_is_held(db, outbox_id)

    async def mark_outbox_sent(self, outbox_id: int, now: datetime) -> tuple[str, ...]:
        """Record that the server accepted the message.

        If the person asked for deletion meanwhile and nothing else is left to send, the
        submission and its documents are erased now; the Message-IDs of its e-mails are
        returned, so the caller can delete its own copies of them (else an empty tuple).
        """
        async with self._db.transaction() as db:
            reference = await submissions.mark_sent(db, outbox_id, now)
            erased = None
            if reference is not None:
                erased = await privacy.erase_if_delivered(db, reference)
        if erased is not None:
            await self._db.checkpoint()
        return erased or ()

    async def reclaim_interrupted_outbox(
        self, now: datetime, gone: Callable[[str | None], bool]
    ) -> int:
        """Make rows leased by a sender that is ``gone`` due now (the bot does it at start)."""
        async with self._db.transaction() as db:
            return await submissions.reclaim_interrupted(db, now, gone)

    async def mark_outbox_retry(
        self, outbox_id: int, error: str, next_attempt_at: datetime
    ) -> None:
        """Record a temporary failure; the message is tried again at ``next_attempt_at``."""
        async with self._db.transaction() as db:
            await submissions.mark_retry(db, outbox_id, error, next_attempt_at)

    async def mark_outbox_failed(self, outbox_id: int, error: str) -> tuple[str, ...]:
        """Record a permanent failure that staff can see and retry.

        A submission whose owner asked for deletion is erased once nothing is left to send,
        even if a message failed: the deletion request wins over a delivery that cannot happen.
        Returns the erased submission's Message-IDs, as :meth:`mark_outbox_sent` does.
        """
        async with self._db.transaction() as db:
            reference = await submissions.mark_failed(db, outbox_id, error)
            erased = None
            if reference is not None:
                erased = await privacy.erase_if_delivered(db, reference)
        if erased is not None:
            await self._db.checkpoint()
        return erased or ()

    async def list_outbox(self, status: str | None = None) -> list[OutboxRecord]:
        """Outbox rows, failed first, then oldest first; optionally only those with ``status``."""
        async with self._db.read() as db:
            return await submissions.list_outbox(db, status)

    async def retry_outbox(self, outbox_id: int, now: datetime) -> bool:
        """Put a failed message back in the queue, due at once; ``False`` if it is not failed.

        The attempt counter starts again, so backoff starts short again.
        """
        async with self._db.transaction() as db:
            return await submissions.retry_failed(db, outbox_id, now)

    async def outbox_row(self, outbox_id: int) -> OutboxRecord | None:
        """One outbox row by id."""
        async with self._db.read() as db:
            return await submissions.outbox_record(db, outbox_id)
