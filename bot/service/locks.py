"""One FIFO lock per key (a person, a chat), dropped again when nobody holds or waits for it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class KeyedLocks(Generic[K]):
    """Serialise work per key while different keys run at the same time."""

    def __init__(self) -> None:
        self._locks: dict[K, asyncio.Lock] = {}
        self._holders: dict[K, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: K) -> AsyncIterator[None]:
        """Wait for the earlier holders of ``key``, in arrival order, then run the block."""
        # Nothing before ``acquire`` yields, so arrival order is queue order (asyncio.Lock
        # is FIFO).
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:
                del self._holders[key]
                del self._locks[key]

    def __len__(self) -> int:
        """How many keys are held or waited for."""
        return len(self._locks)
