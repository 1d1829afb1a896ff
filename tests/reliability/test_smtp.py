"""The SMTP server fails in every way a real one does; each e-mail still arrives, as one."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from aiosmtpd.controller import Controller

from tests.reliability.conftest import Rig
from tests.reliability.driver import Person
from tests.reliability.harness import database, until
from tests.reliability.results import Row, record
from tests.reliability.smtp import Mode

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

MODES: tuple[Mode | str, ...] = ("down", "4xx", "5xx", "drop", "stall", "hold")


def outbox(rig: Rig) -> list[tuple[int, str, int, str | None]]:
    """(id, status, attempts, last error) of every ministry row."""
    with database(rig.db_path) as conn:
        return list(
            conn.execute(
                "SELECT id, status, attempts, last_error FROM outbox WHERE kind = 'ministry'"
            )
        )


def new_rows(rig: Rig, known: set[int]) -> bool:
    """Whether the outbox has a ministry row not in ``known``."""
    return bool({r[0] for r in outbox(rig)} - known)


def due_now(rig: Rig) -> None:
    """Move every retry and lease to the past: the suite skips the 30 s–5 min backoff waits."""
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="microseconds")
    with database(rig.db_path) as conn:
        conn.execute(
            "UPDATE outbox SET next_attempt_at = ?, lease_until = CASE WHEN lease_until IS NULL"
            " THEN NULL ELSE ? END WHERE status IN ('pending', 'sending')",
            (past, past),
        )
        conn.commit()


async def retry_failed(rig: Rig, row_id: int) -> None:
    """What staff do after a permanent failure: ``innspill outbox retry ID``."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "outbox",
        "retry",
        str(row_id),
        env=rig.bot.env,
        cwd=rig.tmp,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await process.wait() == 0


async def test_smtp_down_4xx_5xx_drop_stall_and_kill_after_250(rig: Rig) -> None:
    await rig.bot.start()
    people = [Person(rig.api, rig.api.user(9500 + i), tag=f"M{i:04d}") for i in range(len(MODES))]

    async def to_summary(person: Person) -> None:
        while True:
            screen, _ = person._screen()
            if screen == "Når du trykker «Send inn»":
                return
            assert await person.step()
            assert person.actions < 120, f"stuck at {person.where!r}"

    await asyncio.wait_for(asyncio.gather(*(to_summary(p) for p in people)), timeout=180)
    handler = rig.smtp
    figures: list[str] = []
    for mode, person in zip(MODES, people, strict=True):
        known = {r[0] for r in outbox(rig)}
        if mode == "down":
            rig.controller.stop()
        elif mode in {"4xx", "5xx", "drop", "stall", "hold"}:
            handler.script.append(mode)  # type: ignore[arg-type]
        handler.holding.clear()
        handler.release.clear()
        for _ in range(5):  # «Send inn», then read the reference number
            if not await person.step():
                break
        assert person.reference is not None, "no reference number after «Send inn»"
        await until(partial(new_rows, rig, known), 20, "the outbox row")
        [row_id] = {r[0] for r in outbox(rig)} - known

        def row(row_id: int = row_id) -> tuple[int, str, int, str | None]:
            return next(r for r in outbox(rig) if r[0] == row_id)

        if mode in {"stall", "hold"}:
            await until(handler.holding.is_set, 20, "the message at the server")
        if mode == "hold":
            await rig.bot.kill()  # after the server took it, before the bot heard 250
            handler.release.set()
            await rig.bot.start()
        elif mode == "5xx":
            await until(lambda: row()[1] == "failed", 20, "the permanent failure")
            await retry_failed(rig, row_id)
        else:
            await until(lambda: row()[3] is not None, 20, f"the failed attempt ({mode})")
            handler.release.set()
        if mode == "down":
            rig.controller = Controller(handler, hostname="127.0.0.1", port=rig.smtp_port)
            rig.controller.start()
        due_now(rig)
        reference = person.reference or "-"
        await until(lambda: row()[1] == "sent", 30, f"delivery after {mode}")
        copies = handler.ministry_mail(reference)
        figures.append(f"{mode}: {len(copies)} copies, {len({c.message_id for c in copies})} id")
    lost = duplicated = 0
    for person in people:
        copies = handler.ministry_mail(person.reference or "-")
        lost += not copies
        duplicated += max(0, len({c.message_id for c in copies}) - 1)
    row_ = record(
        Row.judged(
            "SMTP down / 4xx / 5xx / drop / stall / kill after 250",
            len(MODES),
            lost,
            duplicated,
            "; ".join(figures) + " (duplicated counts copies with a different Message-ID)",
        )
    )
    assert row_.passed, row_
