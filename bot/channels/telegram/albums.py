"""Albums: the parts of one, sent as separate updates, handled as one.

Telegram sends the files of an album as separate updates that share a ``media_group_id``. The
first part takes the chat's turn and holds it while it waits a moment for the rest; the other
parts are let through to it (:class:`bot.channels.telegram.chat_queue.ChatQueue`) and only add
themselves here. Whatever the person sends after the album waits until it has been handled.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram import Update
from telegram.constants import ChatType

DEFAULT_ALBUM_DELAY = 1.0
"""Seconds of quiet after the last part before an album is taken as complete."""


def private_chat_id(update: object) -> int | None:
    """The chat an update belongs to, if it is a private chat (``None`` otherwise)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    return update.effective_chat.id if update.effective_chat.type == ChatType.PRIVATE else None


def album_of(update: object) -> str | None:
    """The ``media_group_id`` of a new message in a private chat, if it is part of an album."""
    if not isinstance(update, Update) or update.message is None:
        return None
    if private_chat_id(update) is None:
        return None
    return update.message.media_group_id


@dataclass
class _Album:
    leader: int
    """``update_id`` of the part that holds the chat's turn and hands the album over."""
    parts: list[Update] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)


class AlbumCollector:
    """The albums being received, by (chat, ``media_group_id``)."""

    def __init__(self, delay: float = DEFAULT_ALBUM_DELAY) -> None:
        self.delay = delay
        self._albums: dict[tuple[int, str], _Album] = {}

    def is_open(self, chat_id: int, group: str) -> bool:
        """Whether an album with this id is being collected in this chat."""
        return (chat_id, group) in self._albums

    def open(self, chat_id: int, group: str, leader: int) -> None:
        """Start collecting an album; ``leader`` is the update that will hand it over."""
        self._albums[(chat_id, group)] = _Album(leader)

    def discard(self, chat_id: int, group: str, leader: int) -> None:
        """Forget an album once its leader is done (whether it handed it over or not)."""
        album = self._albums.get((chat_id, group))
        if album is not None and album.leader == leader:
            del self._albums[(chat_id, group)]

    def add(self, update: Update) -> bool:
        """Add a part; ``True`` if this update leads the album and must collect it.

        A part that finds no open album (it came very late) is an album of its own: it is
        reported as leader, and :meth:`collect` returns just this part.
        """
        chat_id = private_chat_id(update)
        group = album_of(update)
        if chat_id is None or group is None:
            return True
        album = self._albums.get((chat_id, group))
        if album is None:
            album = _Album(update.update_id)
            self._albums[(chat_id, group)] = album
        album.parts.append(update)
        album.changed.set()
        return album.leader == update.update_id

    async def collect(self, update: Update) -> list[Update]:
        """Wait until no part came for ``delay`` seconds; return the parts in sent order."""
        chat_id = private_chat_id(update)
        group = album_of(update)
        if chat_id is None or group is None:
            return [update]
        album = self._albums.get((chat_id, group))
        if album is None:
            return [update]
        while True:
            album.changed.clear()
            try:
                await asyncio.wait_for(album.changed.wait(), self.delay)
            except TimeoutError:
                break
        self.discard(chat_id, group, album.leader)
        return sorted(album.parts, key=lambda u: u.message.message_id if u.message else 0)
