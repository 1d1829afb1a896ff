"""``innspill health`` as an operator and the container's HEALTHCHECK see it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.storage import Store
from tests.submissions import submit


async def fail_outbox(db: Path, outbox_id: int) -> None:
    async with await Store.open(db) as store:
        await store.mark_outbox_failed(outbox_id, "550 mailbox unavailable")


async def retry_outbox(db: Path, outbox_id: int) -> None:
    async with await Store.open(db) as store:
        assert await store.retry_outbox(outbox_id, datetime.now(UTC))


def health(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["health"])
    return code, capsys.readouterr().out.splitlines()


def test_a_working_installation_is_healthy_one_line_per_check(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge"]) == 0  # creates and migrates the database, as the bot does
    capsys.readouterr()
    code, lines = health(capsys)
    assert code == 0, lines
    assert [line.split(":")[0] for line in lines] == [
        "OK   database",
        "OK   catalogs",
        "OK   consultation",
        "OK   outbox",
        "OK   updates",
    ]


def test_no_database_is_unhealthy_and_says_so(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = health(capsys)
    assert code == 1
    assert lines[0].startswith("FEIL database: ")
    assert "finnes ikke" in lines[0]
    assert not (env / "db.sqlite3").exists(), "a health probe never creates the database"


def test_a_broken_consultation_file_is_reported_among_the_checks(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge"]) == 0
    broken = env / "broken.toml"
    broken.write_text('id = "x"\n', encoding="utf-8")
    monkeypatch.setenv("CONVERSATION_FILE", str(broken))
    capsys.readouterr()
    code, lines = health(capsys)
    assert code == 1
    assert next(line for line in lines if line.startswith("FEIL")).startswith("FEIL consultation")


def test_mail_waiting_too_long_is_unhealthy_until_it_is_sent(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(submit(env / "db.sqlite3", "a", at=datetime.now(UTC) - timedelta(hours=2)))
    code, lines = health(capsys)
    assert code == 1
    assert "FEIL outbox: 1 e-post har ventet over 60 min" in lines[3]
    assert main(["outbox", "send"]) == 0
    capsys.readouterr()
    assert health(capsys)[0] == 0


def test_fresh_mail_is_not_stuck(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(submit(env / "db.sqlite3", "a", at=datetime.now(UTC)))
    assert health(capsys)[0] == 0


def test_a_failed_mail_is_unhealthy_until_staff_acknowledge_it(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "db.sqlite3"
    asyncio.run(submit(db, "a", at=datetime.now(UTC)))
    asyncio.run(fail_outbox(db, 1))
    code, lines = health(capsys)
    assert code == 1
    assert "1 feilet e-post ikke kvittert" in lines[3]

    assert main(["outbox", "ack", "1"]) == 0
    assert "kvittert" in capsys.readouterr().out
    assert health(capsys)[0] == 0

    # Retried and failed again: a new failure needs a new acknowledgement.
    asyncio.run(retry_outbox(db, 1))
    asyncio.run(fail_outbox(db, 1))
    assert health(capsys)[0] == 1
    assert main(["outbox", "ack", "99"]) == 1


def test_a_database_not_yet_migrated_is_unhealthy(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import contextlib
    import sqlite3

    assert main(["purge"]) == 0
    with contextlib.closing(sqlite3.connect(env / "db.sqlite3")) as raw:
        raw.execute("PRAGMA user_version = 1")
    capsys.readouterr()
    code, lines = health(capsys)
    assert code == 1
    assert lines[0].startswith("FEIL database: skjema 1, denne versjonen trenger")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_the_web_chat_is_checked_when_it_is_enabled(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys
    import time

    from tests.conftest import process_env

    port = _free_port()
    monkeypatch.setenv("WEB_ENABLED", "true")
    monkeypatch.setenv("WEB_PORT", str(port))
    monkeypatch.setenv("HEALTH_TIMEOUT_SECONDS", "2")
    assert main(["purge"]) == 0
    capsys.readouterr()
    code, lines = health(capsys)
    assert code == 1
    assert lines[-1].startswith(f"FEIL web: http://127.0.0.1:{port}/helse svarer ikke")

    web = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--port", str(port)],
        env=process_env(env, WEB_ENABLED="true", LOG_LEVEL="WARNING"),
        cwd=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            code, lines = health(capsys)
            if code == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert code == 0, lines
        assert lines[-1] == f"OK   web: http://127.0.0.1:{port}/helse svarer"
    finally:
        web.terminate()
        web.wait(timeout=15)
