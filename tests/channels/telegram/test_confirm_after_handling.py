"""``innspill run`` killed or stopped with updates in hand: nothing is lost, nothing applied twice.

The bot runs as a real subprocess against the fake Bot API, which keeps every update until a
``getUpdates`` offset confirms it and serves the unconfirmed ones again, as Telegram does.
Long polling confirms an update once it is stored in the bot's update journal; the webhook answers
200 once the update is handled.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from tests.channels.telegram.conftest import TOKEN
from tests.channels.telegram.fake_bot_api import FakeBotApi, FakeUser
from tests.channels.telegram.test_conversation_e2e import GUIDED
from tests.channels.telegram.test_delivery_e2e import free_port

ROOT = Path(__file__).resolve().parents[3]
USERS = 5
FRAGMENTS = 10
"""Five people with ten messages each: a backlog of 50 messages."""

pytestmark = pytest.mark.slow


class BotProcess:
    """``python -m bot run`` against the fake, with its own database."""

    def __init__(self, tmp_path: Path, api: FakeBotApi, *args: str, **env: str) -> None:
        self.args = args
        self.database = tmp_path / "innspill.sqlite3"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SMTP_"))}
        self.env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=api.root_url,
            DATABASE_PATH=str(self.database),
            OUTBOX_DIR=str(tmp_path / "outbox"),
            MAIL_TRANSPORT="file",
            OUTBOX_POLL_SECONDS="60",
            PYTHONPATH=str(ROOT),
            **env,
        )
        self.cwd = tmp_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            *self.args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            env=self.env,
            cwd=self.cwd,
        )

    async def stop(self, signum: signal.Signals = signal.SIGTERM, timeout: float = 30) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signum)
        return await asyncio.wait_for(self.process.wait(), timeout)

    def stored_updates(self) -> int:
        with sqlite3.connect(self.database) as db:
            found = db.execute("SELECT COUNT(*) FROM update_journal WHERE state = 'fetched'")
            return int(found.fetchone()[0])

    def session_texts(self) -> list[str]:
        with sqlite3.connect(self.database) as db:
            return [row[0] for row in db.execute("SELECT data FROM sessions")]


def fragment(user: FakeUser, i: int) -> str:
    return f"[bit-{user.id}-{i:02d}]"


async def at_a_question(api: FakeBotApi, count: int = USERS) -> list[FakeUser]:
    """People, each at the first question, where every message adds to the answer."""
    users = [api.user(2001 + n) for n in range(count)]

    async def one(user: FakeUser) -> None:
        await user.send("/start")
        await user.wait_for_reply("Hvordan vil du svare?", timeout=30)
        await user.click(GUIDED)
        await user.wait_for_reply("Hvem svarer du for?", timeout=20)
        await user.click("Privatperson")
        await user.wait_for_reply("Hva heter du?", timeout=20)
        await user.send("Kari Nordmann")
        await user.wait_for_reply("Hvilken kommune", timeout=20)
        await user.send("Harstad")
        await user.wait_for_reply("Vil du ha en kvittering", timeout=20)
        await user.click("Nei takk")
        await user.wait_for_reply("Hvilke tema", timeout=20)
        await user.click("Attraktive byer og levende sentrum")
        await user.wait_for_reply(timeout=20)
        await user.click("Ferdig ➡️")
        await user.wait_for_reply("Tema 1 av 1", timeout=20)

    await asyncio.gather(*(one(u) for u in users))
    return users


async def backlog(users: list[FakeUser], fragments: int = FRAGMENTS) -> None:
    """Every person sends ten messages at once (queued before the bot can fetch any)."""
    for i in range(fragments):
        for user in users:
            await user.send(fragment(user, i))


def assert_each_applied_once(
    bot: BotProcess, users: list[FakeUser], fragments: int = FRAGMENTS
) -> None:
    texts = "\n".join(bot.session_texts())
    counts = {fragment(u, i): texts.count(fragment(u, i)) for u in users for i in range(fragments)}
    assert set(counts.values()) == {1}, f"lost (0) or applied twice (2+): {counts}"


async def restart_until_applied(
    tmp_path: Path, api: FakeBotApi, users: list[FakeUser], fragments: int = FRAGMENTS
) -> BotProcess:
    """Start the bot again and stop it (SIGTERM) once every message is in a draft."""
    restarted = BotProcess(tmp_path, api)
    asked = api.poll_requests
    await restarted.start()
    try:
        # Polling (and so able to stop cleanly), and every message applied.
        await api.wait_until(lambda: api.poll_requests > asked, timeout=30)
        total = len(users) * fragments
        await api.wait_until(
            lambda: sum(t.count("[bit-") for t in restarted.session_texts()) >= total,
            timeout=60,
        )
        await api.wait_until(lambda: api.pending_updates == 0, timeout=30)
    finally:
        assert await restarted.stop() == 0
    return restarted


async def test_a_kill_right_after_fetching_loses_nothing(tmp_path: Path, api: FakeBotApi) -> None:
    bot = BotProcess(tmp_path, api)
    await bot.start()
    try:
        users = await at_a_question(api)
        polls = len(api.served)
        await backlog(users)
        last = api.last_update_id()
        # The batch is fetched, and the bot asks again, confirming the batch to Telegram.
        await api.wait_until(lambda: any(last in b for b in api.served[polls:]), timeout=20)
        asked = api.poll_requests
        await api.wait_until(lambda: api.poll_requests > asked, timeout=20)
        await bot.stop(signal.SIGKILL)
        applied = sum(t.count("[bit-") for t in bot.session_texts())
        assert applied < USERS * FRAGMENTS, "the kill came too late to prove anything"
    finally:
        await bot.stop(signal.SIGKILL)

    restarted = await restart_until_applied(tmp_path, api, users)
    assert_each_applied_once(restarted, users)
    assert restarted.stored_updates() == 0, "handled updates are forgotten"


async def test_sigterm_with_a_backlog_drains_within_the_grace_and_loses_nothing(
    tmp_path: Path, api: FakeBotApi
) -> None:
    grace = 0.2  # shorter than handling the backlog takes: the rest waits for the restart
    bot = BotProcess(tmp_path, api, STOP_GRACE_SECONDS=str(grace))
    await bot.start()
    try:
        users = await at_a_question(api)
        polls = len(api.served)
        await backlog(users)
        last = api.last_update_id()
        await api.wait_until(lambda: any(last in b for b in api.served[polls:]), timeout=20)
    finally:
        began = time.monotonic()
        assert await bot.stop() == 0
        took = time.monotonic() - began
    assert took < grace + 5, f"stopping took {took:.1f} s"
    # Closed cleanly: the last connection checkpointed and removed the WAL.
    assert not Path(f"{bot.database}-wal").exists()
    left = api.pending_updates + bot.stored_updates()
    print(json.dumps({"stop_seconds": round(took, 2), "left_for_the_restart": left}))

    restarted = await restart_until_applied(tmp_path, api, users)
    assert_each_applied_once(restarted, users)
    assert restarted.stored_updates() == 0, "handled updates are forgotten"


async def test_a_webhook_update_killed_in_hand_is_posted_again_and_applied_once(
    tmp_path: Path, api: FakeBotApi
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    hook = ("--webhook-url", url, "--listen", "127.0.0.1", "--port", str(port))
    bot = BotProcess(tmp_path, api, *hook, WEBHOOK_SECRET="s3cret")
    await bot.start()
    try:
        [kari] = await at_a_question(api, count=1)
        delivered = len(api.webhook_deliveries)
        await backlog([kari], fragments=3)
        # Killed while Telegram waits for the answer to a post: nothing was confirmed.
        await api.wait_until(lambda: len(api.webhook_deliveries) > delivered, timeout=20)
        await bot.stop(signal.SIGKILL)
        assert api.pending_updates > 0, "the kill came too late to prove anything"
    finally:
        await bot.stop(signal.SIGKILL)

    restarted = BotProcess(tmp_path, api, *hook, WEBHOOK_SECRET="s3cret")
    before = len(api.webhook_deliveries)
    await restarted.start()
    try:
        # Listening (and so able to stop cleanly) once a post got through.
        await api.wait_until(
            lambda: any(d.status == 200 for d in api.webhook_deliveries[before:]), timeout=30
        )
        await api.wait_until(lambda: api.pending_updates == 0, timeout=60)
    finally:
        assert await restarted.stop() == 0
    assert_each_applied_once(restarted, [kari], fragments=3)
    assert {d.status for d in api.webhook_deliveries} <= {0, 200, 503}
