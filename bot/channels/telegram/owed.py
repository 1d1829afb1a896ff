"""Replies a stop cut off: kept with the update that caused them, sent after the restart.

A stop that runs out of its grace cancels what is still being shown. The person's step was
stored, but the reply they wait for (often the next question) never arrived, and a restart
must not handle the update again. So whatever was not confirmed sent is kept, as Telegram
would show it, in the update's row of the journal (``owed``), and goes out first after the
restart, in that chat's turn.

Telegram cannot say whether a message that was on its way when the bot stopped arrived: the
Bot API has no idempotency key and no way to read a chat back. That message is sent again
(at least once, rather than a person left without their next question); while the bot runs,
a send that got no answer is not repeated (see :mod:`bot.channels.telegram.ratelimit`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, InlineKeyboardMarkup

from bot.channels.telegram.render import Rendered
from bot.i18n.catalogs import N_, gettext_for

log = logging.getLogger(__name__)

LOST = N_(
    "Beklager, svaret mitt kom ikke fram fordi jeg startet på nytt. "
    "Skriv /start for å fortsette der du var."
)
"""Sent when the stop came after the step was stored but before its reply was at hand."""


@dataclass
class Owed:
    """What a chat was owed: messages as Telegram shows them (text, keyboard as JSON)."""

    chat_id: int
    lang: str = "nb"
    parts: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)

    def add(self, rendered: Sequence[Rendered], first_part: int = 0) -> None:
        """Owe these replies, from part ``first_part`` of the first one on."""
        for number, reply in enumerate(rendered):
            last = len(reply.parts) - 1
            for index, text in enumerate(reply.parts):
                if number == 0 and index < first_part:
                    continue
                keyboard = reply.keyboard if index == last else None
                self.parts.append((text, keyboard.to_dict() if keyboard else None))

    def to_json(self) -> str:
        """The row's ``reply`` column."""
        return json.dumps({"chat": self.chat_id, "lang": self.lang, "parts": self.parts})

    @classmethod
    def from_json(cls, data: str) -> Owed | None:
        """Read a row back (``None`` if it is not one this version wrote)."""
        try:
            value = json.loads(data)
            parts = [(str(text), keyboard) for text, keyboard in value["parts"]]
            return cls(int(value["chat"]), str(value.get("lang", "nb")), parts)
        except (ValueError, TypeError, KeyError):
            return None


@dataclass(frozen=True)
class OwedReply:
    """An item of the chat queue: a reply owed since before the restart, to send in turn."""

    update_key: str
    update_id: int
    owed: Owed

    @property
    def chat_id(self) -> int:
        """The chat whose lane it waits in."""
        return self.owed.chat_id


async def deliver(bot: Bot, owed: Owed) -> None:
    """Send what was owed (or, if the reply itself was not at hand, how to go on)."""
    if not owed.parts:
        await bot.send_message(owed.chat_id, gettext_for(owed.lang).gettext(LOST))
        return
    for text, keyboard in owed.parts:
        markup = InlineKeyboardMarkup.de_json(keyboard, bot) if keyboard else None
        await bot.send_message(owed.chat_id, text, reply_markup=markup)
