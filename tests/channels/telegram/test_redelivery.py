"""Updates served again after they were applied must not crowd out what the person sends next.

A restart can bring back updates the bot already applied: Telegram serves again whatever a
crash left unconfirmed, and the update journal hands over rows not yet settled. Each chat has a
short queue, and beyond it the flood rule drops updates (issue 11). If the updates served
again took those places, the person's next real message was dropped without a word.
"""

from __future__ import annotations

import pytest

from bot.ops.settings import Settings
from tests.channels.telegram.conftest import run_bot
from tests.channels.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.slow

SLOW_DOWN = "Du sender raskere"


async def test_the_next_message_is_answered_after_applied_updates_are_served_again(
    settings: Settings, api: FakeBotApi
) -> None:
    kari = api.user(4242)
    helps = 8  # more than a chat's queue holds
    async with run_bot(settings, api=api):
        for _ in range(helps):
            mark = kari.mark()
            await kari.send("/hjelp")
            await kari.wait_for_reply(since=mark)
        served = list(range(api.last_update_id() - helps + 1, api.last_update_id() + 1))
    for update_id in reversed(served):
        await api.requeue(update_id)
    async with run_bot(settings, api=api):
        await api.wait_until_delivered(timeout=10)
        mark = kari.mark()
        await kari.send("/status")
        reply = await kari.wait_for_reply(since=mark, timeout=10)
        await api.settle()
        replies = kari.replies_since(mark)
    assert reply.text.startswith("Du har ikke begynt"), reply.text
    assert len(replies) == 1, "an update applied before the restart was answered again"
    assert not any(SLOW_DOWN in r.text for r in kari.replies_since(0))
