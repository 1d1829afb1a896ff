"""Long polling that confirms an update to Telegram only after the bot has handled it.

PTB's ``Updater`` asks for ``offset = last fetched + 1`` as soon as it has queued a batch, and
Telegram then forgets the whole batch: a crash before the handlers ran loses those updates
for good (issue 11). This poller passes ``offset = lowest update still unfinished`` instead,
so Telegram keeps serving every update the bot has not finished, and a restart picks them up
again. Updates it serves again while they are still being handled here are recognised by id
and skipped; an update that was finished (and recorded in the database) before a crash is
recognised by its update key after the restart.

While anything is unfinished, Telegram answers ``getUpdates`` at once (it re-serves the
unfinished ones), so the poller then asks without a long-poll timeout and waits between
polls until either an update finishes or ``busy_interval`` has passed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections import deque
from collections.abc import Awaitable, Coroutine, Sequence
from typing import Any

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

RECENT = 10_000
"""How many finished update ids are remembered to skip Telegram serving them again."""


class UpdateLedger:
    """Which fetched updates are still unfinished, and the offset that confirms the rest."""

    def __init__(self) -> None:
        self._unfinished: set[int] = set()
        self._recent: deque[int] = deque(maxlen=RECENT)
        self._recent_set: set[int] = set()
        self._after_newest: int | None = None
        self._progress = asyncio.Event()
        self._waiters: dict[int, asyncio.Event] = {}

    def take(self, update_id: int) -> bool:
        """Note a fetched update; ``False`` if it is in hand or was finished already."""
        if update_id in self._unfinished or update_id in self._recent_set:
            return False
        self._unfinished.add(update_id)
        self._after_newest = update_id + 1
        return True

    def finish(self, update_id: int) -> None:
        """The update is handled and its effects are committed: Telegram may forget it."""
        if update_id not in self._unfinished:
            return
        self._unfinished.discard(update_id)
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(update_id)
        self._recent_set.add(update_id)
        self._progress.set()
        waiter = self._waiters.pop(update_id, None)
        if waiter is not None:
            waiter.set()

    async def finished(self, update_id: int) -> None:
        """Return once ``update_id`` is finished (at once if it was)."""
        if update_id in self._recent_set:
            return
        waiter = self._waiters.setdefault(update_id, asyncio.Event())
        await waiter.wait()

    @property
    def unfinished(self) -> int:
        """How many fetched updates are not handled yet."""
        return len(self._unfinished)

    @property
    def offset(self) -> int | None:
        """The ``getUpdates`` offset: everything below it is handled (``None``: nothing seen)."""
        if self._unfinished:
            return min(self._unfinished)
        return self._after_newest

    async def wait_progress(self, seconds: float) -> None:
        """Return when an update finished, or after ``seconds``."""
        self._progress.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._progress.wait(), seconds)

    async def drain(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for every fetched update to finish; ``True`` if they did."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._unfinished:
            left = deadline - loop.time()
            if left <= 0:
                return False
            await self.wait_progress(left)
        return True


class ConfirmingProcessor(BaseUpdateProcessor):
    """Wraps the real update processor and tells the ledger when each update is finished.

    An update counts as finished when PTB's handling of it returned (handler errors included:
    they were reported, and serving a poisonous update again would loop forever), not when it
    was cancelled by a stop that ran out of time: that one stays unconfirmed.
    """

    def __init__(self, inner: BaseUpdateProcessor, ledger: UpdateLedger) -> None:
        # No limit of its own: the inner processor decides when an update gets a slot.
        super().__init__(sys.maxsize)
        self.inner = inner
        self.ledger = ledger
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
        poll_timeout: float,
        allowed_updates: Sequence[str],
        busy_interval: float = 0.25,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
    ) -> None:
        self.bot = bot
        self.queue = queue
        self.ledger = ledger
        self.poll_timeout = poll_timeout
        self.allowed_updates = list(allowed_updates)
        self.busy_interval = busy_interval
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None
        self._started = False

    @property
    def running(self) -> bool:
        """Whether updates are being fetched."""
        return self._task is not None

    async def start(self) -> None:
        """Switch Telegram to polling (keeping pending updates) and start fetching."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        self._started = True
        self._task = asyncio.create_task(self._loop(), name="telegram-poller")

    async def stop_fetching(self) -> None:
        """Stop asking for new updates; the ones in hand go on being handled."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def confirm(self) -> None:
        """Tell Telegram which updates are done, so only unfinished ones are served again."""
        offset = self.ledger.offset
        if offset is None or not self._started:
            return
        try:
            await self.bot.get_updates(
                offset=offset, limit=1, timeout=0, allowed_updates=self.allowed_updates
            )
        except TelegramError as error:
            log.warning("could not confirm handled updates to Telegram: %s", error)

    async def _loop(self) -> None:
        delay = self.backoff
        while True:
            busy = self.ledger.unfinished > 0
            timeout = 0.0 if busy else self.poll_timeout
            try:
                updates = await self.bot.get_updates(
                    offset=self.ledger.offset,
                    timeout=int(timeout),
                    read_timeout=timeout + 10,
                    allowed_updates=self.allowed_updates,
                )
            except InvalidToken:
                log.exception("Telegram refused the token while polling; polling stopped")
                return
            except (NetworkError, TelegramError) as error:
                log.warning("getUpdates failed (%s); trying again in %.1f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
                continue
            delay = self.backoff
            fresh = [u for u in updates if self.ledger.take(u.update_id)]
            for update in fresh:
                await self.queue.put(update)
            if not fresh and self.ledger.unfinished:
                await self.ledger.wait_progress(self.busy_interval)
