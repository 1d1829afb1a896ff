"""Tell someone whose draft was purged for age why it is gone, the first time they come back.

Runs before every other handler (group -1) and lets the update go on to them, so the person
reads the reason first and then the welcome. The purge leaves a ``purged:<user>`` note in
``jobs_sent``; it is removed once told (or if the person has a draft again by then).
"""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import TypeHandler

from bot.channels.telegram.updates import AnyApplication, Context, user_key
from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.languages import resolve_language
from bot.service.back_office import BackOffice

log = logging.getLogger(__name__)

PURGED = "purged:"
NOTICE = N_(
    "Utkastet ditt er slettet fordi det ikke var brukt på {days} dager. "
    "Vi tar ikke vare på uferdige innspill lenger enn det. Du kan begynne på nytt."
)


CLEAR_FOR = 3600.0
"""Seconds a person found without a note is not asked about again. Each of their updates
would otherwise cost a database trip (and a turn at its lock) for a note that only a purge
of a draft untouched for days can leave; one written meanwhile is told at most this late."""
CLEAR_KEPT = 100_000
"""People remembered as clear; beyond this the memory starts afresh."""


class PurgeNotice:
    """The one-time explanation after a purge."""

    def __init__(self, office: BackOffice, retention_days: int) -> None:
        """Explain purges done after ``retention_days`` of no use."""
        self.office = office
        self.retention_days = retention_days
        self._clear_since: dict[str, float] = {}

    def register(self, app: AnyApplication) -> None:
        """Run before the conversation's handlers, without stopping the update."""
        app.add_handler(TypeHandler(Update, self.on_update), group=-1)

    async def on_update(self, update: Update, context: Context) -> None:
        """If this person's draft was purged since they last wrote, say so once."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or chat.type != ChatType.PRIVATE:
            return
        key = PURGED + user_key(user.id)
        checked = self._clear_since.get(key)
        if checked is not None and time.monotonic() - checked < CLEAR_FOR:
            return
        if not await self.office.was_sent(key):
            if len(self._clear_since) >= CLEAR_KEPT:
                self._clear_since.clear()
            self._clear_since[key] = time.monotonic()
            return
        self._clear_since.pop(key, None)
        await self.office.release(key)
        session = await self.office.session_of(user_key(user.id))
        if session is not None and session.status == "draft" and session.has_content:
            return  # they have a draft again: nothing to explain
        lang = session.lang if session else resolve_language(user.language_code)[0]
        text = gettext_for(lang).gettext(NOTICE).format(days=self.retention_days)
        try:
            await context.bot.send_message(chat.id, text)
        except TelegramError as error:
            log.info("could not explain a purged draft: %s", error)
