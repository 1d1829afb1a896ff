"""Outgoing flood control that never drops a reply.

Built on python-telegram-bot's ``AIORateLimiter`` (30 messages a second overall, 20 a minute
per group, waits out ``RetryAfter``) and adds what a conversation bot needs on top: a gentle
pace per private chat (Telegram asks for about one message a second per chat, with short
bursts allowed) and retries with backoff when the network fails, since a reply that was
promised after saving must reach the person.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]

NOT_RETRIED = frozenset({"getUpdates"})
"""The updater has its own retry loop for polling."""


class PatientRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` plus per-private-chat pacing and retries on network errors."""

    def __init__(
        self,
        *,
        retry_after_retries: int = 5,
        network_retries: int = 5,
        network_backoff: float = 0.5,
        chat_burst: int = 5,
        chat_period: float = 5.0,
    ) -> None:
        """Set the retry and pacing policy.

        Args:
            retry_after_retries: how often to wait out Telegram's 429 ``retry_after``.
            network_retries: how often to retry a call that failed on the network (or a 5xx).
            network_backoff: the first wait before a network retry; doubled each time.
            chat_burst: messages one private chat may get at once before pacing starts.
            chat_period: seconds over which ``chat_burst`` messages are allowed (5 in 5 s is
                a burst of five, then one a second).
        """
        super().__init__(max_retries=retry_after_retries)
        self._network_retries = network_retries
        self._network_backoff = network_backoff
        self._chat_burst = chat_burst
        self._chat_period = chat_period
        self._chat_limiters: dict[int, AsyncLimiter] = {}

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Pace, call, and retry network failures with backoff (never a ``BadRequest``)."""
        attempt = 0
        while True:
            try:
                async with self._chat_pace(endpoint, data):
                    return await super().process_request(
                        callback, args, kwargs, endpoint, data, rate_limit_args
                    )
            except BadRequest:
                raise
            except NetworkError as exc:
                if endpoint in NOT_RETRIED or attempt >= self._network_retries:
                    raise
                delay = self._network_backoff * 2**attempt
                attempt += 1
                log.warning("%s failed (%s); retry %d in %.1f s", endpoint, exc, attempt, delay)
                await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def _chat_pace(self, endpoint: str, data: dict[str, Any]) -> AsyncIterator[None]:
        try:
            chat_id = int(data.get("chat_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            chat_id = 0
        if not endpoint.startswith("send") or chat_id <= 0:
            # Groups and channels are paced by AIORateLimiter's group limiter.
            yield
            return
        limiter = self._chat_limiters.get(chat_id)
        if limiter is None:
            self._prune()
            limiter = AsyncLimiter(self._chat_burst, self._chat_period)
            self._chat_limiters[chat_id] = limiter
        async with limiter:
            yield

    def _prune(self) -> None:
        """Forget chats whose bucket is full again, so the map does not grow forever."""
        if len(self._chat_limiters) < 1024:
            return
        for chat_id, limiter in list(self._chat_limiters.items()):
            if limiter.has_capacity(self._chat_burst):
                del self._chat_limiters[chat_id]
