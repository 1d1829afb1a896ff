"""The health check's Bot API probe against the local fake: reachable, and not reachable."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from bot.ops.health import check_bot_api, run_checks
from bot.ops.settings import Settings
from tests.channels.telegram.conftest import make_settings
from tests.channels.telegram.fake_bot_api import FakeBotApi


async def test_health_reaches_the_bot_api_with_get_me(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    checks = await run_checks(settings)
    api_check = checks[-1]
    assert api_check.name == "bot_api"
    assert api_check.ok, api_check.line()
    assert api_check.line().startswith("OK   bot_api: @")
    assert len(api.calls_to("getMe")) == 1


async def test_an_unreachable_bot_api_fails_quickly_in_one_line(
    tmp_path: Path, api: FakeBotApi
) -> None:
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings: Settings = make_settings(
        tmp_path, api, telegram_api_url=f"http://127.0.0.1:{port}", health_timeout_seconds=1.0
    )
    started = time.monotonic()
    check = await check_bot_api(settings)
    assert check is not None
    assert not check.ok
    assert time.monotonic() - started < 5
    assert "\n" not in check.line()
    assert "FEIL bot_api: " in check.line()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() not in check.line()


async def test_without_a_token_there_is_no_bot_api_check(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api, telegram_bot_token=None)
    assert await check_bot_api(settings) is None
