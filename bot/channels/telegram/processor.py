"""Runs each update the chat queue hands out, and tells the queue when it is finished.

The queue (:mod:`bot.channels.telegram.chat_queue`) already keeps a chat's updates in order and
hands out at most one of a chat at a time, so a chat never holds more than one of PTB's
``max_concurrent_updates`` slots. Here each update runs as one turn (its replies are ranked by
the rate limiter: :mod:`bot.channels.telegram.turns`), an album's first part opens the album
before it runs, and an update that could not be decoded is set aside instead of run.

An update counts as finished when its handling returned (handler errors included: they were
reported), not when a stop that ran out of time cancelled it: that one stays in hand, and the
journal hands it over again after the restart. One whose storage failed (a full disk) is held:
it goes back to the front of its chat's lane until storage works again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram import turns
from bot.channels.telegram.albums import AlbumCollector, album_of, private_chat_id
from bot.channels.telegram.chat_queue import ChatQueue, Undecodable
from bot.channels.telegram.owed import OwedReply

log = logging.getLogger(__name__)

Quarantine = Callable[[Undecodable], Awaitable[None]]
"""Sets an update aside for good (the journal's dead letters)."""
Pay = Callable[[OwedReply], Awaitable[None]]
"""Sends a reply owed since before the restart."""
Cut = tuple[object, turns.Turn | None]
"""An update a stop cancelled, and its turn if it had begun (with what it still owed)."""


def _close(coroutine: Awaitable[Any]) -> None:
    if isinstance(coroutine, Coroutine):
        coroutine.close()


class UpdateProcessor(BaseUpdateProcessor):
    """PTB's update processor: one turn per update, the chat queue told when it is done."""

    def __init__(
        self,
        queue: ChatQueue,
        albums: AlbumCollector,
        quarantine: Quarantine,
        pay: Pay,
        max_concurrent_updates: int = 256,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.queue = queue
        self.albums = albums
        self.quarantine = quarantine
        self.pay = pay
        self._running: dict[asyncio.Task[Any], Cut] = {}
        self._refusing = False

    def refuse_new(self) -> None:
        """From now on, leave updates unhandled (and in hand): the bot is stopping."""
        self._refusing = True

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` as the update's turn, then let its chat go on."""
        if self._refusing:
            _close(coroutine)
            self.queue.release(update)
            return
        task = asyncio.current_task()
        if task is not None:
            self._running[task] = (update, None)
        try:
            if isinstance(update, Undecodable):
                _close(coroutine)
                await self.quarantine(update)
            elif isinstance(update, OwedReply):
                _close(coroutine)
                await self.pay(update)
            elif await self._run(update, coroutine):
                self.queue.hold(update)  # storage failed under it: tried again later
                return
        except asyncio.CancelledError:
            self.queue.release(update)  # stays in hand: handed over after the restart
            raise
        except Exception:
            log.exception("an update's turn failed outside its handler")
        finally:
            if task is not None:
                self._running.pop(task, None)
        self.queue.finish(update)

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> bool:
        """Handle the update as one turn; ``True`` if it must be held for a retry."""
        chat = private_chat_id(update)
        group = album_of(update)
        if chat is not None and group is not None and isinstance(update, Update):
            if self.albums.is_open(chat, group):
                await coroutine  # a later part: it only adds itself to the album
                return False
            self.albums.open(chat, group, update.update_id)
        where = update.effective_chat if isinstance(update, Update) else None
        key = where.id if where is not None else None
        try:
            with turns.turn(lambda: self.queue.is_flooding(key)) as turn:
                task = asyncio.current_task()
                if task is not None:
                    self._running[task] = (update, turn)
                await coroutine
            return turn.held
        finally:
            if chat is not None and group is not None and isinstance(update, Update):
                self.albums.discard(chat, group, update.update_id)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Let the notices to flooding chats go out."""
        await self.queue.close()

    async def cancel_running(self) -> list[Cut]:
        """Cancel the updates still being handled; return them with what their turns owe.

        An update not stored yet rolls back (the journal hands it over after the restart);
        one stored whose reply was on its way owes that reply (see ``bot.channels.telegram.owed``).
        """
        cut = dict(self._running)
        for task in cut:
            task.cancel()
        for task in cut:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        return list(cut.values())
