"""The load driver: simulated people against a bot subprocess, through the Bot API fake."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import pickle
import random
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.fake import BenchBotApi
from bench.person import Person, Stats, Stuck, paced
from bench.process import BASELINE, INNSPILL, INNSPILL_UNCAPPED, BotKind, BotProcess
from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.ops.resources import conversations_dir

TOKEN = "7000001:AAHbenchTokenForInnspillLoadRuns_0123456789"
FIRST_USER = 500_000


@dataclass(frozen=True)
class Scenario:
    """One measured run."""

    label: str
    users: int
    seconds: float
    pace: float = 0.0
    """Most seconds a person pauses between actions (0: closed loop)."""
    seeded_drafts: int = 0
    kills: int = 0
    submissions_each: int = 0
    """With kills: each person plays this many submissions (then the answers are checked)."""


@dataclass
class Result:
    """What one bot did in one scenario."""

    bot: str
    scenario: Scenario
    elapsed: float = 0.0
    actions: int = 0
    submissions: int = 0
    latencies: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    driver_cpu_seconds: float = 0.0
    """CPU time of the driver and the fake (this process), to show they were not the limit."""
    calls: int = 0
    chat_calls: int = 0
    peak_rss_mb: float = 0.0
    acknowledged: int = 0
    lost: int = 0
    kills: int = 0
    stuck: list[str] = field(default_factory=list)
    acknowledged_answers: list[str] = field(default_factory=list)
    actions_per_submission: dict[str, list[int]] = field(default_factory=dict)

    @property
    def actions_per_s(self) -> float:
        return self.actions / self.elapsed if self.elapsed else 0.0

    @property
    def submissions_per_s(self) -> float:
        return self.submissions / self.elapsed if self.elapsed else 0.0

    def latency(self, q: float) -> float:
        """Reply latency quantile in milliseconds."""
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[round(q * 100) - 1] * 1000

    @property
    def cpu_ms_per_action(self) -> float:
        return self.cpu_seconds * 1000 / self.actions if self.actions else 0.0

    @property
    def calls_per_action(self) -> float:
        return self.calls / self.actions if self.actions else 0.0

    @property
    def chat_calls_per_action(self) -> float:
        return self.chat_calls / self.actions if self.actions else 0.0

    @property
    def calls_per_submission(self) -> float:
        return self.calls / self.submissions if self.submissions else 0.0

    @property
    def lost_per_kill(self) -> float:
        return self.lost / self.kills if self.kills else 0.0


def consultation() -> Consultation:
    """The consultation both bots run."""
    return load_consultation(conversations_dir() / "strategi-for-smabyer.toml")


async def run_scenario(
    kind: BotKind, scenario: Scenario, c: Consultation, *, seed: int = 1
) -> Result:
    """Start ``kind`` against a fresh fake, play ``scenario``, stop it and measure."""
    rng = random.Random(seed)
    result = Result(kind.name, scenario)
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind.name}-") as tmp:
        api = BenchBotApi(TOKEN)
        await api.start()
        bot = BotProcess(kind, api, Path(tmp))
        try:
            if scenario.seeded_drafts:
                await seed_drafts(kind, bot, c, scenario.seeded_drafts)
            await bot.start()
            try:
                await _play(bot, api, scenario, c, rng, result)
                if scenario.kills:
                    await _count_lost(bot, result)
            finally:
                await bot.stop()
        finally:
            await api.close()
    result.peak_rss_mb = bot.peak_rss_kb / 1024
    return result


async def _play(
    bot: BotProcess,
    api: BenchBotApi,
    scenario: Scenario,
    c: Consultation,
    rng: random.Random,
    result: Result,
) -> None:
    stats = Stats()
    restarts = 0
    pause = paced(rng, scenario.pace) if scenario.pace else None
    people = [
        Person(api, api.user(FIRST_USER + n), c, stats, pause=pause) for n in range(scenario.users)
    ]
    started = time.perf_counter()
    stop_at = started + scenario.seconds

    def until_time() -> bool:
        return time.perf_counter() >= stop_at

    def current_restarts() -> int:
        return restarts

    async def one(person: Person) -> None:
        # Stagger the first actions a little, as people do not arrive in the same millisecond.
        if pause is not None:
            await asyncio.sleep(rng.uniform(0, scenario.pace))
        if scenario.submissions_each:
            for _ in range(scenario.submissions_each):
                person.path = "guided" if person.round % 2 == 0 else "quick"
                await person.submission(lambda: False, current_restarts)
                person.round += 1
        else:
            await person.play(until_time, current_restarts)

    async def sampler() -> None:
        while True:
            bot.sample_rss()
            await asyncio.sleep(0.25)

    cpu_before = bot.cpu_seconds()
    driver_before = time.process_time()
    api.reset_counts()
    sampling = asyncio.create_task(sampler())
    players = [asyncio.create_task(_guard(one(p))) for p in people]
    try:
        # Kill when answers are in flight: after an even share of all tracked answers (each
        # person gives 4 per guided + quick pair), so both bots are killed at the same point.
        expected = 2 * scenario.users * max(1, scenario.submissions_each)
        for k in range(scenario.kills):
            threshold = expected * (k + 1) // (scenario.kills + 1)
            while len(stats.acknowledged) < threshold and not all(p.done() for p in players):
                stats.progress.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(1.0):
                        await stats.progress.wait()
            await bot.kill()
            result.kills += 1
            await bot.start()
            restarts += 1
            api.wake_everyone()
        await asyncio.gather(*players)
    finally:
        elapsed = time.perf_counter() - started
        bot.sample_rss()
        result.cpu_seconds = bot.cpu_seconds() - cpu_before
        result.driver_cpu_seconds = time.process_time() - driver_before
        sampling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampling
        for task in players:
            task.cancel()
    result.elapsed = elapsed
    result.actions = stats.actions
    result.submissions = stats.submissions
    result.latencies = stats.latencies
    result.calls = sum(n for method, n in api.counts.items() if method != "getUpdates")
    result.chat_calls = api.chat_calls
    result.acknowledged = len(stats.sent_answers)
    result.stuck = stats.stuck
    result.acknowledged_answers = list(stats.sent_answers)
    result.actions_per_submission = stats.actions_per_submission


async def _guard(play: asyncio.Future[None] | object) -> None:
    """A person who got stuck stops (and is reported); the others go on."""
    with contextlib.suppress(Stuck):
        await play  # type: ignore[misc]


async def _count_lost(bot: BotProcess, result: Result, seconds: float = 20.0) -> None:
    """Acknowledged answers that are in no e-mail to the ministry after all were sent.

    The outbox worker delivers a little after each submission (and a submission whose reply
    a kill cut off is delivered too, so the mails outnumber the submissions people saw): wait
    until every answer is found or ``seconds`` have passed. The files are written by another
    process, so there is nothing to wait on but the folder itself.
    """
    acknowledged = {_tag(answer) for answer in result.acknowledged_answers}
    missing = acknowledged
    for _ in range(int(seconds / 0.1)):
        delivered = "\n".join(_mail_text(path) for path in bot.mails())
        missing = {tag for tag in acknowledged if tag not in delivered}
        if not missing:
            break
        await asyncio.sleep(0.1)
    result.lost = len(missing)


def _tag(answer: str) -> str:
    return answer[answer.index("[") : answer.index("]") + 1] if "[" in answer else answer


def _mail_text(path: Path) -> str:
    if path.suffix != ".eml":
        return path.read_text(encoding="utf-8")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(str(part.get_content()))
    return "\n".join(parts)


# ------------------------------------------------------------------------ seeding


async def seed_drafts(kind: BotKind, bot: BotProcess, c: Consultation, count: int) -> None:
    """Store ``count`` open drafts before the bot starts, the way each bot stores them."""
    if kind.name == "innspill":
        await _seed_innspill(bot.database, c, count)
    else:
        _seed_baseline(bot.database.with_suffix(".pickle"), count)


async def _seed_innspill(database: Path, c: Consultation, count: int) -> None:
    from bot.service.conversations import ConversationService
    from bot.storage import Store

    store = await Store.open(database)
    try:
        service = ConversationService(c, store)
        template = "tg:seed"
        await service.handle_command(template, "start", "")
        await service.handle_choice(template, "start", "guided")
        await service.handle_choice(template, "r.type", "privatperson")
        await service.handle_text(template, "Kari Nordmann")
        await service.handle_text(template, "Harstad")
    finally:
        await store.close()
    with contextlib.closing(sqlite3.connect(database)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(sessions)")]
        picked = ", ".join(
            "'tg:' || (900000 + n)"
            if name == "user_id"
            else "draft_id || '-' || n"
            if name == "draft_id"
            else name
            for name in columns
        )
        db.execute(
            f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) "
            f"INSERT INTO sessions ({', '.join(columns)}) "
            f"SELECT {picked} FROM sessions, seq WHERE user_id = ?",
            (count, template),
        )
        db.commit()


def _seed_baseline(pickle_path: Path, count: int) -> None:
    """The single pickle file ``PicklePersistence`` reads at start, with ``count`` drafts."""
    from bench.baseline.bot import MUNI

    users = {
        900_000 + n: {
            "answers": {},
            "quick": False,
            "type": "privatperson",
            "state": MUNI,
            "name": "Kari Nordmann",
        }
        for n in range(count)
    }
    data = {
        "user_data": users,
        "chat_data": {},
        "bot_data": {},
        "callback_data": None,
        "conversations": {"innspill": {(user, user): MUNI for user in users}},
    }
    pickle_path.write_bytes(pickle.dumps(data))


BOTS: dict[str, BotKind] = {
    "innspill": INNSPILL_UNCAPPED,
    "innspill-capped": INNSPILL,
    "canonical": BASELINE,
}


async def run_pair(
    scenario: Scenario, c: Consultation, *, capped: bool = False
) -> tuple[Result, Result]:
    """The product and the canonical bot on the same scenario, one after the other."""
    ours = await run_scenario(INNSPILL if capped else INNSPILL_UNCAPPED, scenario, c)
    theirs = await run_scenario(BASELINE, scenario, c)
    return ours, theirs
