"""The staff's command line: export, statistics, outbox and purge, on a real database."""

from __future__ import annotations

import asyncio
import csv
import email
import email.policy
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.storage import Store
from tests.submissions import submit


def test_export_csv_has_one_row_per_submission(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(submit(env / "db.sqlite3", "a", "=Første innspill"))
    asyncio.run(submit(env / "db.sqlite3", "b", "Andre innspill"))
    assert main(["export", "--format", "csv", "--output", str(env / "ut.csv")]) == 0
    text = (env / "ut.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert rows[0]["Kommune"] == "Harstad – Hárstták"
    assert rows[0]["Organisasjon"] == "Harstad kommune"
    assert rows[0]["Innspill (ferdig tekst)"] == "'=Første innspill", "no formula runs"
    assert "2 innspill skrevet" in capsys.readouterr().out
    assert main(["export", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert [s["respondent"]["name"] for s in exported] == ["Per Hansen", "Per Hansen"]


def test_stats_count_by_type_and_county(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(submit(env / "db.sqlite3", "a", "Innspill"))
    asyncio.run(submit(env / "db.sqlite3", "b", "draft"))
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["submissions"] == 1
    assert stats["by_flow"] == {"quick": 1}
    assert main(["stats"]) == 0
    text = capsys.readouterr().out
    assert "Innspill i alt: 1" in text
    assert "Utkast under arbeid: 1" in text
    assert "  Kommune: 1" in text
    assert "  Troms: 1" in text
    assert "  Harstad – Hárstták: 1" in text


def test_outbox_send_writes_eml_and_list_shows_it_sent(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(submit(env / "db.sqlite3", "a", "Innspill"))
    assert main(["outbox", "list"]) == 0
    assert "pending" in capsys.readouterr().out
    assert main(["outbox", "send"]) == 0
    (eml,) = (env / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "postmottak@kmd.dep.no"
    assert main(["outbox", "list", "--status", "sent"]) == 0
    assert "sent" in capsys.readouterr().out
    assert main(["outbox", "retry", "999"]) == 1


def test_purge_deletes_only_old_drafts(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = datetime.now(UTC) - timedelta(days=45)
    asyncio.run(submit(env / "db.sqlite3", "old", "draft", at=old))
    asyncio.run(submit(env / "db.sqlite3", "new", "draft"))
    assert main(["purge"]) == 0
    assert "1 gamle utkast slettet" in capsys.readouterr().out

    async def remaining() -> list[str]:
        async with await Store.open(env / "db.sqlite3") as store:
            found = [await store.load_session(u, "smabyer") for u in ("old", "new")]
        return [s.user_id for s in found if s]

    assert asyncio.run(remaining()) == ["new"]


def test_smtp_password_never_reaches_the_log(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from bot.ops.logs import configure_logging
    from bot.ops.settings import Settings

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # restored after the test
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setenv("SMTP_PASSWORD", "hemmelig-passord-123")
    configure_logging(Settings())
    try:
        raise ConnectionError("login failed with hemmelig-passord-123")
    except ConnectionError:
        logging.getLogger("bot.test").exception("smtp said %s", "hemmelig-passord-123")
    logged = capsys.readouterr().err
    assert "smtp said [REDACTED]" in logged
    assert "hemmelig-passord-123" not in logged


def test_a_broken_consultation_file_is_explained_not_a_traceback(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = env / "broken.toml"
    broken.write_text('id = "x"\n', encoding="utf-8")
    monkeypatch.setenv("CONVERSATION_FILE", str(broken))
    assert main(["stats"]) == 1
    err = capsys.readouterr().err
    assert "CONVERSATION_FILE kan ikke brukes" in err
    assert "broken.toml" in err
    assert "Traceback" not in err
