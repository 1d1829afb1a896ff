"""What people hear while storage is down: one short notice per person per outage.

Their message is not lost: an update that could not be stored is not confirmed, so Telegram
serves it again, and one stored but not handled waits at the front of its chat's lane. Both are
answered once writes work again, so the notice says there is no need to send it again (a copy
sent anyway would be taken as more of the answer).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.languages import resolve_language
from bot.storage.outage import WriteOutage

log = logging.getLogger(__name__)

FAULT = N_(
    "Beklager, jeg har en midlertidig feil. Jeg svarer deg så snart den er rettet, "
    "så du trenger ikke sende noe på nytt."
)


class FaultNotice:
    """Tells each person once per outage that the bot has a temporary fault."""

    def __init__(self, outage: WriteOutage) -> None:
        """Forget who was told when an outage ends, so the next one is told again."""
        self._told: set[int] = set()
        outage.subscribe(lambda active: None if active else self._told.clear())

    async def tell(self, bot: Bot, chat_id: int, lang: str) -> None:
        """Tell the person in private chat ``chat_id``, in ``lang``, unless told already."""
        if chat_id in self._told:
            return
        self._told.add(chat_id)
        try:
            await bot.send_message(chat_id, gettext_for(lang).gettext(FAULT))
        except TelegramError as error:
            log.info("could not tell chat %s about the fault: %s", chat_id, error)

    async def tell_senders(self, bot: Bot, updates: list[dict[str, Any]]) -> None:
        """Tell the people whose private messages or presses (Telegram's JSON) wait."""
        for data in updates:
            press, message = data.get("callback_query"), data.get("message")
            if isinstance(press, dict):
                sender, holder = press.get("from"), press.get("message")
            elif isinstance(message, dict):
                sender, holder = message.get("from"), message
            else:
                continue
            chat = holder.get("chat") if isinstance(holder, dict) else None
            if not isinstance(sender, dict) or not isinstance(chat, dict):
                continue
            if chat.get("type") != "private" or not isinstance(chat.get("id"), int):
                continue
            language = sender.get("language_code")
            lang, _known = resolve_language(language if isinstance(language, str) else None)
            await self.tell(bot, chat["id"], lang)
