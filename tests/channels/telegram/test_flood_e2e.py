"""One person floods the bot while others chat: the others barely notice, nothing is lost.

The bot runs with per-chat pacing (a few messages a second per chat after a burst; one a second
as shipped, faster here to keep the test short): that pacing is what used to let a flooder's
waiting updates hold every slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import Runtime, build_telegram
from bot.channels.telegram.application import running
from bot.channels.telegram.chat_queue import ChatQueue
from bot.channels.telegram.ratelimit import Rates
from bot.channels.telegram.updates import AnyApplication, user_key
from bot.ops.settings import Settings
from tests.channels.telegram.conftest import FAST, make_settings
from tests.channels.telegram.fake_bot_api import FakeBotApi, FakeUser

pytestmark = pytest.mark.slow

FLOOD = 300
ROUNDS = 5


@contextlib.asynccontextmanager
async def shipped_bot(
    settings: Settings, api: FakeBotApi
) -> AsyncIterator[tuple[Runtime, AnyApplication]]:
    runtime = await Runtime.open(settings)
    try:
        # Quick timeouts, but the rate limits from the settings.
        options = replace(FAST, rates=Rates.from_settings(settings))
        app = build_telegram(settings, runtime, options=options)
        api.all_handled = app.update_queue.join
        async with running(app, options=options):
            yield runtime, app
    finally:
        await runtime.close()


async def at_the_text_step(user: FakeUser) -> None:
    """The quick path up to "paste your text or send a document"."""
    await user.send("/start rask")
    await user.wait_for_reply("Hvem svarer du for?")
    await user.click("Privatperson")
    await user.wait_for_reply("Hva heter du?")
    await user.send("Ola Flom")
    await user.wait_for_reply("Hvilken kommune")
    await user.send("Harstad")
    await user.wait_for_reply("Lim inn innspillet")


async def chat(user: FakeUser, rounds: int) -> list[float]:
    """A person who writes, waits for the answer, reads it a moment, writes again."""
    latencies = []
    for _ in range(rounds):
        started = time.monotonic()
        await user.send("/status")  # one short answer
        await user.wait_for_reply(timeout=30)
        latencies.append(time.monotonic() - started)
        await asyncio.sleep(0.3)  # a person reading the answer (human pace)
    return latencies


async def others_chat(api: FakeBotApi, first_id: int) -> list[float]:
    people = [api.user(first_id + n) for n in range(5)]
    results = await asyncio.gather(*(chat(p, ROUNDS) for p in people))
    return sorted(t for r in results for t in r)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def test_a_flooder_does_not_hold_up_the_others_and_loses_no_text(
    api: FakeBotApi, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path, api, telegram_chat_rate=3.0, telegram_chat_burst=20, telegram_global_rate=1000
    )
    async with shipped_bot(settings, api) as (runtime, app):
        queue = app.update_queue
        assert isinstance(queue, ChatQueue)
        flooder = api.user(4000)
        await at_the_text_step(flooder)
        normal = await others_chat(api, 5000)

        flood_mark = flooder.mark()
        received = queue.received
        for n in range(FLOOD):
            await flooder.send(f"bit {n}")
        # Received, and queued in the chat's lane or joined to a waiting text there (not yet
        # answered: the flooder's lane is served while the others chat).
        async with asyncio.timeout(10):
            while queue.received < received + FLOOD:
                await asyncio.sleep(0.01)
        during = await others_chat(api, 6000)
        await api.settle(timeout=60)

        # The others: within 1.5x of normal, with an allowance for a shared 2-core machine
        # that also runs the fake Bot API and other test suites (the flood used to push their
        # p95 from 0.04 s to 35 s; with the old processor this test does not finish).
        assert p95(during) <= 1.5 * p95(normal) + 1.0, (normal, during)
        assert statistics.median(during) <= 1.5 * statistics.median(normal) + 0.2
        # The flooder: a handful of answers, not one per message.
        replies = flooder.replies_since(flood_mark)
        print(
            f"others' p95 {p95(normal):.3f} s normal, {p95(during):.3f} s during the flood;"
            f" the flooder got {len(replies)} outputs for {FLOOD} messages"
        )
        assert len(replies) < FLOOD / 10, [r.text for r in replies]
        # Every fragment is in the draft.
        session = await runtime.service.session_of(user_key(flooder.id))
        assert session is not None
        stored = session.model_dump_json()
        missing = [n for n in range(FLOOD) if f"bit {n}\\n" not in stored + "\\n"]
        missing = [n for n in missing if f"bit {n}" not in stored]
        assert not missing


async def test_a_flood_of_stickers_gets_one_polite_notice(
    api: FakeBotApi, settings: Settings, bot: Runtime
) -> None:
    spammer = api.user(4100, language_code="nn")
    mark = spammer.mark()
    for _ in range(60):
        await spammer.send_sticker()
    await spammer.wait_for_reply("Du sender raskare enn eg rekk å svare", since=mark)
    await spammer.settle()
    texts = [r.text for r in spammer.replies_since(mark)]
    assert sum("Du sender raskare" in t for t in texts) == 1
    # One running and five waiting were answered; the other 54 were dropped.
    assert sum("klistremerke" in t for t in texts) <= 6, texts
