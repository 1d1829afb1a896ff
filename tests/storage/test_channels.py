"""The channel a submission came in by: set by the service, stored, counted, shown to staff."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.consultation.model import Consultation
from bot.conversation.submission import Channel
from bot.staff.cards import card_text
from bot.staff.compilation import build_compilation
from bot.staff.table import RESPONDENT_COLUMNS, submissions_table
from bot.storage import Store
from bot.storage.db import migrations, split_statements
from tests.submissions import submit


async def test_the_service_records_each_front_ends_channel(
    db_path: Path, consultation: Consultation
) -> None:
    for user in ("tg:1001", "web:abc", "cli:kari", "someone"):
        await submit(db_path, user, f"Innspill fra {user}")
    async with await Store.open(db_path) as store:
        sent = {s.answers[-1].answer: s for s in await store.list_submissions()}
        stats = await store.staff.stats(consultation.id)
    assert sent["Innspill fra tg:1001"].channel is Channel.TELEGRAM
    assert sent["Innspill fra web:abc"].channel is Channel.WEB
    assert sent["Innspill fra cli:kari"].channel is Channel.TERMINAL
    assert sent["Innspill fra someone"].channel is None  # a key of no front end (a test)
    assert stats["by_channel"] == {"telegram": 2, "terminal": 1, "web": 1}

    subs = list(sent.values())
    table = submissions_table(consultation, subs)
    column = RESPONDENT_COLUMNS.index("Kanal")
    assert [row[column] for row in table.rows] == ["Telegram", "nettsiden", "terminalen", ""]
    counts = dict(build_compilation(consultation, subs).counts)
    assert dict(counts["Etter kanal"]) == {
        "Telegram": 1,
        "nettsiden": 1,
        "terminalen": 1,
        "(ukjent)": 1,
    }
    assert "Kanal: nettsiden" in card_text(consultation, sent["Innspill fra web:abc"])


async def test_submissions_stored_before_channels_get_theirs_from_the_persons_key(
    db_path: Path,
) -> None:
    steps = migrations()
    adding = next(step for step in steps if "channel" in step.sql and "web_devices" in step.sql)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    raw = sqlite3.connect(db_path)
    for step in steps[: steps.index(adding)]:
        for statement in split_statements(step.sql):
            raw.execute(statement)
        raw.execute(f"PRAGMA user_version = {step.version}")
    raw.commit()
    await submit(db_path.with_name("fresh.sqlite3"), "tg:7", "mal")
    template = sqlite3.connect(db_path.with_name("fresh.sqlite3"))
    data = json.loads(template.execute("SELECT data FROM submissions").fetchone()[0])
    template.close()
    del data["channel"]
    for n, user in enumerate(("tg:1", "cli:kari", "web:x")):
        row = {**data, "reference": f"SMB-OLD{n}"}
        raw.execute(
            "INSERT INTO submissions (reference, consultation_id, user_id, received_at,"
            " respondent_type, language, flow, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row["reference"],
                data["consultation_id"],
                user,
                data["received_at"],
                "kommune",
                "nb",
                "quick",
                json.dumps(row),
            ),
        )
    raw.commit()
    raw.close()
    async with await Store.open(db_path) as store:
        found = {s.reference: s.channel for s in await store.list_submissions()}
    assert found == {
        "SMB-OLD0": Channel.TELEGRAM,
        "SMB-OLD1": Channel.TERMINAL,
        "SMB-OLD2": Channel.WEB,
    }
