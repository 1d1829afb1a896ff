"""Messages to people about their own draft: deadline reminders, and a warning before a purge.

The deadline reminders go to those who asked for them; the warning goes once before an
untouched draft is purged for age.

Each is sent once (claimed in ``jobs_sent`` under the person, the draft and the occasion) in
the person's language, at background priority. Only Telegram users (``tg:<id>``) can be reached.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.channels.telegram.staff_chat import BACKGROUND
from bot.channels.telegram.updates import private_chat_of
from bot.consultation.deadline import deadline_end
from bot.conversation.session import Session
from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.formats import format_date
from bot.service.back_office import BackOffice

log = logging.getLogger(__name__)

REMIND_BEFORE = (timedelta(days=7), timedelta(days=1))
"""When people who asked are reminded: this long before the deadline day ends."""
WARN_BEFORE_PURGE = timedelta(days=1)
"""How long before an untouched draft is purged its owner is told."""

PURGE_WARNING = N_(
    "Utkastet ditt er ikke brukt på {days} dager. I morgen blir det slettet. "
    "Skriv /start hvis du vil beholde det."
)


@dataclass
class Reminders:
    """Finds the drafts whose owners should hear from the bot now, and tells them once."""

    bot: ExtBot[Any]
    office: BackOffice
    retention_days: int

    async def run(self) -> int:
        """Send every reminder and warning due now; return how many were sent."""
        now, sent = self.office.clock(), 0
        soon_purged = now - timedelta(days=self.retention_days) + WARN_BEFORE_PURGE
        for draft in await self.office.drafts_to_remind(soon_purged):
            chat = private_chat_of(draft.user_id)
            if chat is None or not draft.has_content:
                continue
            sent += await self._deadline_reminder(draft, chat, now)
            sent += await self._purge_warning(draft, chat, now)
        return sent

    async def _deadline_reminder(self, draft: Session, chat: int, now: datetime) -> int:
        consultation = self.office.consultation
        end = deadline_end(consultation)
        due = [before for before in REMIND_BEFORE if end - before <= now < end]
        if not draft.remind_deadline or not due:
            return 0
        nearest = min(due)  # back after a long stop: only the latest reminder, not both
        keys = {before: f"remind:{draft.user_id}:{draft.draft_id}:{before.days}" for before in due}
        await self.office.mark_sent([k for b, k in keys.items() if b != nearest])
        days = max(1, (end - now).days)
        text = (
            gettext_for(draft.lang)
            .ngettext(
                "🔔 Fristen for innspill er {date}. Det er {n} dag igjen, og utkastet ditt er "
                "ikke sendt ennå. Skriv /start for å fortsette.",
                "🔔 Fristen for innspill er {date}. Det er {n} dager igjen, og utkastet ditt er "
                "ikke sendt ennå. Skriv /start for å fortsette.",
                days,
            )
            .format(date=format_date(consultation.deadline, draft.lang), n=days)
        )
        return await self._once(keys[nearest], chat, text)

    async def _purge_warning(self, draft: Session, chat: int, now: datetime) -> int:
        purge_at = draft.updated_at + timedelta(days=self.retention_days)
        if not purge_at - WARN_BEFORE_PURGE <= now < purge_at:
            return 0
        key = f"purge-warn:{draft.user_id}:{draft.draft_id}:{draft.updated_at.isoformat()}"
        text = gettext_for(draft.lang).gettext(PURGE_WARNING).format(days=self.retention_days - 1)
        return await self._once(key, chat, text)

    async def _once(self, key: str, chat: int, text: str) -> int:
        if not await self.office.claim(key):
            return 0
        try:
            await self.bot.send_message(chat, text, rate_limit_args=BACKGROUND)
        except TelegramError as error:
            await self.office.release(key)
            log.info("could not send %s: %s", key.split(":", 1)[0], error)
            return 0
        return 1
