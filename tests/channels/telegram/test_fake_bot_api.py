"""The fake Bot API itself: it must refuse what Telegram refuses, or other tests prove little."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.channels.telegram.fake_bot_api import FakeBotApi

TOKEN = "42:fake-api-self-test-token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN) as api:
        yield api


async def call(api: FakeBotApi, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{api.root_url}/bot{api.token}/{method}", data=form) as response,
    ):
        return response.status, await response.json()


async def test_unknown_methods_tokens_and_urls_are_recorded_as_errors(fake: FakeBotApi) -> None:
    status, _ = await call(fake, "sendPhoto", chat_id=1)
    assert status == 404
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.root_url}/botWRONG/getMe") as response:
            assert response.status == 401
        async with http.get(f"{fake.root_url}/somewhere") as response:
            assert response.status == 404
    assert len(fake.errors) == 3
    assert all(TOKEN not in e for e in fake.errors)
    with pytest.raises(AssertionError, match="Bot API misuse"):
        fake.assert_clean()


async def test_what_telegram_refuses_is_refused(fake: FakeBotApi) -> None:
    kari = fake.user(1)
    too_long = {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]}
    status, body = await call(
        fake, "sendMessage", chat_id=kari.chat_id, text="Hei", reply_markup=too_long
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    status, _ = await call(fake, "sendMessage", chat_id=kari.chat_id, text="x" * 4097)
    assert status == 400
    status, _ = await call(fake, "sendMessage", chat_id=999, text="Hei")
    assert status == 400
    assert len(fake.errors) == 3


async def test_get_updates_long_polls_and_confirms_by_offset(fake: FakeBotApi) -> None:
    kari = fake.user(1)
    await kari.send("/start")
    _status, body = await call(fake, "getUpdates", timeout=0)
    [first] = body["result"]
    assert first["message"]["entities"][0]["type"] == "bot_command"

    waiting = asyncio.create_task(
        call(fake, "getUpdates", offset=first["update_id"] + 1, timeout=5)
    )
    await fake.wait_until(lambda: fake.long_polls_waiting == 1)
    assert not waiting.done(), "a long poll without updates must wait"
    await kari.send("hei")
    _status, body = await asyncio.wait_for(waiting, 2)
    assert [u["message"]["text"] for u in body["result"]] == ["hei"]
    assert fake.pending_updates == 1  # not confirmed until the next offset
    await call(fake, "getUpdates", offset=body["result"][0]["update_id"] + 1, timeout=0)
    assert fake.pending_updates == 0


async def test_injected_failures_come_once_in_telegrams_shape(fake: FakeBotApi) -> None:
    fake.fail_next("getMe", status=429, retry_after=3)
    status, body = await call(fake, "getMe")
    assert (status, body["parameters"]) == (429, {"retry_after": 3})
    status, body = await call(fake, "getMe")
    assert status == 200
    assert body["result"]["username"] == "innspill_test_bot"
    assert fake.errors == []
