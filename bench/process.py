"""The bot under test as a child process, so its CPU time and memory are its own."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.fake import BenchBotApi

REPO = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class BotKind:
    """How to start one of the bots being compared."""

    name: str
    argv: tuple[str, ...]
    mail_glob: str
    """The files in ``OUTBOX_DIR`` that are submissions to the ministry."""
    extra_env: tuple[tuple[str, str], ...] = ()
    """Settings on top of the common environment."""


LIFTED_ABUSE_LIMITS = (
    ("MAX_SUBMISSIONS_PER_HOUR", "1000000"),
    ("MAX_UPLOADS_PER_HOUR", "1000000"),
)
"""A simulated person sends a submission every few seconds, far beyond what the abuse limits
allow one person in an hour (3 submissions); lifted in every run, or the person at N=1 is
refused after its third submission and the figures measure the refusal, not the code."""
INNSPILL = BotKind(
    "innspill", (sys.executable, "-m", "bot", "run"), "*.ministry@*.eml", LIFTED_ABUSE_LIMITS
)
"""The product as ``innspill run`` starts it: the flood limiter as shipped (only the per-person
abuse limits lifted, as above)."""
LIFTED_RATES = (
    ("TELEGRAM_GLOBAL_RATE", "1000000"),
    ("TELEGRAM_CHAT_RATE", "1000000"),
    ("TELEGRAM_CHAT_BURST", "1000000"),
    ("TELEGRAM_GROUP_RATE_PER_MINUTE", "1000000"),
    *LIFTED_ABUSE_LIMITS,
)
INNSPILL_UNCAPPED = BotKind(
    "innspill", (sys.executable, "-m", "bot", "run"), "*.ministry@*.eml", LIFTED_RATES
)
"""The product with the limiter's rates lifted (settings), to measure the code."""
BASELINE = BotKind("canonical", (sys.executable, "-m", "bench.baseline"), "*.baseline.txt")


class BotProcess:
    """One bot, started against the fake with its own database and outbox folder."""

    def __init__(self, kind: BotKind, api: BenchBotApi, workdir: Path) -> None:
        self.kind = kind
        self.api = api
        self.workdir = workdir
        self.outbox = workdir / "outbox"
        self.database = workdir / "innspill.sqlite3"
        self._process: asyncio.subprocess.Process | None = None
        self._log = workdir / f"{kind.name}.log"
        self.peak_rss_kb = 0
        self.cpu_seconds_before = 0.0
        """CPU time used by earlier incarnations (before a kill)."""

    def env(self) -> dict[str, str]:
        """The environment ``innspill run`` reads; nothing from the caller's ``.env``."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MAIL_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=self.api.token,
            TELEGRAM_API_URL=self.api.root_url,
            DATABASE_PATH=str(self.database),
            OUTBOX_DIR=str(self.outbox),
            MAIL_TRANSPORT="file",
            OUTBOX_POLL_SECONDS="0.5",
            SEND_RECEIPTS="false",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(REPO),
        )
        env.update(self.kind.extra_env)
        return env

    async def start(self, seconds: float = 30.0) -> None:
        """Start the bot and wait until it long-polls the fake."""
        self.outbox.mkdir(parents=True, exist_ok=True)
        self.api.hold_polls()
        polls = self.api.counts["getUpdates"]
        with self._log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                *self.kind.argv,
                cwd=self.workdir,
                env=self.env(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        process = self._process

        async def exited() -> None:
            await process.wait()
            await self.api._notify()  # wake the wait below: the bot will never poll

        watcher = asyncio.create_task(exited())
        try:
            async with asyncio.timeout(seconds):
                async with self.api._changed:
                    await self.api._changed.wait_for(
                        lambda: self.api.counts["getUpdates"] > polls or not self.alive
                    )
        finally:
            watcher.cancel()
        if not self.alive:
            raise RuntimeError(f"{self.kind.name} exited at start:\n{self.log_tail()}")

    @property
    def alive(self) -> bool:
        """The process runs."""
        return self._process is not None and self._process.returncode is None

    @property
    def pid(self) -> int:
        """The process id."""
        assert self._process is not None
        return self._process.pid

    def cpu_seconds(self) -> float:
        """User + system CPU time of all incarnations so far."""
        return self.cpu_seconds_before + self._own_cpu()

    def _own_cpu(self) -> float:
        if not self.alive:
            return 0.0
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / TICKS

    def sample_rss(self) -> None:
        """Remember the peak resident memory (the kernel's high-water mark)."""
        if not self.alive:
            return
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except FileNotFoundError:
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_rss_kb = max(self.peak_rss_kb, int(line.split()[1]))

    async def kill(self) -> None:
        """``kill -9``: no chance to flush anything."""
        assert self._process is not None
        self.sample_rss()
        self.cpu_seconds_before += self._own_cpu()
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()

    async def stop(self, seconds: float = 15.0) -> None:
        """Stop as an operator would (SIGTERM), then make sure it is gone."""
        if self._process is None or not self.alive:
            return
        self.sample_rss()
        self.cpu_seconds_before += self._own_cpu()
        await self.api.release_polls()
        self._process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(seconds):
                await self._process.wait()
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()
            await self._process.wait()

    def mails(self) -> list[Path]:
        """Submissions delivered to the outbox folder so far."""
        return sorted(self.outbox.glob(self.kind.mail_glob))

    def log_tail(self, lines: int = 30) -> str:
        """The end of the bot's log, for an error message."""
        if not self._log.exists():
            return ""
        return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])
