"""A real SQLite database with three real submissions, and the settings the CLI reads."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.consultation.model import Consultation
from tests.staff.people import fill


@pytest.fixture
def env(env: Path, c: Consultation) -> Path:
    """The operator's folder (the root ``env``), its database filled with the three people."""
    asyncio.run(fill(env / "db.sqlite3", c))
    return env
