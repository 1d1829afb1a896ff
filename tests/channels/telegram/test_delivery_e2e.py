"""Webhook mode, flood limits and network failures, and the token kept out of logs."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.app import run_telegram
from bot.channels.telegram.updates import user_key
from tests.channels.telegram.conftest import FAST, TOKEN, make_settings, run_bot
from tests.channels.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.slow

SECRET = "hook-secret_0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_refuses_a_wrong_secret_and_serves_telegram(
    api: FakeBotApi, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    settings = make_settings(tmp_path, api, webhook_secret=SECRET)
    mallory = api.user(2001, first_name="Mallory")
    forged = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": mallory.chat,
            "from": mallory.user,
            "text": "/start",
        },
    }
    async with run_bot(settings, webhook_url=url, listen="127.0.0.1", port=port) as runtime:
        assert api.webhook_url == url
        assert api.webhook_secret == SECRET
        async with aiohttp.ClientSession() as http:
            for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
                async with http.post(url, json=forged, headers=headers) as response:
                    assert response.status == 403

        kari = api.user(2002)
        await kari.send("/start")
        await kari.wait_for_reply("Hvordan vil du svare?")
        # Telegram gets its 200 once the update is handled (the reply may come first).
        await api.wait_until(lambda: bool(api.webhook_deliveries))
        assert api.webhook_deliveries[-1].status == 200
        assert await runtime.service.session_of(user_key(2002)) is not None
        # Kari's update came later through the same queue and is answered: a forged update
        # that had got in would have been handled by now.
        assert await runtime.service.session_of(user_key(2001)) is None
        assert api.outputs(mallory.chat_id) == []
    assert api.calls_to("getUpdates") == [], "webhook mode must not poll"


async def test_flood_limits_and_network_errors_delay_a_reply_but_never_drop_it(
    api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # aiosqlite's worker thread logs once more after a connection closed, which can race the
    # end of log capture; its records are SQL plumbing, never a Bot API URL.
    caplog.set_level(logging.INFO, logger="aiosqlite")
    api.fail_next("sendMessage", status=429, retry_after=1)
    api.fail_next("sendMessage", status=502)
    settings = make_settings(tmp_path, api)
    async with run_bot(settings):
        kari = api.user(3001)
        await kari.send("/start")
        await kari.wait_for_reply("Hvordan vil du svare?", timeout=10)
        # Even if a library logged a Bot API URL, the token would not reach the log.
        logging.getLogger("httpx").warning("HTTP Request: POST %s", f"{api.root_url}/bot{TOKEN}/x")
    statuses = [c.status for c in api.calls_to("sendMessage")]
    assert statuses[:3] == [429, 502, 200]
    welcome = api.outputs(kari.chat_id)[0]
    assert welcome.text.startswith("Strategi for småbyer")  # the first reply came through

    assert caplog.records, "nothing was logged; the check below would prove nothing"
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert "[REDACTED]" in caplog.text
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


async def test_innspill_run_serves_telegram_until_stopped(api: FakeBotApi, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, api)
    stop = asyncio.Event()
    task = asyncio.create_task(run_telegram(settings, stop=stop, options=FAST))
    kari = api.user(4001)
    await kari.send("/start")
    await kari.wait_for_reply("Hvordan vil du svare?")
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert settings.database_path.exists()
