"""What a chat that floods the bot gets: texts joined into one, the rest dropped with one notice.

Applied by :class:`bot.channels.telegram.chat_queue.ChatQueue` once a chat has more updates
waiting than its lane holds, on the updates as Telegram sent them (JSON, not decoded yet). A
client that forwards a hundred messages at once should get one answer for them, not a hundred,
and must not hold up everyone else while it is served.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.languages import resolve_language

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

SLOW_DOWN = N_(
    "Du sender raskere enn jeg rekker å svare, så noe av det siste kom ikke med. "
    "Vent til jeg har svart, og send det som mangler på nytt."
)

MERGED = "innspill_merged_update_ids"
"""Where a waiting update keeps the ids of the updates joined to it (an unknown key of an
update ends up in the decoded update's ``api_kwargs``)."""
LAST_MESSAGE = "innspill_last_joined_message_id"
"""Where a waiting update keeps the id of the last message whose text was joined to it."""


def plain_text(data: JSONDict) -> str | None:
    """The text of a new private message that is neither a command nor part of an album."""
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


def _sender(data: JSONDict) -> object:
    sender = data["message"].get("from")
    return sender.get("id") if isinstance(sender, dict) else None


def fold(into: JSONDict, data: JSONDict) -> bool:
    """Append ``data``'s text to the waiting ``into``; ``False`` unless both are plain text.

    The joined update's id goes along, so the handler records it as applied with the one it
    joined (a restart that serves both again must not add the text a second time).
    """
    first, more = plain_text(into), plain_text(data)
    if first is None or more is None or _sender(into) != _sender(data):
        return False
    into["message"]["text"] = f"{first}\n{more}"
    into[MERGED] = [*into.get(MERGED, ()), data["update_id"], *data.get(MERGED, ())]
    into[LAST_MESSAGE] = data.get(LAST_MESSAGE, data["message"].get("message_id"))
    return True


def merged_ids(update: Update) -> tuple[int, ...]:
    """The ids of the updates whose text :func:`fold` joined to ``update``."""
    return tuple(update.api_kwargs.get(MERGED, ()))


def last_message_id(update: Update) -> int:
    """The id of the last message in ``update``'s text (its own, unless others were joined).

    The joined text is stored under this id, so the person's next message, which follows
    the last one they sent, is recognised as more of the same answer.
    """
    assert update.message is not None
    last = update.api_kwargs.get(LAST_MESSAGE)
    return last if isinstance(last, int) else update.message.message_id


async def answer_dropped(bot: Bot, data: JSONDict, *, tell: bool) -> None:
    """Stop a dropped press's spinner; with ``tell``, one polite notice in the person's language.

    A press gets the notice as a toast, a message as a message.
    """
    query = data.get("callback_query")
    message = data.get("message")
    body = query if isinstance(query, dict) else message if isinstance(message, dict) else {}
    person = body.get("from")
    language = person.get("language_code") if isinstance(person, dict) else None
    text = gettext_for(resolve_language(language)[0]).gettext(SLOW_DOWN) if tell else None
    try:
        if isinstance(query, dict) and isinstance(query.get("id"), str):
            await bot.answer_callback_query(query["id"], text)
        elif text and isinstance(message, dict) and isinstance(message.get("chat"), dict):
            await bot.send_message(message["chat"]["id"], text)
    except TelegramError as error:
        log.info("could not answer a dropped update: %s", error)
