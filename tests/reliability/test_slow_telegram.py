"""A stop while Telegram is slow (issue #22): every reply owed then arrives after the restart.

People's steps are stored, but Telegram holds every ``sendMessage`` (the fake keeps each
request waiting, and drops it if the bot has gone by then, as a proxy holding requests would).
The bot gets SIGTERM: it must end within ``STOP_GRACE_SECONDS``, say truthfully what it left,
and after the restart send each person the reply they were owed, once.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from tests.reliability.conftest import Rig
from tests.reliability.driver import wait_for
from tests.reliability.harness import applied, processed_keys, until
from tests.reliability.results import Row, record, size

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

GRACE = 3.0
STATUS = "Du har ikke begynt"


async def test_replies_cut_off_by_a_stop_reach_everyone_after_the_restart(rig: Rig) -> None:
    people_count = size(ci=10, full=50)
    rig.bot.env["STOP_GRACE_SECONDS"] = str(GRACE)
    await rig.bot.start()
    people = [rig.api.user(9400 + i) for i in range(people_count)]
    for person in people:
        mark = person.mark()
        await person.send("/start")
        await wait_for(rig.api, person, mark, lambda o: True, 15)

    rig.api.hold("sendMessage")
    marks, sent = {}, []
    for person in people:
        marks[person.id] = person.mark()
        await person.send("/status")
        sent.append(rig.api.last_update_id())
    with contextlib.suppress(AssertionError):  # every step stored; every reply held
        await until(
            lambda: all(applied(u, processed_keys(rig.db_path)) for u in sent), 20, "the steps"
        )
    began = time.monotonic()
    stopped = await rig.bot.terminate(GRACE + 10)
    took = time.monotonic() - began
    rig.api.release("sendMessage")
    await rig.api.wait_until(lambda: rig.api.held_waiting == 0, timeout=10)
    held_and_dropped = rig.api.dropped_held

    await rig.bot.start()
    with contextlib.suppress(AssertionError):
        await until(
            lambda: all(p.replies_since(marks[p.id]) for p in people), 30, "the owed replies"
        )
    await rig.bot.terminate(GRACE + 10)
    got = [sum(STATUS in o.text for o in p.replies_since(marks[p.id])) for p in people]
    log = rig.bot.log_path.read_text("utf-8", errors="replace")
    stop_line = next((line for line in log.splitlines() if "not delivered" in line), "")
    truthful = f"{people_count} repl" in stop_line and "after the restart" in stop_line
    row = record(
        Row.judged(
            f"SIGTERM while Telegram holds every reply ({people_count} people, "
            f"{GRACE:.0f} s grace), then a restart",
            people_count,
            got.count(0),
            sum(max(0, n - 1) for n in got),
            (f"stopped in {took:.1f} s" if stopped is not None else "had to be killed")
            + f"; {held_and_dropped} held sends dropped by the stop; replies after the restart "
            f"{sum(min(n, 1) for n in got)}/{people_count}; the stop said: "
            f"{stop_line.split('msg=', 1)[-1][:160] or 'nothing'}",
            ok=stopped is not None and took <= GRACE + 1.0 and truthful,
        )
    )
    assert row.passed, row
