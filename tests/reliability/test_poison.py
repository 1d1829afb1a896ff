"""Malformed updates (issue #22): one of each shape must not stop the bot for anyone.

Each shape is sent to the real bot process between two messages of another person, then the
bot is restarted: that person is answered before and after the restart, the malformed update
is confirmed to Telegram and never handed over again, its text is nowhere on disk or in the
log, and ``innspill health`` counts what was set aside.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
import sys
from typing import Any

import pytest

from tests.channels.telegram.fake_bot_api import FakeUser
from tests.reliability.conftest import Rig
from tests.reliability.driver import wait_for
from tests.reliability.harness import database
from tests.reliability.results import Row, record

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SENTINEL = "POISON-SENTINEL-9c41"
POISONER = 9100
CHAT = {"id": POISONER, "type": "private", "first_name": SENTINEL}
PERSON = {"id": POISONER, "is_bot": False, "first_name": SENTINEL, "language_code": "nb"}

SHAPES: dict[str, dict[str, Any]] = {
    "`message` as a list": {"message": [SENTINEL]},
    "`message` as a string": {"message": SENTINEL},
    "`date` as a string": {
        "message": {"message_id": 1, "date": "i går", "chat": CHAT, "from": PERSON}
        | {"text": SENTINEL}
    },
    "`callback_query.message.message_id` as a string": {
        "callback_query": {
            "id": "poison-press",
            "from": PERSON,
            "chat_instance": "c",
            "data": "a:start:guided",
            "message": {"message_id": "12", "date": 1, "chat": CHAT, "text": SENTINEL},
        }
    },
    "a document whose `file_id` is null": {
        "message": {
            "message_id": 2,
            "date": 1,
            "chat": CHAT,
            "from": PERSON,
            "caption": SENTINEL,
            "document": {"file_id": None, "file_unique_id": "u", "file_name": f"{SENTINEL}.pdf"},
        }
    },
}


async def send(rig: Rig, user: FakeUser, text: str, timeout: float = 15.0) -> int:
    """Send ``text`` and wait for the first reply; return the mark before it."""
    mark = user.mark()
    await user.send(text)
    await wait_for(rig.api, user, mark, lambda o: True, timeout)
    return mark


def health(rig: Rig) -> str:
    """What ``innspill health`` prints for the bot's database."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        env={**rig.bot.env, "TELEGRAM_BOT_TOKEN": ""},
        cwd=rig.tmp,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.stdout


@pytest.mark.parametrize("shape", list(SHAPES))
async def test_a_malformed_update_is_set_aside_and_everyone_else_is_served(
    rig: Rig, shape: str
) -> None:
    await rig.bot.start()
    rig.api.user(POISONER, first_name=SENTINEL)  # the sender's chat exists
    ola = rig.api.user(9200)
    marks = [await send(rig, ola, "/start")]
    poison = await rig.api.send_raw(json.loads(json.dumps(SHAPES[shape])))
    marks.append(await send(rig, ola, "/hjelp"))
    await rig.bot.terminate(10.0)  # a stop finishes what is in hand: every reply is in
    await rig.bot.start()
    marks.append(await send(rig, ola, "/status"))
    await rig.bot.terminate(10.0)
    marks.append(ola.mark())
    before, during, after = (marks[i + 1] - marks[i] for i in range(3))

    row = None
    with database(rig.db_path) as conn, contextlib.suppress(sqlite3.OperationalError):
        row = conn.execute(
            "SELECT state, error, data FROM update_journal WHERE update_id = ?", (poison,)
        ).fetchone()
    state, error, data = row or ("missing", None, None)
    files = [p for p in rig.db_path.parent.iterdir() if p.name.startswith(rig.db_path.name)]
    on_disk = sum(p.read_bytes().count(SENTINEL.encode()) for p in files)
    log = rig.bot.log_path.read_text("utf-8", errors="replace")
    in_log = log.count(SENTINEL)
    warnings = [line for line in log.splitlines() if f"update {poison} " in line]
    report = re.search(r"(\d+) satt til side", health(rig))
    counted = report is not None and int(report.group(1)) == (state == "quarantined")
    confirmed = rig.api.pending_updates == 0
    lost = (before == 0) + (during == 0) + (after == 0)
    duplicated = max(0, during - 1) + max(0, after - 1)
    set_aside = state == "quarantined"
    row_ = record(
        Row.judged(
            f"a malformed update ({shape}) beside a person, then a restart",
            3,
            lost,
            duplicated,
            f"the other person answered {before}/{during}/{after} times (before/beside/after "
            f"the restart); the update {'set aside: ' + str(error) if set_aside else state}; "
            f"confirmed to Telegram: {'yes' if confirmed else 'no'}; its text on disk "
            f"{on_disk}, in the log {in_log}; log lines naming it {len(warnings)}; "
            f"innspill health counts it: {'yes' if counted else 'no'}",
            ok=confirmed
            and on_disk == 0
            and in_log == 0
            and data is None
            and state in {"quarantined", "handled"}
            and (not set_aside or len(warnings) == 1)
            and counted,
        )
    )
    assert row_.passed, row_
