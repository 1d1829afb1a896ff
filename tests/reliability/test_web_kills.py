"""The web row: kill -9 at random moments while people talk in the web chat beside Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time

import pytest

from tests.mail.support import free_port
from tests.reliability.conftest import Rig
from tests.reliability.harness import due_now, until
from tests.reliability.results import Row, record, size
from tests.reliability.test_kills import integrity
from tests.reliability.web_visitor import WebVisitor

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SEED = 20261206
ACTIONS_EACH = 12
"""Actions of a guided web submission (about 14) the random kills are spread over."""


async def test_random_kills_during_web_conversations_lose_no_acknowledged_answer(
    rig: Rig,
) -> None:
    rng = random.Random(SEED)
    people_count = size(ci=3, full=10)
    kill_count = size(ci=2, full=20)
    port = free_port()
    rig.bot.env.update(WEB_ENABLED="true", WEB_PORT=str(port), WEB_POSTS_PER_MINUTE="100000")
    url = f"http://127.0.0.1:{port}"
    await rig.bot.start()
    people = [WebVisitor(url, f"W{i:03d}") for i in range(people_count)]
    checks: list[str] = []
    stop = asyncio.Event()

    async def talk(person: WebVisitor) -> None:
        while person.actions < 300 and await person.step():
            pass

    async def killer() -> int:
        kills = 0
        moments = sorted(rng.sample(range(2, ACTIONS_EACH * people_count), kill_count))
        for moment in moments:
            while sum(p.actions for p in people) < moment and not stop.is_set():
                await asyncio.sleep(rng.uniform(0.0, 0.03))
            if stop.is_set():
                break
            await rig.bot.kill()
            kills += 1
            checks.append(integrity(rig))
            await rig.bot.start()
        return kills

    began = time.monotonic()
    kill_task = asyncio.create_task(killer())
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(talk(p) for p in people)), timeout=size(ci=90, full=600)
            )
        stop.set()
        kills = await kill_task
        lost = duplicated = wrong_channel = 0
        unfinished = [p.tag for p in people if p.reference is None]
        for person in people:
            if person.reference is None:
                continue
            reference = person.reference

            def delivered(reference: str = reference) -> bool:
                due_now(rig.db_path)
                return bool(rig.smtp.ministry_mail(reference))

            await until(delivered, 30, f"the e-mail of {reference}")
            mails = rig.smtp.ministry_mail(reference)
            body = mails[0].text
            lost += sum(answer not in body for answer in person.acknowledged)
            duplicated += sum(body.count(answer) > 1 for answer in person.acknowledged)
            duplicated += len({m.message_id for m in mails}) - 1
            wrong_channel += "kom inn via nettsiden" not in body
    finally:
        stop.set()
        for person in people:
            await person.close()
    acked = sum(len(p.acknowledged) for p in people)
    row = record(
        Row.judged(
            f"{kills} seeded random kill -9 during {people_count} web conversations",
            kills,
            lost,
            duplicated,
            f"seed {SEED}; {acked} acknowledged answers; {len(unfinished)} did not finish; "
            + "".join(
                f"{p.tag} at {p.question[:60]!r} after {p.actions}; "
                for p in people
                if p.reference is None
            )
            + f"integrity_check ok {sum(c == 'ok' for c in checks)}/{len(checks)}; "
            f"{time.monotonic() - began:.0f} s",
            ok=kills == kill_count
            and not unfinished
            and wrong_channel == 0
            and all(c == "ok" for c in checks),
        )
    )
    assert row.passed, row
