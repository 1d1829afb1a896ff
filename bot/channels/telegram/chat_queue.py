"""The one queue between fetching updates and handling them: a lane per chat.

python-telegram-bot takes updates from its ``update_queue`` one at a time and starts a task for
each. Four rules decide what it gets next, all of them here:

- **in turn**: each chat has a lane, and chats are served round robin, so one person's flood
  does not keep everyone else's updates behind it;
- **in order**: a chat's next update is handed out only once the one before it is finished (a
  fast typist's second message must not overtake the first: PTB #1843, #5225). The parts of an
  album go straight to the part collecting them (:mod:`bot.channels.telegram.albums`);
- **folded**: once ``per_chat`` updates of a chat wait, a further plain text is joined to the
  last waiting one before it has even been decoded; anything else is dropped, with one "slow
  down" notice per flood (:mod:`bot.channels.telegram.flood`);
- **decoded late**: updates come in as Telegram's JSON and are decoded when handed out; one
  that cannot be decoded comes out as :class:`Undecodable` (to be quarantined), never as an
  exception, which would stop PTB's update fetching for everyone.

It also knows which updates are in hand (waiting or running): a stop waits for them, the
webhook answers Telegram once its update is finished, an update served again while in hand is
not queued twice, and one whose storage failed waits at the front of its lane (:meth:`hold`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

from bot.channels.telegram import flood

JSONDict = dict[str, Any]

DEFAULT_PER_CHAT = 5
"""Updates of one chat waiting behind its running one before further texts are joined to the
last waiting one."""

RETRY_FIRST = 1.0
"""Seconds before updates held by a storage failure are tried again, at first."""
RETRY_MOST = 8.0
"""The longest wait between such tries."""

_NO_CHAT = object()
"""The lane of items without a chat (PTB's stop signal, updates of other kinds)."""


@dataclass
class RawUpdate:
    """An update as Telegram sent it (``getUpdates`` or webhook JSON), decoded when handed out."""

    data: JSONDict

    @property
    def update_id(self) -> int:
        """Telegram's id of the update."""
        return int(self.data["update_id"])


@dataclass(frozen=True)
class Undecodable:
    """An update python-telegram-bot could not decode: handed out to be quarantined."""

    update_id: int
    error: str
    """The exception's class (never its message: it may quote the update)."""


def _id_of(holder: object) -> object:
    """``holder["id"]`` if it is a usable key (a malformed update must not break the lanes)."""
    value = holder.get("id") if isinstance(holder, dict) else None
    return value if isinstance(value, int | str) else _NO_CHAT


def raw_chat(data: JSONDict) -> object:
    """The chat an update in Telegram's JSON belongs to (``_NO_CHAT`` if none)."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        message = data.get(kind)
        if isinstance(message, dict):
            return _id_of(message.get("chat"))
    query = data.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict):
            return _id_of(message.get("chat"))
        return _id_of(query.get("from"))
    return _NO_CHAT


def _album(item: object) -> str | None:
    """The ``media_group_id`` of a new message (``None`` for anything else)."""
    message = item.data.get("message") if isinstance(item, RawUpdate) else None
    group = message.get("media_group_id") if isinstance(message, dict) else None
    return group if isinstance(group, str) else None


def _chat(item: object) -> object:
    """The lane of an item: an update's chat, or the ``chat_id`` an item says it is for."""
    if isinstance(item, RawUpdate):
        return raw_chat(item.data)
    chat = getattr(item, "chat_id", None)
    return chat if isinstance(chat, int) else _NO_CHAT


def _id(item: object) -> int | None:
    update_id = getattr(item, "update_id", None)
    return update_id if isinstance(update_id, int) else None


class _Lanes:
    """The items per chat, and which chats may hand out their next one now."""

    def __init__(self) -> None:
        self.lanes: dict[object, deque[object]] = {}
        self.ready: OrderedDict[object, None] = OrderedDict()
        """Chats with an item waiting and nothing running, in the order they are served."""
        self.through: deque[object] = deque()
        """Parts of an album being collected: handed out at once, before any chat."""
        self.rest: deque[object] = deque()
        """Items without a chat: handed out once nothing else can be."""
        self.busy: set[object] = set()
        """Chats with an update running."""
        self.albums: dict[object, str] = {}
        """Chats whose running update collects an album, and the album's id."""
        self.paused = False
        """Storage is down: no update goes out (only chatless items, such as PTB's stop)."""
        self.front = False
        """Put the next item at the front of its lane (an update held for a retry)."""
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def __bool__(self) -> bool:
        """Whether an item can be handed out now (what ``asyncio.Queue.empty`` asks)."""
        return bool(self.rest) or (not self.paused and bool(self.through or self.ready))

    def append(self, item: object) -> None:
        self.size += 1
        chat = _chat(item)
        if chat is _NO_CHAT:
            self.rest.append(item)
            return
        album = self.albums.get(chat)
        if album is not None and _album(item) == album:
            self.through.append(item)
            return
        lane = self.lanes.setdefault(chat, deque())
        if self.front:
            lane.appendleft(item)
            self.ready[chat] = None
            self.ready.move_to_end(chat, last=False)
        else:
            lane.append(item)
            if chat not in self.busy:
                self.ready.setdefault(chat)

    def popleft(self) -> tuple[object, object]:
        """The next item and its chat (``_NO_CHAT`` for album parts and chatless items)."""
        self.size -= 1
        if self.paused or not (self.through or self.ready):
            return self.rest.popleft(), _NO_CHAT
        if self.through:
            return self.through.popleft(), _NO_CHAT
        chat, _ = self.ready.popitem(last=False)
        lane = self.lanes[chat]
        item = lane.popleft()
        self.busy.add(chat)
        album = _album(item)
        if album is not None:
            self.albums[chat] = album
            for part in [p for p in lane if _album(p) == album]:
                lane.remove(part)
                self.through.append(part)
        if not lane:
            del self.lanes[chat]
        return item, chat

    def release(self, chat: object) -> None:
        """The chat's running update is finished: its next one may go."""
        self.busy.discard(chat)
        self.albums.pop(chat, None)
        if self.lanes.get(chat):
            self.ready[chat] = None


class ChatQueue(asyncio.Queue[object]):
    """PTB's ``update_queue``: a lane per chat, one update of a chat at a time, floods folded.

    ``bot`` must be set before the first :class:`RawUpdate` is handed out (it decodes it and
    answers what a flood drops). Every item handed out must be passed to :meth:`finish` once
    handled, or its chat never gets its next turn.
    """

    _queue: _Lanes

    def __init__(self, per_chat: int = DEFAULT_PER_CHAT) -> None:
        super().__init__()
        self.per_chat = per_chat
        self.bot: Bot | None = None
        self.received = 0
        """Updates put here (for tests and metrics)."""
        self.folded = 0
        """Texts joined to a waiting one."""
        self.dropped = 0
        """Updates dropped from a flooding chat's full lane."""
        self._holders: dict[int, tuple[object, object]] = {}
        """Update id → its chat and item as queued, for the updates holding their chat's turn."""
        self._ready = asyncio.Event()
        self._retry: asyncio.TimerHandle | None = None
        self.retry_after = RETRY_FIRST
        """Seconds before held updates are tried again (doubles while storage stays down)."""
        self._in_hand: dict[int, asyncio.Event | None] = {}
        self._progress = asyncio.Event()
        self._flooding: set[object] = set()
        self._told: set[object] = set()
        self._notices: set[asyncio.Task[None]] = set()

    # -- what asyncio.Queue calls -------------------------------------------------------------

    def _init(self, maxsize: int) -> None:
        self._queue = _Lanes()

    def _put(self, item: object) -> None:
        self._queue.append(item)
        if self._queue:
            self._ready.set()

    async def get(self) -> object:
        """The next item that may be handled now (waiting while every chat with one is busy)."""
        while not self._queue:
            self._ready.clear()
            await self._ready.wait()
        return self.get_nowait()

    def _get(self) -> object:
        item, chat = self._queue.popleft()
        update_id = _id(item)
        if chat is not _NO_CHAT and update_id is not None:
            self._holders[update_id] = (chat, item)
        if not isinstance(item, RawUpdate):
            return item
        if self.bot is None:
            raise RuntimeError("ChatQueue.bot is not set")
        try:
            return Update.de_json(item.data, self.bot)
        except Exception as error:  # any shape Telegram should never send
            return Undecodable(item.update_id, type(error).__name__)

    def put_nowait(self, item: object) -> None:
        """Queue ``item``, or fold or drop it when its chat's lane is full."""
        self.received += 1
        chat = _chat(item)
        lane = self._queue.lanes.get(chat) if chat is not _NO_CHAT else None
        # The lane's head is about to run unless the chat has an update running already.
        waiting = len(lane) - (chat not in self._queue.busy) if lane is not None else 0
        if lane is not None and waiting >= self.per_chat and isinstance(item, RawUpdate):
            self._flooding.add(chat)
            last = lane[-1]
            if isinstance(last, RawUpdate) and flood.fold(last.data, item.data):
                self.folded += 1
            else:
                self._drop(chat, item)
            return
        super().put_nowait(item)

    # -- in hand ----------------------------------------------------------------------------------

    def take(self, update_id: int) -> bool:
        """Note an update about to be put here; ``False`` if it is in hand already."""
        if update_id in self._in_hand:
            return False
        self._in_hand[update_id] = None
        return True

    def finish(self, item: object) -> None:
        """The item was handled: its chat may go on, and Telegram may forget it."""
        update_id = _id(item)
        if update_id is None:
            return
        self.release(item)
        merged = flood.merged_ids(item) if isinstance(item, Update) else ()
        for done in (update_id, *merged):
            waiter = self._in_hand.pop(done, None)
            if waiter is not None:
                waiter.set()
        self._progress.set()

    def release(self, item: object) -> None:
        """Let the item's chat go on without finishing the item (a stop cancelled it)."""
        update_id = _id(item)
        held = self._holders.pop(update_id, None) if update_id is not None else None
        if held is None:
            return
        chat, _raw = held
        self._queue.release(chat)
        if chat not in self._queue.lanes:
            self._flooding.discard(chat)
            self._told.discard(chat)
        if self._queue:
            self._ready.set()

    def hold(self, item: object) -> None:
        """Storage failed under the item: back to the front of its lane, all paused a while.

        The update stays in hand (Telegram was told it is safe, or will serve it again); it is
        tried first when storage works again or after :attr:`retry_after`, which doubles
        each time a retry fails.
        """
        update_id = _id(item)
        held = self._holders.pop(update_id, None) if update_id is not None else None
        if held is None:
            return
        chat, raw = held
        self._queue.release(chat)
        self._queue.front = True
        try:
            asyncio.Queue.put_nowait(self, raw)
        finally:
            self._queue.front = False
        self._queue.paused = True
        if self._retry is None:
            loop = asyncio.get_running_loop()
            self._retry = loop.call_later(self.retry_after, self.resume)
            self.retry_after = min(self.retry_after * 2, RETRY_MOST)

    def resume(self, *, storage_works: bool = False) -> None:
        """Hand out updates again (a retry; with ``storage_works``, the outage is over)."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        if storage_works:
            self.retry_after = RETRY_FIRST
        self._queue.paused = False
        if self._queue:
            self._ready.set()

    def _drop(self, chat: object, item: RawUpdate) -> None:
        self.dropped += 1
        tell = chat not in self._told
        self._told.add(chat)
        waiter = self._in_hand.pop(item.update_id, None)
        if waiter is not None:
            waiter.set()
        if self.bot is not None:
            task = asyncio.create_task(flood.answer_dropped(self.bot, item.data, tell=tell))
            self._notices.add(task)
            task.add_done_callback(self._notices.discard)

    def is_flooding(self, chat: object) -> bool:
        """Whether the chat's updates were folded or dropped since its lane was last empty."""
        return chat in self._flooding

    @property
    def in_hand(self) -> int:
        """Updates put here and not finished (waiting or running)."""
        return len(self._in_hand)

    def oldest_in_hand(self) -> int | None:
        """The lowest update id in hand: every fetched update below it is finished."""
        return min(self._in_hand, default=None)

    async def finished(self, update_id: int) -> None:
        """Return once an update is finished (at once if it is not in hand)."""
        if update_id not in self._in_hand:
            return
        waiter = self._in_hand[update_id] or asyncio.Event()
        self._in_hand[update_id] = waiter
        await waiter.wait()

    async def drain(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for every update in hand to finish; ``True`` if they did.

        Updates held while storage is down are not waited for: they cannot finish.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._in_hand and (self._holders or not self._queue.paused):
            left = deadline - loop.time()
            if left <= 0:
                return False
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), left)
        return True

    @property
    def paused(self) -> bool:
        """Whether updates wait for storage to work again."""
        return self._queue.paused

    async def close(self) -> None:
        """Let the notices to flooding chats go out."""
        if self._retry is not None:
            self._retry.cancel()
        if self._notices:
            await asyncio.gather(*self._notices, return_exceptions=True)
