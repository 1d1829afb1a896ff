"""What a chat that floods the bot gets: texts joined into one, the rest dropped with one notice.

Used by :class:`bot.channels.telegram.ordering.ChatOrderedProcessor` once a chat has more updates
waiting than its queue holds. A client that forwards a hundred messages at once should get
one answer for them, not a hundred, and must not hold up everyone else while it is served.
"""

from __future__ import annotations

import asyncio
import logging
from types import MappingProxyType
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.languages import resolve_language

log = logging.getLogger(__name__)

SLOW_DOWN = N_(
    "Du sender raskere enn jeg rekker å svare, så noe av det siste kom ikke med. "
    "Vent til jeg har svart, og send det som mangler på nytt."
)

MERGED = "innspill_merged_update_ids"
"""Where a waiting update keeps the ids of the updates joined to it."""
LAST_MESSAGE = "innspill_last_joined_message_id"
"""Where a waiting update keeps the id of the last message whose text was joined to it."""


def plain_text(update: object) -> str | None:
    """The text of a new private message that is neither a command nor part of an album."""
    if not isinstance(update, Update) or update.message is None:
        return None
    message = update.message
    if message.text is None or message.text.startswith("/") or message.media_group_id:
        return None
    if update.effective_chat is None or update.effective_chat.type != "private":
        return None
    return message.text


def coalesce(into: object, update: object) -> bool:
    """Append ``update``'s text to the waiting ``into``; ``False`` unless both are plain text."""
    first, more = plain_text(into), plain_text(update)
    if first is None or more is None:
        return False
    assert isinstance(into, Update)
    assert isinstance(update, Update)
    assert into.message is not None
    assert update.message is not None
    if into.message.from_user != update.message.from_user:
        return False
    # PTB freezes its objects; the waiting update has not been handled yet, so it is ours to
    # change: its handler will see one message with both texts.
    with into.message._unfrozen():
        into.message.text = f"{first}\n{more}"
    # Its update id goes along, so the handler records it as applied with the one it joined
    # (a restart that serves both again must not add the text a second time).
    joined = (*merged_ids(into), update.update_id, *merged_ids(update))
    last = last_message_id(update)
    with into._unfrozen():
        into.api_kwargs = MappingProxyType(
            {**into.api_kwargs, MERGED: joined, LAST_MESSAGE: last}
        )
    return True


def raw_plain_text(data: dict[str, Any]) -> str | None:
    """:func:`plain_text` of an update still in Telegram's JSON."""
    message = data.get("message")
    if not isinstance(message, dict):
        return None
    text = message.get("text")
    if not isinstance(text, str) or text.startswith("/") or message.get("media_group_id"):
        return None
    chat = message.get("chat")
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    return text


def coalesce_raw(into: dict[str, Any], data: dict[str, Any]) -> bool:
    """:func:`coalesce` for two updates still in Telegram's JSON (not decoded yet)."""
    first, more = raw_plain_text(into), raw_plain_text(data)
    if first is None or more is None:
        return False
    if into["message"].get("from", {}).get("id") != data["message"].get("from", {}).get("id"):
        return False
    into["message"]["text"] = f"{first}\n{more}"
    # An unknown key of an update ends up in its ``api_kwargs``, where merged_ids looks.
    into[MERGED] = [*into.get(MERGED, ()), data["update_id"], *data.get(MERGED, ())]
    into[LAST_MESSAGE] = data.get(LAST_MESSAGE, data["message"].get("message_id"))
    return True


def merged_ids(update: Update) -> tuple[int, ...]:
    """The ids of the updates whose text :func:`coalesce` joined to ``update``."""
    return tuple(update.api_kwargs.get(MERGED, ()))


def last_message_id(update: Update) -> int:
    """The id of the last message in ``update``'s text (its own, unless others were joined).

    The joined text is stored under this id, so the person's next message, which follows
    the last one they sent, is recognised as more of the same answer.
    """
    assert update.message is not None
    last = update.api_kwargs.get(LAST_MESSAGE)
    return last if isinstance(last, int) else update.message.message_id


async def tell_to_slow_down(update: object) -> None:
    """One polite notice in the person's language (a toast for a button press)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    lang, _known = resolve_language(user.language_code if user else None)
    text = gettext_for(lang).gettext(SLOW_DOWN)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        else:
            await update.get_bot().send_message(update.effective_chat.id, text)
    except TelegramError as error:
        log.info("could not tell chat %s to slow down: %s", update.effective_chat.id, error)


async def ignore(update: object) -> None:
    """Answer a dropped button press silently, so its spinner stops; drop anything else."""
    if not isinstance(update, Update) or update.callback_query is None:
        return
    try:
        await update.callback_query.answer()
    except TelegramError as error:
        log.info("could not answer a dropped button press: %s", error)


def close(awaitable: object) -> None:
    """Discard the handler of a dropped or merged update without running it."""
    if asyncio.iscoroutine(awaitable):
        awaitable.close()
