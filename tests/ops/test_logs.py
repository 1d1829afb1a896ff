"""Log lines as an operator's collector reads them: one line per event, no secrets, no answers."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from bot.ops import metrics
from bot.ops.logs import LIBRARIES, configure_logging
from bot.ops.settings import Settings


@pytest.fixture
def root_logger(monkeypatch: pytest.MonkeyPatch) -> logging.Logger:
    for name in ("LOG_LEVEL", "LOG_FORMAT", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # restored after the test
    monkeypatch.setattr(root, "level", root.level)
    for name in LIBRARIES:
        library = logging.getLogger(name)
        monkeypatch.setattr(library, "level", library.level)
    return root


def emit_error(capsys: pytest.CaptureFixture[str]) -> str:
    log = logging.getLogger("bot.test")
    try:
        raise RuntimeError("boom\nsecond line")
    except RuntimeError:
        log.exception("outbox %d failed", 7)
    return capsys.readouterr().err


def test_text_lines_are_key_value_one_line_per_event(
    root_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings(_env_file=None, log_format="text"))
    err = emit_error(capsys)
    assert err.count("\n") == 1, err
    assert " level=ERROR logger=bot.test " in err
    assert 'msg="outbox 7 failed"' in err
    assert 'exc="Traceback' in err


def test_json_lines_parse_and_carry_fields(
    root_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings(_env_file=None, log_format="json"))
    err = emit_error(capsys)
    (line,) = err.splitlines()
    event = json.loads(line)
    assert event["level"] == "ERROR"
    assert event["msg"] == "outbox 7 failed"
    assert "second line" in event["exc"]


def test_the_token_never_appears_in_a_log_line(
    root_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "7000001:AAHsecretTokenValue"
    configure_logging(Settings(_env_file=None, telegram_bot_token=token, log_format="json"))
    logging.getLogger("bot.test").info("GET https://api.telegram.org/bot%s/getMe", token)
    err = capsys.readouterr().err
    assert token not in err
    assert "[REDACTED]" in err


def test_log_level_hides_info(
    root_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings(_env_file=None, log_level="WARNING"))
    logging.getLogger("bot.test").info("not shown")
    assert capsys.readouterr().err == ""


def test_the_counts_line_reports_totals_and_news(
    root_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings(_env_file=None, log_format="json"))
    before = metrics.snapshot()
    metrics.count(metrics.UPDATES, 3)
    metrics.count(metrics.SUBMISSIONS)
    metrics.log_counts(before)
    event = json.loads(capsys.readouterr().err)
    assert event["msg"] == "counts"
    assert event["updates_new"] == 3
    assert event["submissions_new"] == 1
    assert event["deliveries_new"] == 0
    assert event["updates"] >= 3


def test_the_service_and_the_outbox_count_what_they_do(env: Path) -> None:
    from bot.__main__ import main
    from tests.submissions import submit

    before = metrics.snapshot()
    asyncio.run(submit(env / "db.sqlite3", "a"))
    assert main(["outbox", "send"]) == 0
    after = metrics.snapshot()
    # submit() makes nine updates: the quick path, then the municipality from the summary.
    assert after[metrics.UPDATES] - before[metrics.UPDATES] == 9
    assert after[metrics.SUBMISSIONS] - before[metrics.SUBMISSIONS] == 1
    assert after[metrics.DELIVERIES] - before[metrics.DELIVERIES] == 1


def test_answers_and_names_never_reach_the_log_even_at_debug(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    root_logger: logging.Logger,
) -> None:
    from bot.__main__ import main
    from tests.submissions import submit

    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    configure_logging(Settings(_env_file=None))
    assert root_logger.level == logging.DEBUG
    asyncio.run(submit(env / "db.sqlite3", "a"))
    assert main(["outbox", "send"]) == 0  # configures logging itself, from LOG_LEVEL
    assert root_logger.level == logging.DEBUG
    # What the libraries log at DEBUG carries updates and rows (aiosqlite logs each statement
    # with its values, python-telegram-bot each update): none of it gets through.
    logging.getLogger("aiosqlite").debug("executing INSERT (%r)", "Per Hansen")
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", "Per Hansen")
    logged = capsys.readouterr().err
    assert "stored and queued" in logged, "the events themselves are logged"
    assert "sent as" in logged
    for private in ("Per Hansen", "Harstad kommune", "Innspill til"):
        assert private not in logged
