"""Which failures become one line for the operator, and which stay a bug with a traceback."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from telegram.error import InvalidToken, TimedOut

from bot.ops.operator_errors import explain
from bot.ops.settings import Settings


def test_operator_mistakes_are_one_line_and_bugs_are_not_explained() -> None:
    settings = Settings(
        _env_file=None,
        telegram_api_url="https://api.telegram.org",
        database_path=Path("var/innspill.sqlite3"),
        webhook_listen="0.0.0.0",
        webhook_port=8443,
    )
    assert explain(InvalidToken(), settings) == (
        "Telegram godtar ikke TELEGRAM_BOT_TOKEN. Sjekk tokenet fra @BotFather."
    )
    timed_out = explain(TimedOut(), settings)
    assert timed_out is not None
    assert timed_out.startswith("Får ikke kontakt med Telegram på https://api.telegram.org")
    denied = explain(PermissionError(13, "Permission denied", "/data/innspill.sqlite3"), settings)
    assert denied == "Ingen tilgang til /data/innspill.sqlite3: Permission denied"
    locked = explain(sqlite3.OperationalError("database is locked"), settings)
    assert locked == "DATABASE_PATH=var/innspill.sqlite3 kan ikke brukes: database is locked"
    for line in (timed_out, denied, locked):
        assert "\n" not in line
    taken = explain(OSError(errno.EADDRINUSE, "Address already in use"), settings)
    assert taken is not None
    assert taken.startswith("Webhooken kan ikke lytte på 0.0.0.0:8443")
    assert explain(KeyError("bug"), settings) is None
    assert explain(OSError(errno.EIO, "I/O error"), settings) is None
