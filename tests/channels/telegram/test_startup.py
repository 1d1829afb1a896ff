"""Starting the bot as an operator does: a wrong token is explained, not a traceback."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from bot.ops.settings import Settings
from tests.channels.telegram.conftest import TOKEN, run_bot
from tests.channels.telegram.fake_bot_api import FakeBotApi
from tests.conftest import ROOT


async def test_a_token_telegram_refuses_is_explained(tmp_path: Path) -> None:
    api = FakeBotApi(TOKEN)
    await api.start()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SMTP_"))}
        env.update(
            TELEGRAM_BOT_TOKEN="123456:wrong-token-for-this-test",
            TELEGRAM_API_URL=api.root_url,
            DATABASE_PATH=str(tmp_path / "db.sqlite3"),
            OUTBOX_DIR=str(tmp_path / "outbox"),
            PYTHONPATH=str(ROOT),
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    finally:
        await api.close()
    assert proc.returncode == 1
    text = err.decode()
    assert "Telegram godtar ikke TELEGRAM_BOT_TOKEN" in text
    assert "Traceback" not in text
    assert "wrong-token-for-this-test" not in text, "the token never reaches the output"


async def test_stopping_the_application_closes_the_runtime(settings: Settings) -> None:
    async with run_bot(settings) as runtime:
        assert runtime.worker.running
    # post_shutdown closed it: no mail worker left, and the database connection is gone
    # (an open aiosqlite connection would keep the process alive after the bot stopped).
    assert not runtime.worker.running
    with pytest.raises(ValueError, match="no active connection"):
        await runtime.store.load_session("tg:1", runtime.consultation.id)
