"""A reply is never sent twice: Telegram has no way to tell whether a timed-out send arrived.

The Bot API has no idempotency key for ``sendMessage`` and no way to read a chat back. A send
whose answer did not come in time may have reached the person, so it is not sent again; one
that never reached Telegram (Telegram answered 429 or 5xx, or no connection was made) is.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.channels.telegram.conftest import FAST, make_settings, run_bot
from tests.channels.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.slow


async def test_a_reply_whose_answer_comes_too_late_is_not_sent_again(
    api: FakeBotApi, tmp_path: Path
) -> None:
    api.answer_late("sendMessage", 1.0)  # carried out at once, answered after the timeout
    options = replace(FAST, read_timeout=0.3)
    async with run_bot(make_settings(tmp_path, api), api=api, options=options):
        kari = api.user(3101)
        await kari.send("/start")
        await kari.wait_for_reply("Hvordan vil du svare?", timeout=10)
        await api.settle(timeout=20)
        api.answer_late("sendMessage", 0)
        before = kari.mark()
        await kari.send("/status")  # the bot goes on as usual
        await kari.wait_for_reply("Du har ikke begynt", since=before, timeout=10)
        await api.settle(timeout=20)
    outputs = [o.text for o in api.outputs(kari.chat_id)[:before]]
    assert len(outputs) == 1, outputs  # the welcome, once, and no apology for a late answer
    assert "Hvordan vil du svare?" in outputs[0]
