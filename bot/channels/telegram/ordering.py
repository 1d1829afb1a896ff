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
import sys
from collections import deque
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram import flood, turns

DEFAULT_ALBUM_DELAY = 1.0
"""Seconds of quiet after the last part before an album is taken as complete."""
UNBOUNDED = sys.maxsize
"""PTB's slot pool; ours is taken after the chat's turn (see ``ChatOrderedProcessor``)."""


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


@dataclass
class _Line:
    """One chat's turn: whether an update runs, and the updates waiting behind it."""

    waiting: deque[tuple[object, asyncio.Future[None]]] = field(default_factory=deque)
    told: bool = False
    """Whether the chat was told to slow down since its queue was last empty."""
    flooding: bool = False
    """Whether updates of the chat were joined or dropped since its queue was last empty:
    its replies then get the overall message budget after everyone else's."""


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Per-chat strict order, concurrency across chats, album parts let through to their album.

    PTB's own ``process_update`` takes a concurrency slot *before* ``do_process_update`` runs,
    so with a per-chat lock inside, one person's queued updates could hold every slot while
    they wait for their own turn (one flooder stalled everyone). Here the base slot pool is
    unbounded, and the chat's turn is taken first, then one of ``max_concurrent_updates`` slots:
    a chat never holds more than one slot. Each chat also has a queue of at most
    ``chat_queue`` waiting updates; beyond it, plain texts are joined to the last waiting one
    and anything else is dropped, with one "slow down" notice (see ``bot.channels.telegram.flood``).
    """

    def __init__(
        self, albums: AlbumCollector, max_concurrent_updates: int = 256, *, chat_queue: int = 5
    ) -> None:
        super().__init__(UNBOUNDED)
        self.albums = albums
        self.chat_queue = chat_queue
        self.slots = max_concurrent_updates
        self._semaphore_of_slots: asyncio.Semaphore | None = None
        self._lines: dict[int, _Line] = {}
        self._notices: set[asyncio.Task[None]] = set()
        self.received = 0
        """Updates handed to this processor (for tests and metrics)."""
        self.coalesced = 0
        """Updates joined to a waiting one (for tests and metrics)."""
        self.dropped = 0
        self.running = 0
        """How many chats' updates hold a slot now."""

    @property
    def _slots(self) -> asyncio.Semaphore:
        if self._semaphore_of_slots is None:
            self._semaphore_of_slots = asyncio.Semaphore(self.slots)
        return self._semaphore_of_slots

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` after the earlier updates of the same chat, in a free slot."""
        self.received += 1
        chat_id = chat_key(update)
        group = album_of(update)
        if chat_id is None or (group is not None and self.albums.is_open(chat_id, group)):
            # No chat, or a later album part: its album's first part holds the chat's turn.
            async with self._slots:
                await coroutine
            return
        line = self._lines.get(chat_id)
        if line is None:
            line = self._lines[chat_id] = _Line()
        elif not await self._wait_turn(chat_id, line, update, coroutine):
            return
        if isinstance(update, Update) and flood.merged_ids(update):
            line.flooding = True  # texts were joined to it before it got here
        try:
            if group is not None:
                assert isinstance(update, Update)
                self.albums.open(chat_id, group, update.update_id)
            try:
                async with self._slots:
                    self.running += 1
                    try:
                        with turns.turn(lambda: line.flooding):
                            await coroutine
                    finally:
                        self.running -= 1
            finally:
                if group is not None:
                    assert isinstance(update, Update)
                    self.albums.discard(chat_id, group, update.update_id)
        finally:
            self._pass_turn(chat_id, line)

    async def _wait_turn(
        self, chat_id: int, line: _Line, update: object, coroutine: Awaitable[Any]
    ) -> bool:
        """Queue behind the chat's running update; ``False`` if merged or dropped instead."""
        if len(line.waiting) >= self.chat_queue:
            line.flooding = True
            flood.close(coroutine)
            if line.waiting and flood.coalesce(line.waiting[-1][0], update):
                self.coalesced += 1
                return False
            self.dropped += 1
            notice = flood.ignore(update) if line.told else flood.tell_to_slow_down(update)
            line.told = True
            task = asyncio.create_task(notice)
            self._notices.add(task)
            task.add_done_callback(self._notices.discard)
            return False
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (update, turn)
        line.waiting.append(entry)
        try:
            await turn
        except asyncio.CancelledError:
            if entry in line.waiting:
                line.waiting.remove(entry)
            elif turn.done() and not turn.cancelled():
                self._pass_turn(chat_id, line)  # handed to us just before the cancel
            raise
        return True

    def _pass_turn(self, chat_id: int, line: _Line) -> None:
        while line.waiting:
            _update, turn = line.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        line.told = line.flooding = False
        del self._lines[chat_id]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Let the slow-down notices go out; PTB waits for running updates itself."""
        if self._notices:
            await asyncio.gather(*self._notices, return_exceptions=True)

    @property
    def chats_in_flight(self) -> int:
        """How many chats have an update running or waiting (for tests and metrics)."""
        return len(self._lines)
