"""A full disk (issue #22): an outage the bot survives, says out loud and recovers from by itself.

The database lives on a 2 MB tmpfs that the scenario fills with a file. While it is full the
bot keeps polling, confirms nothing it could not store, says once that it has a temporary
fault, logs one ERROR, and ``innspill health`` fails; once the file is gone it answers what
people sent meanwhile, without a restart. A SIGTERM while the disk is full still ends the bot
within ``STOP_GRACE_SECONDS``, and what was sent then is answered after the next start.
Mounting needs root: elsewhere the scenario is skipped and says why.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.channels.telegram.fake_bot_api import BotMessage, FakeUser
from tests.reliability.conftest import Rig
from tests.reliability.driver import wait_for
from tests.reliability.harness import until
from tests.reliability.results import NOT_BUILT, Row, record

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SCENARIO = "a full disk under the database (2 MB tmpfs), then space again, then SIGTERM"
GRACE = 5.0
"""``STOP_GRACE_SECONDS`` of the bot in this scenario."""
NOTICE = "midlertidig feil"
ASKED = {"/hjelp": "Dette kan du skrive", "/status": "Du har ", "/personvern": "Dette lagrer vi"}
"""What Kari sends while the disk is full, and how the answer to each begins."""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, or a skip that says why it could not be mounted."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
            check=True,
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError) as error:
        reason = f"cannot mount a tmpfs here ({error.__class__.__name__}); needs root"
        record(Row(SCENARIO, 0, None, None, NOT_BUILT, f"skipped: {reason}"))
        pytest.skip(reason)
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False, capture_output=True)


def fill(disk: Path) -> Path:
    """Write a file until the disk is full; return it (remove it to free the space)."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 4096)
    return filler


def health(rig: Rig) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        env={**rig.bot.env, "TELEGRAM_BOT_TOKEN": ""},
        cwd=rig.tmp,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.returncode, done.stdout


def answers(user: FakeUser, since: int) -> list[BotMessage]:
    """The replies since ``since`` that are not the fault notice."""
    return [o for o in user.replies_since(since) if NOTICE not in o.text]


def counted(user: FakeUser, since: int) -> list[int]:
    """How often each of :data:`ASKED` was answered since ``since``."""
    texts = [o.text for o in answers(user, since)]
    return [sum(t.startswith(start) for t in texts) for start in ASKED.values()]


def notices(user: FakeUser, since: int, until: int | None = None) -> int:
    return sum(
        NOTICE in o.text
        for o in user.replies_since(since)[: None if until is None else until - since]
    )


async def test_a_full_disk_is_an_outage_the_bot_survives(rig: Rig, small_disk: Path) -> None:
    rig.db_path = small_disk / "innspill.sqlite3"
    rig.bot.env.update(DATABASE_PATH=str(rig.db_path), STOP_GRACE_SECONDS=str(GRACE))
    await rig.bot.start()
    kari, ola = rig.api.user(9301), rig.api.user(9302)
    mark = kari.mark()
    await kari.send("/start")
    started = await wait_for(rig.api, kari, mark, lambda o: True, 15) is not None

    # The disk fills up: three messages from Kari, one from Ola.
    filler = fill(small_disk)
    during = kari.mark(), ola.mark()
    polls = rig.api.poll_requests
    for text in ASKED:
        await kari.send(text)
    await ola.send("/start")
    told = await wait_for(rig.api, ola, during[1], lambda o: NOTICE in o.text, 20) is not None
    with contextlib.suppress(AssertionError):
        await until(lambda: rig.api.poll_requests > polls + 2, 20, "polling to go on")
    polled = rig.api.poll_requests - polls
    unhealthy, report = health(rig)
    answered_early = len(answers(kari, during[0])) + len(answers(ola, during[1]))

    # Space again: everything is answered without a restart.
    filler.unlink()
    with contextlib.suppress(AssertionError):
        await until(
            lambda: all(counted(kari, during[0])) and bool(answers(ola, during[1])),
            40,
            "the answers after the space came back",
        )
    with contextlib.suppress(TimeoutError):
        await rig.api.wait_until_delivered(timeout=10)
    each = counted(kari, during[0])
    recovered = sum(min(n, 1) for n in each), len(answers(ola, during[1]))
    healthy, _report = health(rig)

    # Full again, and a stop: the bot ends within its grace; the restart answers the rest.
    filler = fill(small_disk)
    late = kari.mark()
    await kari.send("/hjelp")
    await wait_for(rig.api, kari, late, lambda o: NOTICE in o.text, 20)
    began = time.monotonic()
    stopped = await rig.bot.terminate(GRACE + 10)
    took = time.monotonic() - began
    filler.unlink()
    await rig.bot.start()
    with contextlib.suppress(AssertionError):
        await until(lambda: bool(answers(kari, late)), 30, "the answer after the restart")
    after_restart = len(answers(kari, late))
    await rig.bot.terminate(GRACE + 10)

    log = rig.bot.log_path.read_text("utf-8", errors="replace").splitlines()
    errors = [line for line in log if "level=ERROR" in line]
    over = [line for line in log if "writes work again" in line]
    notices_sent = notices(kari, during[0], late) + notices(ola, during[1])
    told_again = notices(kari, late)
    lost = each.count(0) + (recovered[1] == 0) + (after_restart == 0)
    duplicated = sum(max(0, n - 1) for n in each) + max(0, recovered[1] - 1)
    duplicated += max(0, after_restart - 1)
    line = next((line for line in report.splitlines() if "database" in line), "?")
    free = line.rsplit(".sqlite3", 1)[-1].lstrip(":, ")  # what it says, without the path
    row = record(
        Row.judged(
            SCENARIO,
            len(ASKED) + 2,
            lost,
            duplicated,
            f"getUpdates calls while full: {polled}; answered while full: {answered_early}; "
            f"fault notices: {notices_sent} (one per person), {told_again} in the second outage; "
            f"ERROR lines: {len(errors)} (two outages); "
            f"'writes work again' lines: {len(over)}; health while full: "
            f"{'failed' if unhealthy else 'passed'} ({free}), after: "
            f"{'failed' if healthy else 'passed'}; answered after the space came back "
            f"{recovered[0]}+{recovered[1]}; SIGTERM while full: "
            + (f"stopped in {took:.1f} s" if stopped is not None else "had to be killed")
            + f" (grace {GRACE:.0f} s); answered after the restart: {after_restart}",
            ok=started
            and told
            and polled > 2
            and answered_early == 0
            and notices_sent == 2
            and told_again == 1
            and unhealthy != 0
            and "full" in report
            and healthy == 0
            and stopped is not None
            and took <= GRACE + 1.0
            and len(errors) == 2
            and len(over) >= 1,
        )
    )
    assert row.passed, row
    assert os.path.ismount(small_disk)
