"""The staff group: a card per new submission, an alert per failed delivery, a daily digest.

Everything sent here is remembered in ``jobs_sent`` (:class:`bot.storage.job_log.JobLog`) under
a key naming what it was about, so a restart neither repeats nor skips a message: cards and
alerts are found by a sweep (woken by each new submission, and every minute for failures),
and the digest due most recently is sent at start-up if it was missed. Staff texts are bokmål.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.consultation.model import Consultation
from bot.service.back_office import BackOffice
from bot.staff.cards import alert_text, card_text, digest_text, latest_digest_moment
from bot.staff.material import Material

log = logging.getLogger(__name__)

EXPORT_BUTTON = "staff:eksport"
"""Callback data of the digest's export button (handled in :mod:`bot.channels.telegram.admin`)."""
RETRY_PREFIX = "staff:retry:"
"""Callback data prefix of a retry button: ``staff:retry:<outbox id>``."""
BACKGROUND: dict[str, Any] = {"priority": "background"}
"""Staff messages wait behind replies to people (see :mod:`bot.channels.telegram.ratelimit`)."""
DIGEST_SLACK = timedelta(seconds=5)
BASELINE = "staff:baseline"
"""Set the first time the staff chat runs: what existed before gets no card or alert."""


@dataclass
class StaffChat:
    """Sends to the staff group and remembers what it sent."""

    bot: ExtBot[Any]
    chat_id: int
    office: BackOffice
    digest_time: time

    @property
    def consultation(self) -> Consultation:
        """The consultation the cards and digests are about."""
        return self.office.consultation

    async def baseline(self) -> None:
        """On the very first run, count what already exists as seen (no flood of old cards)."""
        if await self.office.was_sent(BASELINE):
            return
        subs = await self.office.submissions()
        failed = await self.office.outbox("failed")
        keys = [f"card:{s.reference}" for s in subs] + [f"alert:{r.id}" for r in failed]
        await self.office.mark_sent([*keys, BASELINE])

    async def sweep(self) -> None:
        """Send the cards and alerts not sent yet."""
        references, failed = await self.office.not_yet_told()
        for reference in references:
            sub = await self.office.submission(reference)
            if sub is not None:
                await self._once(f"card:{reference}", card_text(self.consultation, sub))
        for outbox_id in failed:
            record = await self.office.outbox_row(outbox_id)
            if record is not None:
                await self._once(f"alert:{outbox_id}", alert_text(record))

    async def digest_if_due(self) -> bool:
        """Send the digest due most recently unless it went out already; ``True`` if sent."""
        # A job may fire a hair before its moment by our clock: a little slack, not a day early.
        until = latest_digest_moment(self.office.clock() + DIGEST_SLACK, self.digest_time)
        since = until - timedelta(days=1)
        # Grouped by what people typed: documents' text is left to the export and compilation,
        # so the daily digest never reads every document ever uploaded.
        material = Material(await self.office.submissions())
        subs = [s for s in material.submissions if since < s.received_at <= until]
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton("📥 Hent eksporten (Excel)", callback_data=EXPORT_BUTTON)]]
        )
        text = digest_text(self.consultation, subs, since, until, material.likeness)
        return await self._once(f"digest:{until.date().isoformat()}", text, keyboard)

    async def _once(
        self, key: str, text: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> bool:
        if not await self.office.claim(key):
            return False
        try:
            await self.bot.send_message(
                self.chat_id, text[:4096], reply_markup=keyboard, rate_limit_args=BACKGROUND
            )
        except TelegramError as error:
            await self.office.release(key)
            log.warning("could not post %s to the staff chat: %s", key, error)
            return False
        log.info("posted %s to the staff chat", key)
        return True
