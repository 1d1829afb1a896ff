"""The one place where the parts are wired together, started and stopped.

Both front ends (Telegram and the terminal) get the same runtime: the consultation, the store,
the conversation service, and the outbox worker that delivers submissions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import utc_now
from bot.engine.context import Limits
from bot.engine.loader import load_consultation
from bot.engine.model import Consultation
from bot.mail.headers import address_domain
from bot.mail.outbox import OutboxWorker
from bot.mail.transport import transport_from_settings
from bot.service import ConversationService
from bot.settings import Settings
from bot.storage import Store

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything a front end needs, opened together and closed together."""

    settings: Settings
    consultation: Consultation
    store: Store
    service: ConversationService
    worker: OutboxWorker
    purge_interval_seconds: float = 24 * 3600
    _purger: asyncio.Task[None] | None = field(default=None, repr=False)

    @classmethod
    async def open(cls, settings: Settings) -> Runtime:
        """Load the consultation, open the database and build the service and worker."""
        consultation = load_consultation(settings.conversation_file)
        store = await Store.open(settings.database_path)
        worker = OutboxWorker.from_settings(
            store, transport_from_settings(settings), settings, consultation
        )
        service = ConversationService(
            consultation,
            store,
            limits=Limits(
                max_submission_bytes=settings.max_submission_bytes,
                draft_retention_days=settings.draft_retention_days,
                send_receipts=settings.send_receipts,
                operator_name=settings.operator_name or "",
                operator_contact=settings.operator_contact or "",
            ),
            mail_domain=address_domain(settings.mail_from),
            send_receipts=settings.send_receipts,
            on_submitted=worker.notify,
        )
        return cls(settings, consultation, store, service, worker)

    async def start_background(self) -> None:
        """Start delivering mail and purge drafts nobody has touched for too long."""
        await self.purge_abandoned_drafts()
        await self.worker.start()
        if self._purger is None:
            self._purger = asyncio.create_task(self._purge_daily(), name="draft-purger")

    async def _purge_daily(self) -> None:
        while True:
            await asyncio.sleep(self.purge_interval_seconds)
            try:
                await self.purge_abandoned_drafts()
            except Exception:
                log.exception("purging abandoned drafts failed; trying again later")

    async def purge_abandoned_drafts(self) -> int:
        """Delete drafts older than ``DRAFT_RETENTION_DAYS``; return how many."""
        cutoff = utc_now() - timedelta(days=self.settings.draft_retention_days)
        purged = await self.store.purge_abandoned_drafts(cutoff)
        if purged:
            log.info("purged %d abandoned draft(s)", purged)
        return purged

    async def close(self) -> None:
        """Stop the worker (letting a send in flight finish) and close the database."""
        if self._purger is not None:
            self._purger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._purger
            self._purger = None
        await self.worker.stop()
        await self.store.close()
