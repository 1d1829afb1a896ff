"""Which fetched updates are still being handled, and so which offset confirms the rest.

Shared by long polling and the webhook (:mod:`bot.channels.telegram.polling`,
:mod:`bot.channels.telegram.webhook`): both confirm an update to Telegram only after it was handled.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

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

    def __contains__(self, update_id: object) -> bool:
        """Whether the update is in hand or was finished recently."""
        return update_id in self._unfinished or update_id in self._recent_set

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
    def after_newest(self) -> int | None:
        """One past the newest update fetched (``None``: nothing seen)."""
        return self._after_newest

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
