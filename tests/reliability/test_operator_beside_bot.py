"""``innspill outbox send`` beside a bot that starts meanwhile (issue #22): one copy per e-mail.

A submission waits in the outbox while the bot is down. An operator sends it by hand; the SMTP
server is slow to accept; the bot starts while that send is on its way. The bot must not take
over a lease whose owner is alive and working: the ministry gets each Message-ID once.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time

import pytest

from tests.reliability.conftest import Rig
from tests.reliability.harness import database, until
from tests.reliability.results import Row, record
from tests.submissions import submit

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

TEXT = "Innspill OPERATOR-7d2"


def status(rig: Rig) -> str:
    with database(rig.db_path) as conn:
        row = conn.execute("SELECT status FROM outbox WHERE kind = 'ministry'").fetchone()
    return str(row[0]) if row else "missing"


async def test_an_operator_sending_beside_a_starting_bot_delivers_each_message_once(
    rig: Rig,
) -> None:
    await submit(rig.db_path, "tg:9601", TEXT)  # waits: the bot is not running
    rig.smtp.script.append("slow")  # the first DATA takes seconds to be accepted
    rig.smtp.slow_seconds = 5.0
    rig.bot.env["SMTP_TIMEOUT"] = "15"  # slow, not failed: both senders wait for it
    operator = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "outbox",
        "send",
        env=rig.bot.env,
        cwd=rig.tmp,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await until(rig.smtp.holding.is_set, 20, "the operator's send at the server")
    began = time.monotonic()
    await rig.bot.start()  # while the operator's message is on its way
    operator_code = await asyncio.wait_for(operator.wait(), 60)
    with contextlib.suppress(AssertionError):
        await until(lambda: status(rig) == "sent", 20, "the message marked sent")
    await rig.bot.terminate(10)  # the bot had time for its passes (every 0.3 s)
    copies = rig.smtp.ministry_mail(TEXT)
    ids = [c.message_id for c in copies]
    log = rig.bot.log_path.read_text("utf-8", errors="replace")
    took_over = "again that a stopped run was sending" in log
    row = record(
        Row.judged(
            "innspill outbox send beside a starting bot, with a slow SMTP server",
            1,
            0 if copies else 1,
            len(ids) - len(set(ids)) + max(0, len(set(ids)) - 1),
            f"{len(copies)} copies of {len(set(ids))} Message-ID(s); the bot started "
            f"{time.monotonic() - began:.1f} s before the end and "
            + ("took over the operator's lease" if took_over else "left the operator's lease")
            + f"; operator exit code {operator_code}; row {status(rig)}",
            ok=operator_code == 0 and not took_over,
        )
    )
    assert row.passed, row
