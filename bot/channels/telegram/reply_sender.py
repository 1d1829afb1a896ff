"""Bot API calls that show replies: one call per action wherever it reads well.

A typed message is answered with one new message (the engine joins what it says in a turn).
A button press on the newest message is answered by editing that message: the question, the
choice under it, and the reply with its buttons. Toggles edit only the keyboard. Replies are
sent one after the other, in order, after the service has saved the step; the rate limiter
paces and retries them, so a reply is delayed rather than dropped.

Which message is the newest in a chat is what this process has seen: message ids in a chat
count up for both sides, so the newest is the highest id seen. Unknown after a restart: the
bot then answers with a new message.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.error import BadRequest, TelegramError

from bot.channels.telegram import turns
from bot.channels.telegram.owed import Owed
from bot.channels.telegram.render import MAX_MESSAGE_CHARS, Rendered, render
from bot.conversation.events import Reply

log = logging.getLogger(__name__)

MAX_CHATS = 10_000
"""Chats whose newest message is remembered; the least recently active are forgotten first."""


class LatestMessages:
    """The highest message id seen per chat, for a bounded number of chats."""

    def __init__(self, max_chats: int = MAX_CHATS) -> None:
        self._latest: OrderedDict[int, int] = OrderedDict()
        self._max_chats = max_chats

    def seen(self, chat_id: int, message_id: int) -> None:
        """A message (the person's or ours) appeared in the chat."""
        self._latest[chat_id] = max(message_id, self._latest.get(chat_id, 0))
        self._latest.move_to_end(chat_id)
        if len(self._latest) > self._max_chats:
            self._latest.popitem(last=False)

    def is_latest(self, chat_id: int, message_id: int) -> bool:
        """Whether nothing newer than ``message_id`` is known in the chat."""
        return self._latest.get(chat_id) == message_id


def is_not_modified(error: BadRequest) -> bool:
    """Telegram's answer to an edit that changes nothing (e.g. a double tap on a toggle)."""
    return "not modified" in error.message.lower()


async def send_replies(
    bot: Bot,
    chat_id: int,
    replies: list[Reply],
    *,
    pressed: Message | None = None,
    pressed_is_current: bool = False,
    pressed_label: str | None = None,
    latest: LatestMessages | None = None,
) -> None:
    """Show ``replies`` in a chat.

    ``pressed`` is the message whose button led to these replies. A reply marked
    ``replace_previous`` edits that message in place (the ✅ toggles of a multi-select).
    Otherwise, once the person has moved past the pressed question (``pressed_is_current`` is
    false), the chosen ``pressed_label`` is written under the question and its keyboard taken
    off, so its buttons cannot be pressed again by mistake. When the pressed message is the
    newest in the chat (``latest``), that same edit also brings the reply: one call per press.
    A question still being answered (e.g. "choose at least one theme") keeps its buttons.
    """
    shown = _Shown()
    try:
        await _show(
            bot, chat_id, replies, shown, pressed, pressed_is_current, pressed_label, latest
        )
    except asyncio.CancelledError:  # a stop ran out of time: the rest is owed
        turn = turns.current()
        if turn is not None:
            turn.owed = turn.owed or Owed(chat_id)
            rest = [r for r in map(render, replies[shown.replies :]) if r.parts]
            turn.owed.add(rest, first_part=shown.parts)
        raise


@dataclass
class _Shown:
    """How far a chat's replies got: whole replies, and parts of the one being sent."""

    replies: int = 0
    parts: int = 0


async def _show(
    bot: Bot,
    chat_id: int,
    replies: list[Reply],
    shown: _Shown,
    pressed: Message | None,
    pressed_is_current: bool,
    pressed_label: str | None,
    latest: LatestMessages | None,
) -> None:
    will_edit = pressed is not None and any(r.replace_previous for r in replies)
    if pressed is not None and replies and not will_edit and not pressed_is_current:
        newest = latest is not None and latest.is_latest(chat_id, pressed.message_id)
        if newest and await _answer_in_place(bot, chat_id, pressed, pressed_label, replies):
            shown.replies = len(replies)
            return
        await remove_keyboard(bot, chat_id, pressed, chosen=pressed_label)
    edited = False
    for reply in replies:
        rendered = render(reply)
        can_edit = rendered.replace_previous and pressed is not None and not edited
        if not rendered.parts:
            log.warning("skipping an empty reply at step %s", reply.step)
        elif can_edit and pressed is not None and await _edit(bot, chat_id, pressed, rendered):
            edited = True
        else:
            await _send(bot, chat_id, rendered, latest, shown)
        shown.replies, shown.parts = shown.replies + 1, 0


async def _send(
    bot: Bot, chat_id: int, rendered: Rendered, latest: LatestMessages | None, shown: _Shown
) -> None:
    last = len(rendered.parts) - 1
    for index, part in enumerate(rendered.parts):
        sent = await bot.send_message(
            chat_id=chat_id,
            text=part,
            reply_markup=rendered.keyboard if index == last else None,
        )
        shown.parts = index + 1
        if latest is not None:
            latest.seen(chat_id, sent.message_id)


def _answered(message: Message, chosen: str | None) -> str | None:
    """The question with the chosen answer written under it."""
    return f"{message.text}\n\n→ {chosen}" if chosen and message.text else None


async def _answer_in_place(
    bot: Bot, chat_id: int, pressed: Message, chosen: str | None, replies: list[Reply]
) -> bool:
    """Edit the pressed message into: question, the choice, and the reply (with its buttons).

    ``False`` when the reply does not fit in one message or the edit failed; the caller then
    takes the keyboard off and sends the reply as a new message.
    """
    answered = _answered(pressed, chosen)
    rendered = [r for r in map(render, replies) if r.parts]
    if answered is None or len(rendered) != 1 or len(rendered[0].parts) != 1:
        return False
    text = f"{answered}\n\n{rendered[0].parts[0]}"
    if len(text) > MAX_MESSAGE_CHARS:
        return False
    try:
        await bot.edit_message_text(
            chat_id=chat_id,
            message_id=pressed.message_id,
            text=text,
            reply_markup=rendered[0].keyboard,
        )
    except TelegramError as error:
        log.info("could not answer in message %s (%s); sending anew", pressed.message_id, error)
        return False
    return True


async def _edit(bot: Bot, chat_id: int, pressed: Message, rendered: Rendered) -> bool:
    """Edit the pressed message; ``False`` if it cannot be edited and a new one is needed."""
    if len(rendered.parts) != 1:
        return False
    try:
        if pressed.text and pressed.text.endswith(rendered.parts[0]):
            # Same question, new ticks: the text above it (earlier answers) stays.
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=pressed.message_id, reply_markup=rendered.keyboard
            )
        else:
            await bot.edit_message_text(
                chat_id=chat_id,
                message_id=pressed.message_id,
                text=rendered.parts[0],
                reply_markup=rendered.keyboard,
            )
    except BadRequest as error:
        if is_not_modified(error):
            return True
        log.info("could not edit message %s (%s); sending a new one", pressed.message_id, error)
        return False
    return True


async def remove_keyboard(
    bot: Bot, chat_id: int, message: Message, *, chosen: str | None = None
) -> None:
    """Take the buttons off a message, noting the ``chosen`` one; harmless if they are gone."""
    if message.reply_markup is None or not message.reply_markup.inline_keyboard:
        return
    answered = _answered(message, chosen)
    try:
        if answered and len(answered) <= MAX_MESSAGE_CHARS:
            await bot.edit_message_text(
                chat_id=chat_id, message_id=message.message_id, text=answered, reply_markup=None
            )
        else:
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message.message_id, reply_markup=None
            )
    except BadRequest as error:
        if not is_not_modified(error):
            log.info("could not remove the keyboard of message %s: %s", message.message_id, error)
    except TelegramError as error:
        log.warning("could not remove the keyboard of message %s: %s", message.message_id, error)
