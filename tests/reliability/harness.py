"""``innspill run`` as a subprocess against the fake Bot API and a real SMTP server.

The bot runs exactly as in production (its own process, default timing, SMTP delivery), so a
``kill -9`` loses whatever a real crash would lose. Every line it logs goes to a file that the
suite later searches for the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.channels.telegram.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
READY = "is running ("
"""Part of the line the bot logs once it polls for updates."""


def bot_env(
    *, api_url: str, db_path: Path, outbox: Path, smtp_port: int, **extra: str
) -> dict[str, str]:
    """The environment of one bot process: loopback only, SMTP without TLS, quick outbox."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "SMTP_", "MAIL_", "WEBHOOK_", "OUTBOX_", "LOG_"))
    }
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_PATH=str(db_path),
        OUTBOX_DIR=str(outbox),
        MAIL_TRANSPORT="smtp",
        MAIL_FROM="Innspill <innspill@innspill.example.no>",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SMTP_SECURITY="none",
        SMTP_TIMEOUT="2",
        OUTBOX_POLL_SECONDS="0.3",
        LOG_LEVEL="DEBUG",
        LOG_STATS_SECONDS="0",
    )
    env.update(extra)
    return env


@dataclass
class BotProcess:
    """One ``innspill run`` at a time; :meth:`start` again after a kill is a restart."""

    env: dict[str, str]
    log_path: Path
    cwd: Path
    starts: int = 0
    process: asyncio.subprocess.Process | None = None
    _reader: asyncio.Task[None] | None = None
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self, timeout: float = 30.0) -> None:
        """Start the bot and wait until it polls for updates."""
        assert self.process is None, "the bot is already running"
        self._ready = asyncio.Event()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=self.env,
            cwd=self.cwd,
        )
        self.starts += 1
        self._reader = asyncio.create_task(self._read(self.process))
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait(
            {ready, self._reader}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            await self.kill()
            raise AssertionError(f"the bot did not start; see {self.log_path}")

    async def _read(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts} ---\n".encode())
            async for line in process.stdout:
                log.write(line)
                log.flush()
                if READY.encode() in line:
                    self._ready.set()

    async def kill(self) -> None:
        """``kill -9``: no shutdown code runs."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        await self._reap()

    async def terminate(self, grace: float) -> float | None:
        """SIGTERM, then SIGKILL after ``grace`` seconds as Docker does.

        Returns the seconds the bot needed to stop on its own, or None if it was killed.
        """
        assert self.process is not None
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout=grace)
        except TimeoutError:
            await self.kill()
            return None
        took = time.monotonic() - began
        await self._reap()
        return took

    async def _reap(self) -> None:
        assert self.process is not None
        await self.process.wait()
        if self._reader is not None:
            await self._reader
        self.process = None
        self._reader = None

    @property
    def running(self) -> bool:
        """Whether a bot process is alive."""
        return self.process is not None


@contextlib.contextmanager
def database(path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection to the bot's database (WAL allows reading while it runs)."""
    conn = sqlite3.connect(path, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def due_now(db_path: Path) -> None:
    """Move every outbox retry and lease to the past: the suite skips the 30 s–5 min waits.

    A kill during a send leaves the row leased for five minutes, as a crash does in
    production; the message is delivered after that, which the suite need not wait for.
    """
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="microseconds")
    with database(db_path) as conn:
        conn.execute(
            "UPDATE outbox SET next_attempt_at = ?, lease_until = CASE WHEN lease_until IS NULL"
            " THEN NULL ELSE ? END WHERE status IN ('pending', 'sending')",
            (past, past),
        )
        conn.commit()


HANDLED = "SELECT update_key FROM update_journal WHERE state IN ('handled', 'owed')"
"""Every update key the bot recorded as applied (in the update journal)."""


def processed_keys(db_path: Path) -> set[str]:
    """Every update key the bot recorded as applied."""
    with database(db_path) as conn:
        return {row[0] for row in conn.execute(HANDLED)}


def applied(update_id: int, keys: set[str]) -> bool:
    """Whether an update id is among the keys, plain (``tg:N``) or namespaced (``tg:BOT:N``)."""
    suffix = f":{update_id}"
    return any(key.endswith(suffix) for key in keys)


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait until ``condition()`` holds, looking every 50 ms (for state in another process)."""
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out after {timeout}s waiting for {what}") from None
