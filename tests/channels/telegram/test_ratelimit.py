"""The outgoing limiter: Telegram's message limits, no more, fair between chats, 429s obeyed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.channels.telegram import turns
from bot.channels.telegram.budget import Pace
from bot.channels.telegram.ratelimit import (
    PatientRateLimiter,
    RateLimitArgs,
    Rates,
    Retries,
    is_message_call,
)

SHIPPED = Rates(per_second=30, chat_per_second=1, chat_burst=10, group_per_minute=20)
"""Telegram's limits as the settings ship them."""


def limited(
    per_second: float, *, chat: float, burst: int, group_per_minute: float = 20
) -> PatientRateLimiter:
    """A limiter with these rates and the shipped retry policy."""
    rates = Rates(per_second, chat, burst, group_per_minute)
    return PatientRateLimiter(rates, Retries())


class Recorder:
    """A stand-in for the HTTP call: records when each call went out."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, object, float]] = []
        self.refuse: dict[object, int] = {}
        self.start = time.monotonic()
        self.attempts = 0
        self._changed = asyncio.Condition()

    async def call(self, endpoint: str, chat: object) -> bool:
        async with self._changed:
            self.attempts += 1
            self._changed.notify_all()
        if self.refuse.get(chat, 0) > 0:
            self.refuse[chat] -= 1
            raise RetryAfter(1)
        self.sent.append((endpoint, chat, time.monotonic() - self.start))
        return True

    def times(self, chat: object) -> list[float]:
        return [t for _e, c, t in self.sent if c == chat]

    async def wait_for_first_call(self) -> None:
        """Wait until a call got through the limiter (refused or not): the rest are queued."""
        async with asyncio.timeout(5), self._changed:
            await self._changed.wait_for(lambda: self.attempts > 0)


@pytest.fixture
async def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def limiter() -> AsyncIterator[PatientRateLimiter]:
    limiter = limited(20, chat=2, burst=5, group_per_minute=60)
    await limiter.initialize()
    yield limiter
    await limiter.shutdown()


async def call(
    limiter: PatientRateLimiter,
    recorder: Recorder,
    endpoint: str,
    chat: object,
    args: RateLimitArgs = None,
) -> None:
    data: dict[str, Any] = {"chat_id": chat}
    await limiter.process_request(recorder.call, (endpoint, chat), {}, endpoint, data, args)


def test_only_calls_telegram_counts_as_messages_are_paced() -> None:
    assert is_message_call("sendMessage")
    assert is_message_call("sendDocument")
    assert is_message_call("copyMessage")
    for endpoint in ("editMessageText", "answerCallbackQuery", "getUpdates", "sendChatAction"):
        assert not is_message_call(endpoint), endpoint


def test_a_person_at_human_pace_never_waits() -> None:
    now = [0.0]
    pace = Pace(rate=1.0, burst=10, clock=lambda: now[0])
    # Two hours of a person who acts about once a second, in bursts of three taps.
    for second in range(0, 7200, 3):
        for offset in (0.0, 0.2, 0.4):
            now[0] = second + offset
            assert pace.reserve() == 0.0
    # After a pause, someone (or something) far faster gets the burst, then the rate.
    now[0] += 10
    waits = [pace.reserve() for _ in range(30)]
    assert waits[:10] == [0.0] * 10
    assert waits[-1] == pytest.approx(20.0)
    assert waits[10] == pytest.approx(1.0)


async def test_a_burst_goes_out_at_once_then_the_chat_is_paced(
    limiter: PatientRateLimiter, recorder: Recorder
) -> None:
    await asyncio.gather(*(call(limiter, recorder, "sendMessage", 7) for _ in range(7)))
    times = recorder.times(7)
    assert max(times[:5]) < 0.1  # the burst of five: no delay
    assert times[5] == pytest.approx(0.5, abs=0.15)  # then two a second
    assert times[6] == pytest.approx(1.0, abs=0.15)


async def test_the_global_cap_counts_messages_not_edits_or_button_answers(
    recorder: Recorder,
) -> None:
    limiter = limited(40, chat=100, burst=100)
    sends = asyncio.gather(*(call(limiter, recorder, "sendMessage", chat) for chat in range(1, 81)))
    await asyncio.sleep(0)  # the sends have spent the budget before the edits are made
    started = time.monotonic()
    await asyncio.gather(
        *(call(limiter, recorder, "editMessageText", chat) for chat in range(1, 201)),
        *(call(limiter, recorder, "answerCallbackQuery", None) for _ in range(100)),
    )
    assert time.monotonic() - started < 0.2  # nothing but messages waits on the budget
    await sends
    send_times = sorted(t for e, _c, t in recorder.sent if e == "sendMessage")
    assert max(send_times[:40]) < 0.1  # a second's worth at once
    # then 40 a second: the 80th after about a second, never faster than the cap
    assert send_times[-1] == pytest.approx(1.0, abs=0.2)
    for index in range(40, 80):
        assert send_times[index] >= (index - 40) / 40 - 0.05
    await limiter.shutdown()


async def test_a_chat_with_a_long_queue_does_not_starve_the_others(
    recorder: Recorder,
) -> None:
    limiter = limited(20, chat=1000, burst=1000)
    flood = asyncio.gather(*(call(limiter, recorder, "sendMessage", 1) for _ in range(60)))
    await recorder.wait_for_first_call()
    others = asyncio.gather(*(call(limiter, recorder, "sendMessage", chat) for chat in range(2, 7)))
    await others
    # Each of the five others got the next free slot in turn, not the flood's 40 queued ones.
    assert max(t for chat in range(2, 7) for t in recorder.times(chat)) < 0.7
    await flood
    assert recorder.times(1)[-1] > 2.0
    await limiter.shutdown()


async def test_replies_go_before_background_work(recorder: Recorder) -> None:
    limiter = limited(20, chat=1000, burst=1000)
    background = {"priority": "background"}
    receipts = asyncio.gather(
        *(call(limiter, recorder, "sendMessage", -chat, background) for chat in range(1, 41))
    )
    await recorder.wait_for_first_call()
    replies = asyncio.gather(*(call(limiter, recorder, "sendMessage", c) for c in range(1, 11)))
    await replies
    assert max(t for c in range(1, 11) for t in recorder.times(c)) < 0.7
    await receipts
    last_receipt = max(t for _e, c, t in recorder.sent if isinstance(c, int) and c < 0)
    assert last_receipt > 1.4
    await limiter.shutdown()


async def test_a_429_pauses_that_chat_and_the_call_is_retried(
    limiter: PatientRateLimiter, recorder: Recorder
) -> None:
    recorder.refuse[5] = 1
    refused = asyncio.create_task(call(limiter, recorder, "sendMessage", 5))
    await recorder.wait_for_first_call()
    await call(limiter, recorder, "sendMessage", 6)  # another chat is not held up
    assert recorder.times(6)[0] < 0.2
    await refused
    assert recorder.times(5)[0] == pytest.approx(1.1, abs=0.2)
    # and the refused chat is slowed down for a while: the next message waits its turn
    await call(limiter, recorder, "sendMessage", 5)
    assert recorder.times(5)[1] - recorder.times(5)[0] > 0.5


async def test_429_beyond_the_retries_is_raised(recorder: Recorder) -> None:
    limiter = PatientRateLimiter(SHIPPED, Retries(retry_after=0))
    recorder.refuse[5] = 1
    with pytest.raises(RetryAfter):
        await call(limiter, recorder, "sendMessage", 5)
    await limiter.shutdown()


async def test_a_turns_first_message_goes_first_and_a_flooding_chat_last(
    recorder: Recorder,
) -> None:
    """When the budget runs short, a person's first answer beats others' follow-ups."""
    limiter = limited(20, chat=1000, burst=1000)

    async def in_turn(chat: int, messages: int, *, flooding: bool = False) -> None:
        with turns.turn(lambda: flooding):
            for _ in range(messages):
                await call(limiter, recorder, "sendMessage", chat)

    async def sent(count: int) -> None:
        async with asyncio.timeout(5), recorder._changed:
            await recorder._changed.wait_for(lambda: recorder.attempts >= count)

    flooding = asyncio.create_task(in_turn(1, 30, flooding=True))
    await sent(20)  # the flooding chat used the budget up; the rest of it waits
    others = asyncio.gather(*(in_turn(chat, 3) for chat in range(2, 7)))
    await sent(25)  # each of the others' first message went out
    await in_turn(50, 1)  # a person's turn starts: before the others' later messages
    await others
    await flooding
    order = [c for _e, c, _t in recorder.sent]
    last_of = {chat: len(order) - 1 - order[::-1].index(chat) for chat in range(2, 7)}
    assert order.index(50) < min(last_of.values())
    # The flooding chat's waiting messages went out after everyone else's.
    assert order[max(last_of.values()) + 1 :] == [1] * 10
    await limiter.shutdown()
