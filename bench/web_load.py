"""The web chat under load: simulated people over HTTP against ``innspill web`` in a subprocess.

Run beside the in-process service in the same run (``python -m bench --web``), so the ratio
of the two is read within one run on a shared machine, as every figure here is.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.fake import BenchBotApi
from bench.load import FIRST_USER, TOKEN, Result, Scenario
from bench.person import Person, Stats, Stuck, paced
from bench.process import INNSPILL_UNCAPPED, LIFTED_ABUSE_LIMITS, REPO, BotKind, BotProcess
from bench.web_person import WebPerson
from bot.consultation.model import Consultation

LIFTED_WEB_LIMITS = (
    ("WEB_POSTS_PER_MINUTE", "100000000"),
    ("WEB_NEW_PEOPLE_PER_HOUR", "100000000"),
)
"""Every simulated person comes from 127.0.0.1: the per-address limits are lifted, as the
per-person abuse limits are."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebProcess(BotProcess):
    """``innspill web`` (or ``innspill run`` with both channels) as a child process."""

    def __init__(self, kind: BotKind, api: BenchBotApi | None, workdir: Path) -> None:
        super().__init__(kind, api, workdir)  # type: ignore[arg-type]  # no Bot API for web only
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The bot's environment, with the web chat on a free port."""
        base = super().env() if self.api is not None else _env_without_telegram(self)
        base.update(WEB_ENABLED="true", WEB_LISTEN="127.0.0.1", WEB_PORT=str(self.port))
        base.update(LIFTED_WEB_LIMITS)
        base.update(self.kind.extra_env)
        return base

    async def start(self, seconds: float = 30.0) -> None:
        """Start it and wait until the web chat answers (and Telegram polls, if it runs)."""
        if self.api is not None:
            await super().start(seconds)
        else:
            self.outbox.mkdir(parents=True, exist_ok=True)
            with self._log.open("ab") as log:
                self._process = await asyncio.create_subprocess_exec(
                    *self.kind.argv,
                    cwd=self.workdir,
                    env=self.env(),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + seconds
            while True:
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(self.url + "/helse") as answer:
                        if answer.status == 200:
                            return
                if not self.alive or time.monotonic() > deadline:
                    raise RuntimeError(f"the web chat did not start:\n{self.log_tail()}")
                await asyncio.sleep(0.1)

    async def stop(self, seconds: float = 15.0) -> None:
        """SIGTERM, as an operator stops it."""
        if self.api is not None:
            await super().stop(seconds)
            return
        if self._process is None or not self.alive:
            return
        self.sample_rss()
        self.cpu_seconds_before += self._own_cpu()
        self._process.terminate()
        try:
            async with asyncio.timeout(seconds):
                await self._process.wait()
        except TimeoutError:
            self._process.kill()
            await self._process.wait()


def _env_without_telegram(process: WebProcess) -> dict[str, str]:
    """The common environment of a bench process, without a Telegram token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MAIL_", "WEB_"))}
    env.update(
        DATABASE_PATH=str(process.database),
        OUTBOX_DIR=str(process.outbox),
        MAIL_TRANSPORT="file",
        OUTBOX_POLL_SECONDS="0.5",
        SEND_RECEIPTS="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO),
    )
    return env


WEB_ONLY = BotKind(
    "innspill-web",
    (sys.executable, "-m", "bot", "web"),
    "*.ministry@*.eml",
    (*LIFTED_ABUSE_LIMITS, *LIFTED_WEB_LIMITS),
)
"""The web chat alone (``innspill web``)."""
BOTH = BotKind(
    "innspill-both", INNSPILL_UNCAPPED.argv, "*.ministry@*.eml", INNSPILL_UNCAPPED.extra_env
)
"""``innspill run`` with the web chat beside Telegram (``WEB_ENABLED=true``)."""


@dataclass(frozen=True)
class WebScenario:
    """A measured web run: ``users`` people, closed loop or paced."""

    label: str
    users: int
    seconds: float
    pace: float = 0.0
    telegram_users: int = 0
    """People on Telegram at the same time (the process then serves both channels)."""
    script: bool = False
    """People post as ``chat.js`` does: one request per action instead of two."""


async def run_web(scenario: WebScenario, c: Consultation, *, seed: int = 7) -> Result:
    """Start the web chat (with Telegram beside it when asked), play, stop, measure."""
    rng = random.Random(seed)
    result = Result("innspill-web", Scenario(scenario.label, scenario.users, scenario.seconds))
    both = scenario.telegram_users > 0
    kind = BOTH if both else WEB_ONLY
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        api = BenchBotApi(TOKEN) if both else None
        if api is not None:
            await api.start()
        server = WebProcess(kind, api, Path(tmp))
        try:
            await server.start()
            await _play(server, api, scenario, c, rng, result)
        finally:
            await server.stop()
            if api is not None:
                await api.close()
    result.peak_rss_mb = server.peak_rss_kb / 1024
    return result


async def _play(
    server: WebProcess,
    api: BenchBotApi | None,
    scenario: WebScenario,
    c: Consultation,
    rng: random.Random,
    result: Result,
) -> None:
    stats = Stats()
    pause = paced(rng, scenario.pace) if scenario.pace else None
    web_people = [
        WebPerson(server.url, FIRST_USER + n, c, stats, pause=pause, script=scenario.script)
        for n in range(scenario.users)
    ]
    telegram_stats = Stats()
    telegram_people = (
        [
            Person(api, api.user(FIRST_USER + 10_000 + n), c, telegram_stats, pause=pause)
            for n in range(scenario.telegram_users)
        ]
        if api is not None
        else []
    )
    stop_at = time.perf_counter() + scenario.seconds

    def until() -> bool:
        return time.perf_counter() >= stop_at

    async def one(person: Person) -> None:
        if pause is not None:
            await asyncio.sleep(rng.uniform(0, scenario.pace))
        with contextlib.suppress(Stuck):
            await person.play(until, lambda: 0)

    async def sampler() -> None:
        while True:
            server.sample_rss()
            await asyncio.sleep(0.25)

    cpu_before = server.cpu_seconds()
    driver_before = time.process_time()
    sampling = asyncio.create_task(sampler())
    started = time.perf_counter()
    try:
        await asyncio.gather(*(one(p) for p in [*web_people, *telegram_people]))
    finally:
        result.elapsed = time.perf_counter() - started
        server.sample_rss()
        result.cpu_seconds = server.cpu_seconds() - cpu_before
        result.driver_cpu_seconds = time.process_time() - driver_before
        sampling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampling
        for person in web_people:
            await person.close()
    result.actions = stats.actions
    result.submissions = stats.submissions
    result.latencies = stats.latencies
    result.stuck = stats.stuck + telegram_stats.stuck
