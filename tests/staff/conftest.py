"""A real SQLite database with three real submissions, and the settings the CLI reads."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.engine.model import Consultation
from tests.staff.people import fill


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, c: Consultation) -> Path:
    for name in ("TELEGRAM_BOT_TOKEN", "SMTP_HOST", "RECIPIENT_OVERRIDE", "CONVERSATION_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("MAIL_TRANSPORT", "file")
    monkeypatch.chdir(tmp_path)
    asyncio.run(fill(tmp_path / "db.sqlite3", c))
    return tmp_path
