"""What an update is, before any handler acts on it: its keys, its person, its kind.

Shared by the handlers, the admin commands and the timed jobs, so none of them has to import
another's module for these small facts.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from telegram import Message, Update
from telegram.ext import Application, ContextTypes, filters

from bot.channels.telegram import flood

Context = ContextTypes.DEFAULT_TYPE
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

UNSUPPORTED_KINDS: dict[str, filters.BaseFilter] = {
    "sticker": filters.Sticker.ALL,
    "photo": filters.PHOTO,
    "voice": filters.VOICE,
    "video": filters.VIDEO,
    "video_note": filters.VIDEO_NOTE,
    "audio": filters.AUDIO,
    "animation": filters.ANIMATION,
    "venue": filters.VENUE,
    "location": filters.LOCATION,
    "contact": filters.CONTACT,
    "poll": filters.POLL,
    "dice": filters.Dice.ALL,
    "game": filters.GAME,
    "story": filters.STORY,
}
"""Message contents the conversation cannot use: the attribute Telegram sets (the kind the
engine explains) and the filter that finds it. Venue comes before location: a venue carries
a location too, and the first kind found is the one explained."""
UNSUPPORTED: filters.BaseFilter = functools.reduce(operator.or_, UNSUPPORTED_KINDS.values())


class _InAlbum(filters.MessageFilter):
    """Messages that are part of an album (a ``media_group_id`` is set)."""

    def filter(self, message: Message) -> bool:
        return message.media_group_id is not None


IN_ALBUM = _InAlbum(name="InAlbum")


def update_source(bot_id: int) -> str:
    """Where a bot's updates come from: the prefix of their keys."""
    return f"tg:{bot_id}"


def update_key(update: Update, bot_id: int) -> str:
    """The service's idempotency key for an update received by the bot ``bot_id``."""
    return f"{update_source(bot_id)}:{update.update_id}"


def update_keys(update: Update, bot_id: int) -> list[str]:
    """The keys of an update and of every update whose text was joined to it."""
    source = update_source(bot_id)
    return [f"{source}:{n}" for n in (update.update_id, *flood.merged_ids(update))]


def user_key(user_id: int) -> str:
    """How the service knows a Telegram user."""
    return f"tg:{user_id}"


def private_chat_of(key: str) -> int | None:
    """The private chat of a Telegram user's key (``tg:<id>``), or ``None`` for another's.

    A private chat's id is the user's id, so the key names the chat to write to.
    """
    prefix, colon, number = key.partition(":")
    return int(number) if prefix == "tg" and colon and number.isdigit() else None


def unsupported_kind(message: Message) -> str:
    """What kind of content a message carries, for the engine's friendly explanation."""
    for kind in UNSUPPORTED_KINDS:
        if getattr(message, kind, None):
            return kind
    return "other"
