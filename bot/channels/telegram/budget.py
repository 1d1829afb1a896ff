"""The two buckets the flood limiter paces messages with: one per chat, one shared fairly.

Kept apart from :mod:`bot.channels.telegram.ratelimit` (which decides which calls are
messages, whose chat they are, and retries 429s) so the pacing arithmetic can be read and
tested on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from typing import Literal

Priority = Literal["first", "reply", "flood", "background"]
PRIORITIES: tuple[Priority, ...] = ("first", "reply", "flood", "background")
"""The order in which waiting messages get the budget."""
MAX_IDLE_CHATS = 4096
"""Chat buckets kept before idle ones are forgotten."""


class Pace:
    """A token bucket as GCRA: ``rate`` a second after a burst of ``burst``, FIFO, lock-free.

    ``reserve`` books the next slot and says how long to wait for it, so concurrent callers
    queue in call order without a lock.
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._tat = 0.0  # theoretical arrival time of the next message

    def reserve(self) -> float:
        """Book one message; the seconds to wait before sending it (0 when within the burst)."""
        now = self._clock()
        interval = 1.0 / self.rate
        tat = max(self._tat, now)
        wait = max(0.0, tat - (self.burst - 1) * interval - now)
        self._tat = tat + interval
        return wait

    def is_idle(self) -> bool:
        """Whether the bucket is full again (nothing would be lost by forgetting it)."""
        return self._tat <= self._clock()


class FairBudget:
    """The overall message budget, handed out in turn per chat, replies before background.

    While tokens are available a call passes at once. When they run out, waiting calls are
    kept per priority and per chat, and each refill goes to the chat served least recently,
    so one chat with a hundred queued messages gets one slot per round like everyone else.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)  # a second's worth: Telegram's limit is per second
        self._clock = clock
        self._tokens = self.capacity
        self._stamp = clock()
        self._paused_until = 0.0
        self._waiting: dict[Priority, dict[object, deque[asyncio.Future[None]]]] = {
            priority: {} for priority in PRIORITIES
        }
        self._served: dict[object, float] = {}
        """When each chat last got a slot while calls were waiting."""
        self._dispatcher: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (Telegram said the whole bot is over its limit)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._tokens = 0.0
        self._wake.set()

    @property
    def waiting(self) -> int:
        """How many calls wait for the budget."""
        return sum(len(q) for queues in self._waiting.values() for q in queues.values())

    async def acquire(self, chat: object, priority: Priority) -> None:
        """Wait for this chat's turn at the budget."""
        self._refill()
        if not self.waiting and self._tokens >= 1.0 and self._clock() >= self._paused_until:
            self._tokens -= 1.0
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[priority].setdefault(chat, deque()).append(future)
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="telegram-budget")
        try:
            await future
        except asyncio.CancelledError:
            self._forget(priority, chat, future)
            raise

    async def close(self) -> None:
        """Stop the dispatcher (waiting calls are cancelled)."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
        for queues in self._waiting.values():
            for queue in queues.values():
                for future in queue:
                    future.cancel()
            queues.clear()

    def _refill(self) -> None:
        now = self._clock()
        if now < self._paused_until:
            self._stamp = now
            return
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def _forget(self, priority: Priority, chat: object, future: asyncio.Future[None]) -> None:
        queue = self._waiting[priority].get(chat)
        if queue is not None and future in queue:
            queue.remove(future)
            if not queue:
                del self._waiting[priority][chat]

    def _next(self) -> asyncio.Future[None] | None:
        """The first waiting call of the chat served least recently, in order of priority.

        A chat that was just served goes behind every other waiting chat (a round robin),
        and a chat that writes seldom goes before the busy ones.
        """
        for priority in PRIORITIES:
            queues = self._waiting[priority]
            while queues:
                chat = min(queues, key=lambda c: self._served.get(c, 0.0))
                queue = queues[chat]
                future = queue.popleft()
                if not queue:
                    del queues[chat]
                if not future.done():
                    self._served[chat] = self._clock()
                    if len(self._served) > MAX_IDLE_CHATS:
                        self._forget_served()
                    return future
        return None

    def _forget_served(self) -> None:
        """Drop the oldest half of the served times (those chats count as long unserved)."""
        oldest = sorted(self._served, key=self._served.__getitem__)
        for chat in oldest[: len(oldest) // 2]:
            del self._served[chat]

    async def _dispatch(self) -> None:
        while self.waiting:
            self._refill()
            now = self._clock()
            if now < self._paused_until:
                delay = self._paused_until - now
            elif self._tokens >= 1.0:
                future = self._next()
                if future is not None:
                    self._tokens -= 1.0
                    future.set_result(None)
                continue
            else:
                delay = (1.0 - self._tokens) / self.rate
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)
