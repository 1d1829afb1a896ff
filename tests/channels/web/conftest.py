"""The web chat on loopback: a real store, the real service and the real aiohttp app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import CookieJar
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.web.channel_state import WebOptions
from bot.channels.web.server import build_web_app
from bot.consultation.model import Consultation
from bot.service.conversations import ConversationService
from bot.storage import Store
from tests.channels.web.plain_browser import PlainBrowser

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@dataclass
class WebRig:
    """The app on a test server, and browsers on it."""

    store: Store
    service: ConversationService
    server: TestServer
    clients: list[TestClient[Any, Any]] = field(default_factory=list)

    async def browser(self, **headers: str) -> PlainBrowser:
        """A new browser with its own cookies."""
        client: TestClient[Any, Any] = TestClient(self.server, cookie_jar=CookieJar(unsafe=True))
        await client.start_server()
        self.clients.append(client)
        return PlainBrowser(client, headers={k.replace("_", "-"): v for k, v in headers.items()})


WebFactory = Callable[..., Awaitable[WebRig]]


@pytest.fixture
async def make_web(store: Store, consultation: Consultation) -> AsyncIterator[WebFactory]:
    """Build the web chat with the given options (``make_web(posts_per_minute=2)``)."""
    rigs: list[WebRig] = []

    async def make(**options: Any) -> WebRig:
        service = ConversationService(consultation, store, clock=lambda: NOW)
        web_options = replace(WebOptions(), **options)
        app = build_web_app(service, consultation, store.web, web_options, clock=lambda: NOW)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        rig = WebRig(store, service, server)
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        for client in rig.clients:
            await client.close()
        await rig.server.close()


@pytest.fixture
async def web(make_web: WebFactory) -> WebRig:
    """The web chat with its default options."""
    return await make_web()
