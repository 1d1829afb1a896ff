"""Fixtures: a fake Bot API server, settings pointing at it, and the real bot running against it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Runtime, build_telegram, webhook_for
from bot.channels.telegram.application import TelegramOptions, running
from bot.channels.telegram.ratelimit import Rates, Retries
from bot.ops.settings import Settings
from tests.channels.telegram.fake_bot_api import FakeBotApi

TOKEN = "7000001:AAHfakeTokenForInnspillTests_0123456789abc"

FAST = TelegramOptions(
    rates=Rates(per_second=1000.0, chat_per_second=100.0, chat_burst=100, group_per_minute=20),
    stop_grace=20.0,
    download_limit=20 * 1024 * 1024,
    retries=Retries(retry_after=3, network=3, backoff=0.05),
    album_delay=0.3,
    poll_timeout=2.0,
)
"""Short waits so the end-to-end tests stay quick."""


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API; the test fails if the bot misused it (checked after the bot stopped)."""
    fake = FakeBotApi(TOKEN)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    fake.assert_clean()


def make_settings(tmp_path: Path, api: FakeBotApi, **overrides: Any) -> Settings:
    """Settings for one test: its own database and outbox folder, the fake as Bot API server."""
    values: dict[str, Any] = {
        "database_path": tmp_path / "innspill.sqlite3",
        "outbox_dir": tmp_path / "outbox",
        "mail_transport": "file",
        "mail_from": "innspill <innspill@example.org>",
        "telegram_bot_token": TOKEN,
        "telegram_api_url": api.root_url,
        "webhook_url": None,
        "webhook_secret": None,
        "outbox_poll_seconds": 60.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(tmp_path: Path, api: FakeBotApi) -> Settings:
    """Settings pointing at the fake server."""
    return make_settings(tmp_path, api)


@contextlib.asynccontextmanager
async def run_bot(
    settings: Settings,
    *,
    api: FakeBotApi | None = None,
    webhook_url: str | None = None,
    listen: str | None = None,
    port: int | None = None,
    options: TelegramOptions = FAST,
) -> AsyncIterator[Runtime]:
    """The whole product as ``innspill run`` starts it, until the block ends.

    Stopping the application closes the runtime (its ``post_shutdown``), as in production.
    With ``api``, the fake learns when the bot has handled every update it took: PTB marks
    each update done in its queue only after its handler (and so every reply) finished.
    """
    webhook = webhook_for(settings, url=webhook_url, listen=listen, port=port)
    runtime = await Runtime.open(settings)
    app = build_telegram(settings, runtime, options=options)
    if api is not None:
        api.all_handled = app.update_queue.join
    async with running(app, options=options, webhook=webhook):
        yield runtime


@pytest.fixture
async def bot(settings: Settings, api: FakeBotApi) -> AsyncIterator[Runtime]:
    """The bot, long polling the fake server."""
    async with run_bot(settings, api=api) as runtime:
        yield runtime
