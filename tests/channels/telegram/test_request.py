"""The aiohttp HTTP layer: Bot API calls work, connections are reused, failures map to PTB's."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram.request import AiohttpRequest
from tests.channels.telegram.conftest import TOKEN
from tests.channels.telegram.fake_bot_api import FakeBotApi

OK = b'{"ok": true, "result": true}'


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[object], asyncio.Event]]:
    """A tiny HTTP server: records each request's client port; ``/stall`` never answers."""
    peers: list[object] = []
    never = asyncio.Event()

    async def handle(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        if request.path == "/stall":
            await never.wait()
        return web.Response(body=OK, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", peers, never
    never.set()
    await runner.cleanup()


async def test_the_bot_talks_to_the_bot_api_through_aiohttp(api: FakeBotApi) -> None:
    bot = Bot(
        TOKEN,
        base_url=f"{api.root_url}/bot",
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )
    async with bot:
        me = await bot.get_me()
        assert me.is_bot
        await api.user(1001).send("hei")
        [update] = await bot.get_updates(timeout=1)
        assert update.message is not None
        assert update.message.text == "hei"
        message = await bot.send_message(1001, "Hei på deg – æøå")
        assert message.text == "Hei på deg – æøå"


async def test_one_connection_is_reused_for_many_calls(
    server: tuple[str, list[object], asyncio.Event],
) -> None:
    url, peers, _never = server
    request = AiohttpRequest()
    await request.initialize()
    try:
        for n in range(20):
            data = RequestData([RequestParameter("chat_id", n, None)])
            assert await request.post(f"{url}/botX/sendMessage", data) is True
    finally:
        await request.shutdown()
    assert len(peers) == 20
    assert len(set(peers)) == 1


async def test_a_stalled_answer_is_a_timeout(
    server: tuple[str, list[object], asyncio.Event],
) -> None:
    url, _peers, _never = server
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"{url}/stall")
    finally:
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error_without_the_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert TOKEN not in str(caught.value)
