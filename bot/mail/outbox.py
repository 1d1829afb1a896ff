"""The outbox worker: sends stored messages, retries what failed for now, never loses one.

Rows are written by storage in the same transaction as the submission. The worker claims due
rows (a lease, so a crash leaves them due again later), builds each message from the stored
submission and documents, hands it to the transport, and marks it sent only after the
transport returned. A crash between "accepted" and "marked" therefore means one resend with
the same Message-ID, never a lost message. A lease names the process holding it and is
renewed while it sends (:mod:`bot.mail.lease_owner`), so another sender (the bot starting
beside an operator's ``innspill outbox send``) takes over only a lease whose owner is gone.

A receipt is claimed only after the ministry's server accepted its submission (storage holds
it back), so nobody is told their input arrived unless it did. When the ministry's copy fails
for good, the worker logs an ERROR and hands a :class:`DeliveryFailure` to the
:class:`DeliveryNotifier`, which tells the person in the chat and can alert staff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from bot.consultation.model import Consultation
from bot.conversation.build import localized
from bot.conversation.submission import Submission
from bot.i18n.languages import SOURCE
from bot.mail.compose import (
    AttachmentData,
    compose_ministry_message,
    compose_receipt,
)
from bot.mail.failures import DeliveryFailure, DeliveryNotifier, LogNotifier
from bot.mail.headers import address_domain, message_id_for
from bot.mail.lease_owner import is_gone, this_process
from bot.mail.outbox_store import ClaimedMessage, OutboxStore
from bot.mail.transport import PermanentMailError, TransientMailError, Transport, forget_copies
from bot.ops import metrics
from bot.ops.clock import utc_now
from bot.storage.outage import is_outage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassReport:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1 for the first).

    Exponential backoff with full jitter spreads retries when many messages failed
    together; the floor of one second keeps a message out of the pass that just failed it.
    """
    ceiling = min(cap, base * 2 ** max(attempt - 1, 0))
    return max(1.0, rng.uniform(0, ceiling))


STOP_WAIT = 2.0
"""Seconds a stop waits for a message being sent (the bot's whole stop has a grace)."""


class _Permanent(Exception):
    """A row that cannot be sent as it is (missing submission, unusable address)."""


class OutboxWorker:
    """Sends due outbox rows, one pass at a time or in the background."""

    def __init__(
        self,
        store: OutboxStore,
        transport: Transport,
        *,
        mail_from: str,
        recipient_override: str | None,
        clock: Callable[[], datetime] = utc_now,
        poll_seconds: float = 15,
        max_attempts: int = 12,
        base_delay: float = 30,
        max_delay: float = 3600,
        rng: random.Random | None = None,
        batch_size: int = 10,
        lease_seconds: float = 300,
        consultation: Consultation | None = None,
        notifier: DeliveryNotifier | None = None,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.transport = transport
        self.mail_from = mail_from
        self.domain = address_domain(mail_from)
        self.recipient_override = recipient_override
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        # Jitter, not security: a seeded Random keeps tests repeatable.
        self.rng = rng or random.Random()
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.consultation = consultation  # lets receipts read in the person's language
        self.notifier: DeliveryNotifier = notifier or LogNotifier()
        self.delivered = 0
        """Messages this worker has handed to the transport since it was made."""
        self.owner = owner or this_process()
        """Who this worker's leases name (this process, unless a test plays another)."""
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # -- one pass ---------------------------------------------------------------------------------

    async def run_once(self, *, ignore_backoff: bool = False) -> PassReport:
        """Send everything that is due now; return how many were sent, retried and failed.

        Each row is tried at most once per pass. A receipt released by its ministry row
        sent earlier in the pass goes in the same pass. ``ignore_backoff`` (an operator's
        ``innspill outbox send``) also tries rows still waiting out a retry delay.
        """
        sent = retried = failed = 0
        seen: list[int] = []
        for _batch in range(100):  # a bound, so a pass always ends
            rows = list(
                await self.store.claim_due_outbox(
                    self.clock(),
                    limit=self.batch_size,
                    lease_seconds=self.lease_seconds,
                    ignore_backoff=ignore_backoff,
                    exclude=seen,
                    owner=self.owner,
                )
            )
            if not rows:
                break
            seen.extend(row.id for row in rows)
            for index, row in enumerate(rows):
                if self._stopping:
                    await self._release(rows[index:])
                    return PassReport(sent, retried, failed)
                outcome = await self._deliver(row)
                sent += outcome == "sent"
                retried += outcome == "retried"
                failed += outcome == "failed"
        return PassReport(sent, retried, failed)

    async def _deliver(self, row: ClaimedMessage) -> str:
        """Send one row and record the result; returns "sent", "retried" or "failed"."""
        permanent = False
        renewing = asyncio.create_task(self._renew(row.id), name=f"outbox-lease-{row.id}")
        try:
            message = await self._compose(row)
            await self.transport.send(message)
        except (_Permanent, PermanentMailError) as exc:
            error, permanent = str(exc), True
        except TransientMailError as exc:
            error = str(exc)
        except Exception as exc:
            log.exception("outbox %d (%s, %s): unexpected error", row.id, row.kind, row.reference)
            error = f"{type(exc).__name__}: {exc}"
        else:
            renewing.cancel()
            erased = await self.store.mark_outbox_sent(row.id, self.clock())
            # Its sender asked for deletion while it waited: our .eml copies go too.
            await forget_copies(self.transport, erased)
            metrics.count(metrics.DELIVERIES)
            self.delivered += 1
            log.info(
                "outbox %d (%s, %s) sent as %s", row.id, row.kind, row.reference, row.message_id
            )
            return "sent"
        finally:
            renewing.cancel()
        if permanent:
            await self._fail(row, error)
            return "failed"
        return await self._retry_or_fail(row, error)

    async def _renew(self, outbox_id: int) -> None:
        """Renew this process's lease on a row while it is being sent (a slow server)."""
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            until = self.clock() + timedelta(seconds=self.lease_seconds)
            try:
                if not await self.store.renew_outbox_lease(outbox_id, self.owner, until):
                    return
            except Exception as error:
                if not is_outage(error):  # an outage is logged once, by storage
                    log.warning("outbox %d: could not renew its lease: %s", outbox_id, error)

    async def _fail(self, row: ClaimedMessage, error: str) -> None:
        """Record a permanent failure, loudly, and let the notifier tell whoever must know."""
        await forget_copies(self.transport, await self.store.mark_outbox_failed(row.id, error))
        metrics.count(metrics.DELIVERY_FAILURES)
        log.error(
            "outbox %d (%s, %s) failed permanently: %s", row.id, row.kind, row.reference, error
        )
        submission = await self.store.get_submission(row.reference)
        failure = DeliveryFailure(
            outbox_id=row.id,
            kind=row.kind,
            reference=row.reference,
            error=error,
            user_id=await self.store.submission_owner(row.reference),
            language=submission.language if submission else SOURCE,
        )
        try:
            await self.notifier.on_permanent_failure(failure)
        except Exception:
            log.exception("outbox %d (%s): telling about the failure failed", row.id, row.reference)

    async def _retry_or_fail(self, row: ClaimedMessage, error: str) -> str:
        if row.attempts >= self.max_attempts:
            await self._fail(row, f"gave up after {row.attempts} attempts: {error}")
            return "failed"
        delay = backoff_delay(row.attempts, self.base_delay, self.max_delay, self.rng)
        next_at = self.clock() + timedelta(seconds=delay)
        await self.store.mark_outbox_retry(row.id, error, next_at)
        log.warning(
            "outbox %d (%s, %s) attempt %d failed, retry in %.0f s: %s",
            row.id,
            row.kind,
            row.reference,
            row.attempts,
            delay,
            error,
        )
        return "retried"

    async def _release(self, rows: Sequence[ClaimedMessage]) -> None:
        """Give claimed but unsent rows back at once, so a restart need not wait for the lease."""
        now = self.clock()
        for row in rows:
            await self.store.mark_outbox_retry(row.id, "not sent: the worker was stopping", now)

    async def _compose(self, row: ClaimedMessage) -> EmailMessage:
        submission = await self.store.get_submission(row.reference)
        if submission is None:
            raise _Permanent(f"submission {row.reference} not found in storage")
        if (
            submission.deadline is None
            and self.consultation is not None
            and submission.consultation_id == self.consultation.id
        ):  # stored before submissions carried their deadline
            submission = submission.model_copy(update={"deadline": self.consultation.deadline})
        message_id = row.message_id or message_id_for(row.reference, row.kind, self.domain)
        try:
            if row.kind == "ministry":
                documents, missing = await self._documents(submission)
                return compose_ministry_message(
                    submission,
                    documents,
                    mail_from=self.mail_from,
                    to=self.recipient_override or submission.recipient,
                    message_id=message_id,
                    missing=missing,
                )
            if row.kind == "receipt":
                if self.consultation is not None:
                    submission = localized(self.consultation, submission, submission.language)
                return compose_receipt(
                    submission,
                    mail_from=self.mail_from,
                    to=self.recipient_override or row.recipient,
                    message_id=message_id,
                    ministry_recipient=self.recipient_override or submission.recipient,
                )
        except ValueError as exc:
            raise _Permanent(f"cannot compose the message: {exc}") from exc
        raise _Permanent(f"unknown outbox kind {row.kind!r}")

    async def _documents(self, sub: Submission) -> tuple[list[AttachmentData], list[str]]:
        """The submission's documents from storage; names of any that are gone are listed."""
        found: list[AttachmentData] = []
        missing: list[str] = []
        for info in sub.attachments:
            stored = await self.store.attachment(info.id)
            if stored is None:
                log.warning("submission %s: attachment %s is missing", sub.reference, info.id)
                missing.append(info.file_name)
            else:
                found.append(stored)
        return found, missing

    # -- in the background ------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the background loop runs."""
        return self._task is not None and not self._task.done()

    def notify(self) -> None:
        """Wake the background loop now (call it right after a submission is stored)."""
        self._wake.set()

    async def start(self) -> None:
        """Start the background loop (a no-op if it runs already)."""
        if self.running:
            return
        # A row still leased by a process that is gone (the bot's previous run, killed) is
        # sent again now rather than after the lease: at worst a repeat with the same
        # Message-ID, which at-least-once delivery allows. A lease whose owner still runs (an
        # operator's `innspill outbox send`, beside this start) is that owner's to finish.
        reclaimed = await self.store.reclaim_interrupted_outbox(self.clock(), is_gone)
        if reclaimed:
            log.info("sending %d message(s) again that a stopped run was sending", reclaimed)
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="outbox-worker")

    async def stop(self, wait: float = STOP_WAIT) -> None:
        """Stop the loop; a message being sent is finished and recorded first.

        At most ``wait`` seconds: a message still being sent then (a slow server) is cut off
        and sent again later, with the same Message-ID.
        """
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is not None:
            done, _ = await asyncio.wait({task}, timeout=wait)
            if not done:
                log.warning("stopping: a message was still being sent; it is sent again later")
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # The loop is gone; a later explicit run_once() (a final flush) may send again.
        self._stopping = False

    async def _loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.run_once()
            except Exception as error:
                if not is_outage(error):  # an outage is logged once, by storage
                    log.exception("outbox pass failed; trying again in %.0f s", self.poll_seconds)
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
