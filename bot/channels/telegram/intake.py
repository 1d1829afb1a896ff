"""The queue between fetching updates and handling them: chats served in turn, floods folded.

PTB hands updates to the handlers in the order of its ``update_queue``, and ``getUpdates``
returns them in the order Telegram received them: when one person sends 300 messages just
before eight other people write, the others' updates come last, behind every one of the
flood's. Each update costs time before any handler runs (decoding it into PTB objects, PTB's
own bookkeeping and logging, a task), so the others waited for all of that.

This queue keeps a lane per chat and hands out one update per chat in turn, and it folds a
chat's backlog early: once ``per_chat`` updates of a chat wait here, a further plain text is
joined to the last waiting one (as :mod:`bot.channels.telegram.flood` does further on),
before it has been decoded at all. The poller puts updates in as the JSON Telegram sent
(:class:`RawUpdate`); they are decoded into ``Update`` objects only when handed out.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

from bot.channels.telegram import flood

DEFAULT_PER_CHAT = 5
"""Updates of one chat waiting here before further plain texts are joined to the last."""

_NO_CHAT = object()
"""The lane of updates without a chat (PTB's stop signal, unknown kinds)."""


@dataclass
class RawUpdate:
    """An update as Telegram sent it (``getUpdates`` JSON), decoded when handed out."""

    data: dict[str, Any]


def raw_chat(data: dict[str, Any]) -> object:
    """The chat an update in Telegram's JSON belongs to (``_NO_CHAT`` if none)."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        message = data.get(kind)
        if isinstance(message, dict):
            return message.get("chat", {}).get("id", _NO_CHAT)
    query = data.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict):
            return message.get("chat", {}).get("id", _NO_CHAT)
        return query.get("from", {}).get("id", _NO_CHAT)
    return _NO_CHAT


def chat_of(item: object) -> object:
    """The lane an item of the queue goes into."""
    if isinstance(item, RawUpdate):
        return raw_chat(item.data)
    if isinstance(item, Update) and item.effective_chat is not None:
        return item.effective_chat.id
    return _NO_CHAT


class _Lanes:
    """Updates per chat; ``popleft`` takes from each chat in turn."""

    def __init__(self) -> None:
        self.lanes: OrderedDict[object, deque[object]] = OrderedDict()
        self.rest: deque[object] = deque()
        """Items without a chat: handed out once no chat has anything waiting."""
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, item: object) -> None:
        chat = chat_of(item)
        if chat is _NO_CHAT:
            self.rest.append(item)
        else:
            self.lanes.setdefault(chat, deque()).append(item)
        self._size += 1

    def popleft(self) -> object:
        if self.lanes:
            chat, lane = next(iter(self.lanes.items()))
            item = lane.popleft()
            if lane:
                self.lanes.move_to_end(chat)  # the others go first next time
            else:
                del self.lanes[chat]
        else:
            item = self.rest.popleft()
        self._size -= 1
        return item


class FairUpdateQueue(asyncio.Queue[object]):
    """PTB's ``update_queue``, fair between chats and folding a chat's backlog of texts.

    ``bot`` must be set before the first :class:`RawUpdate` is handed out (it is needed to
    decode it). Updates without a chat, and anything else put here (PTB's stop signal), are
    handed out only when no chat has an update waiting, in the order they came.
    """

    _queue: _Lanes

    def __init__(self, per_chat: int = DEFAULT_PER_CHAT) -> None:
        super().__init__()
        self.per_chat = per_chat
        self.bot: Bot | None = None
        self.folded = 0
        """Updates joined to a waiting one here (for tests and metrics)."""

    def _init(self, maxsize: int) -> None:
        self._queue = _Lanes()

    def _put(self, item: object) -> None:
        self._queue.append(item)

    def _get(self) -> object:
        item = self._queue.popleft()
        if isinstance(item, RawUpdate):
            if self.bot is None:
                raise RuntimeError("FairUpdateQueue.bot is not set")
            return Update.de_json(item.data, self.bot)
        return item

    def put_nowait(self, item: object) -> None:
        """Queue ``item``, or join its text to its chat's last waiting update."""
        if self._fold(item):
            self.folded += 1
            return
        super().put_nowait(item)

    def _fold(self, item: object) -> bool:
        chat = chat_of(item)
        lane = self._queue.lanes.get(chat) if chat is not _NO_CHAT else None
        if lane is None or len(lane) < self.per_chat:
            return False
        last = lane[-1]
        if isinstance(item, RawUpdate) and isinstance(last, RawUpdate):
            return flood.coalesce_raw(last.data, item.data)
        return flood.coalesce(last, item)

    def waiting_in(self, chat: int) -> int:
        """How many updates of ``chat`` wait here (for tests and metrics)."""
        lane = self._queue.lanes.get(chat)
        return len(lane) if lane is not None else 0
