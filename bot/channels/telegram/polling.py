"""Long polling that never lets Telegram forget an update the bot has not made safe.

PTB's ``Updater`` asks for ``offset = last fetched + 1`` as soon as it has queued a batch, and
Telegram then forgets the whole batch: a crash before the handlers ran loses those updates
for good (issue 11). This poller first stores every fetched update in the bot's inbox (an
SQLite table), and only then lets the offset pass it; after a restart it hands over what the
inbox still holds before fetching anything new. An inbox row is forgotten once every update
up to it is handled, and an update handled before a crash is recognised by its update key
before it is queued: served again, it is confirmed at once and never takes a place in its
chat's queue (a burst of them made the flood rule drop the person's next message).

Without an inbox, the offset stays at the oldest update still unfinished, so Telegram keeps
serving it; updates served again while in hand are recognised by id and skipped. That is
safe too, but one person's flood then holds back everyone behind it (``getUpdates`` returns
at most 100 updates from the offset), which is why the bot uses the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any, Protocol

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram.flood import merged_ids
from bot.channels.telegram.ledger import UpdateLedger
from bot.ops.clock import utc_now

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
GET_UPDATES_LIMIT = 100
"""The most updates ``getUpdates`` returns at once (Telegram's default and maximum)."""


class Inbox(Protocol):
    """Durable storage for fetched updates (:class:`bot.storage.Store` is one)."""

    async def stash_updates(
        self, source: str, updates: Sequence[tuple[int, str]], at: datetime
    ) -> None:
        """Store fetched updates (``(update_id, json)``) until they are handled."""

    async def stashed_updates(self, source: str) -> list[str]:
        """The stored updates of ``source``, oldest first, as JSON."""

    async def forget_updates_below(self, source: str, update_id: int) -> None:
        """Forget stored updates below ``update_id``."""

    async def processed_updates(self, update_keys: Sequence[str]) -> set[str]:
        """Which of these update keys were applied already."""


class ConfirmingProcessor(BaseUpdateProcessor):
    """Wraps the real update processor and tells the ledger when each update is finished.

    An update counts as finished when PTB's handling of it returned (handler errors included:
    they were reported, and serving a poisonous update again would loop forever), not when it
    was cancelled by a stop that ran out of time: that one stays unconfirmed.
    """

    def __init__(
        self, inner: BaseUpdateProcessor, ledger: UpdateLedger, inbox: Inbox | None = None
    ) -> None:
        # No limit of its own: the inner processor decides when an update gets a slot.
        super().__init__(sys.maxsize)
        self.inner = inner
        self.ledger = ledger
        self.inbox = inbox
        """Where the poller stores fetched updates, if anywhere (see :class:`ConfirmingPoller`)."""
        self._running: set[asyncio.Task[Any]] = set()
        self._refusing = False

    def refuse_new(self) -> None:
        """From now on, leave updates unhandled (and unconfirmed): the bot is stopping."""
        self._refusing = True

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Let the inner processor run the update, then mark it finished."""
        if isinstance(update, Update):
            self.ledger.take(update.update_id)  # webhook updates never passed the poller
        if self._refusing:
            if isinstance(coroutine, Coroutine):
                coroutine.close()
            return
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self.inner.process_update(update, coroutine)
        finally:
            if task is not None:
                self._running.discard(task)
        if isinstance(update, Update):
            self.ledger.finish(update.update_id)
            for joined in merged_ids(update):  # texts joined to it by the update queue
                self.ledger.finish(joined)

    async def initialize(self) -> None:
        """Initialise the inner processor."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Shut the inner processor down."""
        await self.inner.shutdown()

    async def cancel_running(self) -> int:
        """Cancel the updates still being handled (their effects roll back); return how many."""
        tasks = list(self._running)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        return len(tasks)


class ConfirmingPoller:
    """Fetches updates into the application's queue; confirms only finished ones."""

    def __init__(
        self,
        bot: Bot,
        queue: asyncio.Queue[object],
        ledger: UpdateLedger,
        *,
        inbox: Inbox | None = None,
        clock: Callable[[], datetime] = utc_now,
        poll_timeout: float,
        allowed_updates: Sequence[str],
        wrap: Callable[[JSONDict], object] | None = None,
        busy_interval: float = 0.25,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
    ) -> None:
        self.bot = bot
        self.queue = queue
        self.ledger = ledger
        self.inbox = inbox
        self.clock = clock
        self.poll_timeout = poll_timeout
        self.allowed_updates = list(allowed_updates)
        self.wrap = wrap
        """What a fetched update goes into the queue as (default: an ``Update``, decoded now)."""
        self.busy_interval = busy_interval
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None
        self._started = False
        self._stopping = False
        self._asking = False

    @property
    def running(self) -> bool:
        """Whether updates are being fetched."""
        return self._task is not None

    async def start(self) -> None:
        """Switch Telegram to polling (keeping pending updates) and start fetching."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self._replay()
        self._started = True
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
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def source(self) -> str:
        """Whose updates these are in the inbox (the bot's update key prefix)."""
        return f"tg:{self.bot.id}"

    def _telegram_offset(self) -> int | None:
        # With an inbox, everything fetched is stored: Telegram may forget it at once.
        return self.ledger.after_newest if self.inbox else self.ledger.offset

    async def _replay(self) -> None:
        """Hand over the stored updates a crash or a stop left unhandled, oldest first."""
        if self.inbox is None:
            return
        stored = await self.inbox.stashed_updates(self.source)
        new = await self._hand_over([json.loads(data) for data in stored])
        if stored:
            log.info(
                "handling %d stored update(s) from before the restart (%d applied already)",
                len(new),
                len(stored) - len(new),
            )

    async def _applied(self, updates: Sequence[JSONDict]) -> set[int]:
        """The ids of ``updates`` whose effects are committed already (served again)."""
        if self.inbox is None or not updates:
            return set()
        keys = {f"{self.source}:{u['update_id']}": int(u["update_id"]) for u in updates}
        try:
            processed = await self.inbox.processed_updates(list(keys))
        except Exception:  # then every one is handled, and the update keys still dedupe
            log.warning("could not look up which fetched updates were applied", exc_info=True)
            return set()
        return {keys[key] for key in processed}

    async def _hand_over(self, updates: Sequence[JSONDict]) -> list[JSONDict]:
        """Queue the updates not in hand yet, oldest first; return those queued.

        An update applied before a crash or a stop (Telegram or the inbox serves it again)
        is confirmed at once and never queued: a burst of them would fill its chat's queue,
        and the flood rule would then drop the person's next real message (issue 11).
        """
        applied = await self._applied(updates)
        queued = []
        for data in sorted(updates, key=lambda u: int(u["update_id"])):
            update_id = int(data["update_id"])
            if not self.ledger.take(update_id):
                continue
            if update_id in applied:
                self.ledger.finish(update_id)
                continue
            await self.queue.put(self._wrap(data))
            queued.append(data)
        if applied:
            log.info("confirmed %d update(s) served again after being applied", len(applied))
        return queued

    async def confirm(self) -> None:
        """Tell Telegram (and the inbox) which updates are done."""
        if not self._started:
            return
        await self._forget_handled()
        offset = self._telegram_offset()
        if offset is None:
            return
        try:
            await self.bot.get_updates(
                offset=offset, limit=1, timeout=0, allowed_updates=self.allowed_updates
            )
        except TelegramError as error:
            log.warning("could not confirm handled updates to Telegram: %s", error)

    async def _forget_handled(self) -> None:
        offset = self.ledger.offset
        if self.inbox is not None and offset is not None:
            try:
                await self.inbox.forget_updates_below(self.source, offset)
            except Exception:
                log.warning("could not forget handled updates", exc_info=True)

    async def _fetch(self, wait: int) -> list[JSONDict]:
        """One ``getUpdates`` call, as the JSON Telegram sent.

        Kept raw: a flood fills every batch with 100 updates, and building PTB objects for
        all of them (and serialising them again for the inbox) kept everyone's updates behind
        them waiting; an update is decoded when it is handed out (see ``wrap``).
        ``Bot._post`` is what ``Bot.get_updates`` calls before it decodes.
        """
        data: JSONDict = {
            "timeout": wait,
            "offset": self._telegram_offset(),
            "allowed_updates": self.allowed_updates,
        }
        result = await self.bot._post("getUpdates", data, read_timeout=2 * wait + 10)
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    def _wrap(self, data: JSONDict) -> object:
        if self.wrap is not None:
            return self.wrap(data)
        return Update.de_json(data, self.bot)

    async def _loop(self) -> None:
        delay = self.backoff
        while not self._stopping:
            busy = self.inbox is None and self.ledger.unfinished > 0
            timeout = 0.0 if busy else self.poll_timeout
            try:
                self._asking = True
                try:
                    updates = await self._fetch(int(timeout))
                finally:
                    self._asking = False
                fresh = [u for u in updates if u["update_id"] not in self.ledger]
                if self.inbox is not None and fresh:
                    stash = [(u["update_id"], json.dumps(u)) for u in fresh]
                    await self.inbox.stash_updates(self.source, stash, self.clock())
            except InvalidToken:
                log.exception("Telegram refused the token while polling; polling stopped")
                return
            except (NetworkError, TelegramError) as error:
                log.warning("getUpdates failed (%s); trying again in %.1f s", error, delay)
                self._asking = True
                try:
                    await asyncio.sleep(delay)
                finally:
                    self._asking = False
                delay = min(delay * 2, self.max_backoff)
                continue
            delay = self.backoff
            await self._hand_over(fresh)
            if len(updates) < GET_UPDATES_LIMIT:
                # Caught up. While a full batch says more is waiting (a flood), the next
                # batch is fetched first: others' updates may be in it.
                await self._forget_handled()
            if not fresh and busy and not self._stopping:
                self._asking = True  # only waiting: safe to cancel
                try:
                    await self.ledger.wait_progress(self.busy_interval)
                finally:
                    self._asking = False
