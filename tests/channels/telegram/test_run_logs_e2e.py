"""``innspill run`` as a real subprocess against the fake Bot API, read as a log collector would."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.channels.telegram.conftest import TOKEN
from tests.channels.telegram.fake_bot_api import FakeBotApi
from tests.conftest import process_env

PRIVATE_TEXT = "Hemmelig svartekst 4711"

pytestmark = pytest.mark.slow


async def test_json_logs_one_event_per_line_with_counts_and_no_secrets(
    tmp_path: Path, api: FakeBotApi
) -> None:
    env = process_env(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api.root_url,
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
        LOG_STATS_SECONDS="0.2",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert process.stderr is not None
    lines: list[str] = []
    events: list[dict[str, Any]] = []

    async def counted_updates(at_least: int) -> None:
        assert process.stderr is not None
        while True:
            raw = await process.stderr.readline()
            assert raw, f"the bot stopped early: {lines}"
            line = raw.decode("utf-8").rstrip("\n")
            lines.append(line)
            event = json.loads(line)  # every line is one JSON event
            events.append(event)
            if event["msg"] == "counts" and event["updates"] >= at_least:
                return

    try:
        user = api.user(4711)
        await user.send("/start")
        await user.wait_for_reply(timeout=20)
        await user.send(PRIVATE_TEXT)
        await user.wait_for_reply(timeout=20)
        await asyncio.wait_for(counted_updates(2), timeout=20)
    finally:
        process.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(process.stderr.read(), timeout=30)
        await process.wait()
    lines += [line for line in rest.decode("utf-8").splitlines() if line]
    for line in lines:
        json.loads(line)
    logged = "\n".join(lines)
    assert TOKEN not in logged
    assert PRIVATE_TEXT not in logged
    assert any("is running (long polling)" in e["msg"] for e in events)
    assert process.returncode == 0
