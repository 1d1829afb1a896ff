"""The rig every scenario uses: fake Bot API, a scripted SMTP server, and the bot process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.channels.telegram.conftest import TOKEN
from tests.channels.telegram.fake_bot_api import FakeBotApi
from tests.mail.support import free_port
from tests.reliability.harness import BotProcess, bot_env
from tests.reliability.smtp import ScriptedHandler

LOGS: list[Path] = []
"""Every bot log written in this run; the secrets scenario searches them all for the token."""


@dataclass
class Rig:
    """One scenario's world."""

    api: FakeBotApi
    smtp: ScriptedHandler
    smtp_port: int
    bot: BotProcess
    db_path: Path
    tmp: Path
    controller: Controller


@pytest.fixture
def smtp_handler() -> Iterator[ScriptedHandler]:
    handler = ScriptedHandler()
    yield handler
    handler.release.set()  # a held server thread must not outlive the test


@pytest.fixture
async def rig(tmp_path: Path, smtp_handler: ScriptedHandler) -> AsyncIterator[Rig]:
    """Everything started; the bot is stopped (killed) and the servers closed afterwards."""
    api = FakeBotApi(TOKEN)
    await api.start()
    port = free_port()
    db_path = tmp_path / "var" / "innspill.sqlite3"
    log = tmp_path / "bot.log"
    LOGS.append(log)
    env = bot_env(api_url=api.root_url, db_path=db_path, outbox=tmp_path / "outbox", smtp_port=port)
    bot = BotProcess(env=env, log_path=log, cwd=tmp_path)
    controller = Controller(smtp_handler, hostname="127.0.0.1", port=port)
    controller.start()
    world = Rig(api, smtp_handler, port, bot, db_path, tmp_path, controller)
    try:
        yield world
    finally:
        smtp_handler.release.set()
        await bot.kill()
        with contextlib.suppress(AssertionError, RuntimeError):
            world.controller.stop()  # a scenario may have replaced it
        await api.close()
