"""Updates of one chat strictly in order, different chats at the same time, albums as one.

PTB's ``concurrent_updates`` runs every update as its own task; a fast typist's second message
could then overtake the first (PTB #1843, #5225). This update processor gives every chat a
queue of its own: an update waits for the updates of its chat that came before it, and only
for those.

Albums need one more rule. Telegram sends the files of an album as separate updates that share
a ``media_group_id``. The first part of an album takes the chat's turn and holds it while it
waits a moment for the rest; the other parts must not queue behind it (they would never
arrive), so they are let through at once and only add themselves to the album. Whatever the
person sends after the album still waits until the album has been handled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

from bot.locks import KeyedLocks

DEFAULT_ALBUM_DELAY = 1.0
"""Seconds of quiet after the last part before an album is taken as complete."""


def private_chat_id(update: object) -> int | None:
    """The chat an update belongs to, if it is a private chat (``None`` otherwise)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    return update.effective_chat.id if update.effective_chat.type == ChatType.PRIVATE else None


def chat_key(update: object) -> int | None:
    """The chat whose order an update must keep (any chat type)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    return update.effective_chat.id


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


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Per-chat strict order, concurrency across chats, album parts let through to their album."""

    def __init__(self, albums: AlbumCollector, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self.albums = albums
        self._locks: KeyedLocks[int] = KeyedLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` after the earlier updates of the same chat."""
        chat_id = chat_key(update)
        if chat_id is None:
            await coroutine
            return
        group = album_of(update)
        if group is not None and self.albums.is_open(chat_id, group):
            await coroutine  # a later part: its album's first part holds the chat's turn
            return
        assert isinstance(update, Update)
        if group is not None:
            self.albums.open(chat_id, group, update.update_id)
        try:
            async with self._locks.hold(chat_id):
                await coroutine
        finally:
            if group is not None:
                self.albums.discard(chat_id, group, update.update_id)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for running updates before shutting down."""

    @property
    def chats_in_flight(self) -> int:
        """How many chats have an update running or waiting (for tests and metrics)."""
        return len(self._locks)
