"""Outgoing flood control: pace as Telegram requires, not more, and never drop a reply.

Telegram counts *messages*: about 30 a second in all, about one a second per private chat
(short bursts tolerated) and 20 a minute per group. Edits, answers to button presses,
``getUpdates`` and the like are not messages, so they are not paced here at all (the earlier
limiter counted every call, which capped a busy bot at half of what Telegram allows).

Three rules, applied to message calls only:

- **per chat**: a token bucket (GCRA) per chat; a person at human pace never waits;
- **overall**: one bucket shared *fairly*: when messages must wait, chats are served in turn
  (least recently served first), so a chat with many queued messages cannot starve the
  others. Waiting messages are also ranked: the first message of a turn (what a person
  waits for) goes first, then the rest of the replies, then the replies to a chat that floods
  the bot (see :mod:`bot.channels.telegram.turns`), then background work such as receipts, staff
  cards, digests and reminders (``rate_limit_args={"priority": "background"}``);
- **429**: ``RetryAfter`` pauses the scope it came from (the chat, or everything for a call
  without a chat, or when several chats are refused at once), lowers that chat's rate for a
  while, and the call is retried.

Network failures (and 5xx) are retried with backoff, since a reply promised after saving must
reach the person; a ``BadRequest`` never is. A *message* is sent again only when the first
try surely did not reach Telegram (no connection, 429, a 5xx answer): after a timeout or a
broken connection it may have arrived, and the Bot API cannot say, so it is not repeated.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot.channels.telegram import turns
from bot.channels.telegram.budget import MAX_IDLE_CHATS, FairBudget, Pace, Priority
from bot.channels.telegram.request import NotSent, Unanswered
from bot.ops.settings import Settings

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]
RateLimitArgs = dict[str, Any] | None
"""``rate_limit_args`` callers may pass: ``{"priority": "background"}``."""

NOT_RETRIED = frozenset({"getUpdates"})
"""The updater has its own retry loop for polling."""
NOT_MESSAGES = frozenset({"sendChatAction"})
"""``send*`` calls that do not put a message in the chat."""
MESSAGE_CALLS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})
"""Calls Telegram counts as messages besides ``send*``."""
GLOBAL_429_CHATS = 3
"""This many chats refused within ``GLOBAL_429_WINDOW`` seconds means the whole bot is limited."""
GLOBAL_429_WINDOW = 1.0
SLOWDOWN_RECOVERY = 60.0
"""Seconds after a 429 over which a chat's lowered rate climbs back to the configured one."""


@dataclass(frozen=True)
class Rates:
    """Telegram's message limits, as the ``TELEGRAM_*`` settings give them (read only here)."""

    per_second: float
    """Messages a second to all chats together."""
    chat_per_second: float
    """Messages a second to one private chat, once its burst is spent."""
    chat_burst: int
    """Messages a private chat may get at once."""
    group_per_minute: float
    """Messages a minute to one group or channel (also its burst)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Rates:
        """The rates the operator configured."""
        return cls(
            per_second=settings.telegram_global_rate,
            chat_per_second=settings.telegram_chat_rate,
            chat_burst=settings.telegram_chat_burst,
            group_per_minute=settings.telegram_group_rate_per_minute,
        )


@dataclass(frozen=True)
class Retries:
    """How often a refused or failed call is tried again (code, not settings)."""

    retry_after: int = 5
    """Times to wait out Telegram's 429 and try again."""
    network: int = 5
    """Times to retry a call that failed on the network (or a 5xx)."""
    backoff: float = 0.5
    """The first wait before a network retry, in seconds; doubled each time."""


def is_message_call(endpoint: str) -> bool:
    """Whether Telegram counts this Bot API method against its message limits."""
    if endpoint in NOT_MESSAGES:
        return False
    return endpoint.startswith("send") or endpoint in MESSAGE_CALLS


def chat_of(data: dict[str, Any]) -> int | str | None:
    """The chat a call is addressed to (an id, or ``@channelname``), if any."""
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    if isinstance(chat_id, int):
        return chat_id
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)


def is_group(chat: int | str) -> bool:
    """Groups, supergroups and channels have negative ids (or an ``@name``)."""
    return isinstance(chat, str) or chat < 0


def priority_of(rate_limit_args: RateLimitArgs) -> Priority:
    """``background`` when the caller marked the call so, else the rank in its turn.

    Call once per message: it counts the message in its turn.
    """
    if isinstance(rate_limit_args, dict) and rate_limit_args.get("priority") == "background":
        return "background"
    turn = turns.current()
    return "reply" if turn is None else turn.rank_next_message()


def may_have_arrived(error: NetworkError) -> bool:
    """Whether a failed call can have reached Telegram all the same.

    It went out and no answer came: sending it again could give the person two copies.
    """
    return isinstance(error, TimedOut | Unanswered) and not isinstance(error, NotSent)


def _seconds(retry_after: object) -> float:
    """``RetryAfter.retry_after`` in seconds (a ``timedelta`` with ``PTB_TIMEDELTA`` set)."""
    if isinstance(retry_after, int | float):
        return float(retry_after)
    total = getattr(retry_after, "total_seconds", None)
    return float(total()) if callable(total) else 1.0


class PatientRateLimiter(BaseRateLimiter[RateLimitArgs]):
    """Telegram's message limits per chat and overall, fair between chats; retries 429s."""

    def __init__(
        self, rates: Rates, retries: Retries, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Pace at ``rates``, retry as ``retries`` says; ``clock`` is monotonic (tests set it)."""
        self.global_rate = rates.per_second
        self.chat_rate = rates.chat_per_second
        self.chat_burst = rates.chat_burst
        self.group_rate = rates.group_per_minute / 60.0
        self.group_burst = max(1, int(rates.group_per_minute))
        self._retries = retries
        self._clock = clock
        self._budget: FairBudget | None = None
        self._paces: dict[int | str, Pace] = {}
        self._paused: dict[int | str, float] = {}
        self._slowed: dict[int | str, float] = {}
        """Chats refused with a 429, and when: their rate is lowered for a while."""

    @property
    def budget(self) -> FairBudget:
        """The overall budget (made on first use, inside the running event loop)."""
        if self._budget is None:
            self._budget = FairBudget(self.global_rate, self._clock)
        return self._budget

    async def initialize(self) -> None:
        """Nothing to allocate until the first call."""

    async def shutdown(self) -> None:
        """Stop handing out the budget."""
        if self._budget is not None:
            await self._budget.close()
            self._budget = None

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs,
    ) -> bool | JSONDict | list[JSONDict]:
        """Pace a message call, make it, retry a 429 or a network failure."""
        chat = chat_of(data)
        counted = is_message_call(endpoint)
        priority = priority_of(rate_limit_args) if counted else "reply"
        refused = network_failures = 0
        while True:
            await self._wait_if_paused(chat)
            if counted:
                if chat is not None:
                    await self._pace_chat(chat)
                await self.budget.acquire(chat, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if refused >= self._retries.retry_after:
                    raise
                refused += 1
                self._refused(chat, _seconds(exc.retry_after))
            except BadRequest:
                raise
            except NetworkError as exc:
                if endpoint in NOT_RETRIED or network_failures >= self._retries.network:
                    raise
                if counted and may_have_arrived(exc):
                    raise
                delay = self._retries.backoff * 2**network_failures
                network_failures += 1
                log.warning(
                    "%s failed (%s); retry %d in %.1f s", endpoint, exc, network_failures, delay
                )
                await asyncio.sleep(delay)

    async def _wait_if_paused(self, chat: int | str | None) -> None:
        if chat is None:
            return
        until = self._paused.get(chat)
        if until is None:
            return
        wait = until - self._clock()
        if wait > 0:
            await asyncio.sleep(wait)
        elif self._paused.get(chat) == until:
            del self._paused[chat]

    async def _pace_chat(self, chat: int | str) -> None:
        pace = self._paces.get(chat)
        if pace is None:
            self._prune()
            if is_group(chat):
                pace = Pace(self.group_rate, self.group_burst, self._clock)
            else:
                pace = Pace(self.chat_rate, self.chat_burst, self._clock)
            self._paces[chat] = pace
        self._recover(chat, pace)
        wait = pace.reserve()
        if wait > 0:
            await asyncio.sleep(wait)

    def _refused(self, chat: int | str | None, retry_after: float) -> None:
        """Back off the scope Telegram refused: the chat, or everything."""
        now = self._clock()
        wait = retry_after + 0.1
        log.info("Telegram asked to wait %.1f s (chat %s)", retry_after, chat)
        if chat is None:
            self.budget.pause(wait)
            return
        self._paused[chat] = max(self._paused.get(chat, 0.0), now + wait)
        self._slowed[chat] = now
        pace = self._paces.get(chat)
        if pace is not None:
            pace.rate = max(pace.rate / 2, 1 / 60)
            pace.burst = 1
        recent = sum(1 for t in self._slowed.values() if now - t <= GLOBAL_429_WINDOW)
        if recent >= GLOBAL_429_CHATS:
            self.budget.pause(wait)

    def _recover(self, chat: int | str, pace: Pace) -> None:
        """Let a slowed chat climb back to its configured rate once Telegram is quiet."""
        since = self._slowed.get(chat)
        if since is None or self._clock() - since < SLOWDOWN_RECOVERY:
            return
        del self._slowed[chat]
        if is_group(chat):
            pace.rate, pace.burst = self.group_rate, self.group_burst
        else:
            pace.rate, pace.burst = self.chat_rate, self.chat_burst

    def _prune(self) -> None:
        """Forget chats whose bucket is full again, so the map does not grow forever."""
        if len(self._paces) < MAX_IDLE_CHATS:
            return
        for chat, pace in list(self._paces.items()):
            if pace.is_idle() and chat not in self._slowed:
                del self._paces[chat]
