"""Long polling that never lets Telegram forget an update the bot has not made safe.

PTB's ``Updater`` asks for ``offset = last fetched + 1`` as soon as it has queued a batch, and
Telegram then forgets the whole batch: a crash before the handlers ran loses those updates
for good (issue 11). This poller first stores every fetched batch in the update journal
(:mod:`bot.storage.journal`), and only then lets the offset pass it; after a restart what the
journal still holds is handed over before anything new is fetched. An update handled before a
crash is recognised by the journal as the batch is stored: served again, it never takes a
place in its chat's lane (a burst of them made the flood rule drop the person's next message).

Batches are kept as the JSON Telegram sent: a flood fills every batch with 100 updates, and
decoding them all kept everyone's updates behind them waiting; the chat queue decodes an
update when its turn comes.

When a batch cannot be stored (a full disk), the offset stays where it was: Telegram keeps the
batch and serves it again, polling goes on with a growing pause, the people who wrote are told
once about a temporary fault, and the batch is stored as soon as writes work again. Nothing
here stops the loop but a token Telegram refuses.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.channels.telegram.chat_queue import ChatQueue, RawUpdate
from bot.channels.telegram.outage_notice import FaultNotice
from bot.channels.telegram.request import AiohttpRequest
from bot.ops.clock import utc_now
from bot.storage.journal import UpdateJournal
from bot.storage.outage import is_outage

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
GET_UPDATES_LIMIT = 100
"""The most updates ``getUpdates`` returns at once (Telegram's default and maximum)."""


class Poller:
    """Fetches updates into the chat queue; confirms them to Telegram once they are stored."""

    def __init__(
        self,
        bot: Bot,
        request: AiohttpRequest,
        queue: ChatQueue,
        journal: UpdateJournal,
        faults: FaultNotice,
        *,
        clock: Callable[[], datetime] = utc_now,
        poll_timeout: float,
        allowed_updates: Sequence[str],
        backoff: float = 0.5,
        max_backoff: float = 8.0,
    ) -> None:
        self.bot = bot
        self.request = request
        """The ``getUpdates`` connection (its own, so long polls never wait for a slot)."""
        self.queue = queue
        self.journal = journal
        self.faults = faults
        self.clock = clock
        self.poll_timeout = poll_timeout
        self.allowed_updates = json.dumps(list(allowed_updates))
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._offset: int | None = None
        """One past the newest update stored: everything below it may be forgotten."""
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._asking = False

    @property
    def source(self) -> str:
        """Whose updates these are in the journal (the bot's update key prefix)."""
        return f"tg:{self.bot.id}"

    async def start(self) -> None:
        """Switch Telegram to polling (keeping pending updates) and start fetching."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.create_task(self._loop(), name="telegram-poller")

    async def stop_fetching(self) -> None:
        """Stop asking for new updates; the ones in hand go on being handled.

        A batch already received is stored and handed over first (so a stop drains it);
        only a request still waiting for Telegram is cancelled.
        """
        self._stopping = True
        task, self._task = self._task, None
        if task is not None:
            if self._asking:
                task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:  # never keeps the stop from going on
                log.exception("the poller had failed")

    async def confirm(self) -> None:
        """Let the journal forget what was finished (Telegram knows all stored updates)."""
        await self._settle()

    def _hand_over(self, data: JSONDict) -> None:
        if self.queue.take(int(data["update_id"])):
            self.queue.put_nowait(RawUpdate(data))

    async def _settle(self) -> None:
        """Tell the journal which fetched updates are finished (their JSON is dropped)."""
        below = self.queue.oldest_in_hand()
        below = self._offset if below is None else below
        if below is None:
            return
        try:
            await self.journal.settle(self.source, below)
        except Exception as error:
            if not is_outage(error):  # an outage is logged once, by storage
                log.warning("could not mark finished updates in the journal", exc_info=True)

    async def _fetch(self, wait: int) -> list[JSONDict]:
        """One ``getUpdates`` call, as the JSON Telegram sent (decoded later, one by one)."""
        fields = {"timeout": str(wait), "allowed_updates": self.allowed_updates}
        if self._offset is not None:
            fields["offset"] = str(self._offset)
        result = await self.request.call_raw(
            f"{self.bot.base_url}/getUpdates", fields, read_timeout=2 * wait + 10
        )
        batch = result if isinstance(result, list) else []
        return [u for u in batch if isinstance(u, dict) and isinstance(u.get("update_id"), int)]

    async def _store(self, updates: list[JSONDict]) -> list[JSONDict]:
        """Store a batch; return the updates still to handle, oldest first."""
        if not updates:
            return []
        rows = [(int(u["update_id"]), json.dumps(u)) for u in updates]
        pending = set(await self.journal.store_fetched(self.source, rows, self.clock()))
        self._offset = max(update_id for update_id, _ in rows) + 1
        return sorted(
            (u for u in updates if u["update_id"] in pending), key=lambda u: int(u["update_id"])
        )

    async def _loop(self) -> None:
        delay = self.backoff
        while not self._stopping:
            updates: list[JSONDict] = []
            try:
                self._asking = True
                try:
                    updates = await self._fetch(0 if self.queue.paused else int(self.poll_timeout))
                finally:
                    self._asking = False
                fresh = await self._store(updates)
            except InvalidToken:
                log.exception("Telegram refused the token while polling; polling stopped")
                return
            except Exception as error:
                if is_outage(error):
                    await self.faults.tell_senders(self.bot, updates)
                elif isinstance(error, NetworkError | TelegramError):
                    log.warning("getUpdates failed (%s); trying again in %.1f s", error, delay)
                else:
                    log.exception("polling failed; trying again in %.1f s", delay)
                await self._pause(delay)
                delay = min(delay * 2, self.max_backoff)
                continue
            delay = self.backoff
            for data in fresh:
                self._hand_over(data)
            if len(updates) < GET_UPDATES_LIMIT:
                # Caught up. While a full batch says more is waiting (a flood), the next
                # batch is fetched first: others' updates may be in it.
                await self._settle()
            if self.queue.paused:  # storage failed under a step: poll on, but gently
                await self._pause(delay)

    async def _pause(self, seconds: float) -> None:
        """Wait between tries; a stop cancels the wait."""
        self._asking = True
        try:
            await asyncio.sleep(seconds)
        finally:
            self._asking = False
