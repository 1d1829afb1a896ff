"""The engine and mail composition stay pure: their source does no I/O and reads no clock.

A ``sys.modules`` check misses what other libraries already loaded, so this reads the source
itself (``ast``) and fails on a forbidden import, a call that reads the time, or one that opens
or reads a file. What the engine loads lazily from disk (catalogs, babel's locale data, the
municipality register) must be loaded when the runtime opens, for every channel: a
conversation runs here with every file read refused inside ``step()``.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import pathlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import babel.localedata
import pytest

from tests.conftest import ROOT, SEED

PURE_MAIL = ("compose.py", "subject.py", "body_text.py")
"""The mail modules that build e-mails from data alone, like the engine."""
PURE_FILES = [
    *sorted((ROOT / "bot" / "conversation").rglob("*.py")),
    *(ROOT / "bot" / "mail" / name for name in PURE_MAIL),
]

FORBIDDEN_MODULES = (
    "bot.ops.clock",
    "bot.service.ids",
    "bot.ops.settings",
    "bot.storage",
    "bot.mail.transport",
    "bot.mail.outbox",
    "telegram",
    "aiosqlite",
    "aiosmtplib",
    "time",
    "random",
    "secrets",
    "socket",
    "uuid",
    "io",
    "os",
    "pathlib",
    "shutil",
    "tempfile",
)
"""Modules (and everything under them) that bring a clock, randomness or I/O along."""
FORBIDDEN_CALLS = ("now", "today", "utcnow")
"""Attribute or function calls that read the clock."""
FILE_CALLS = ("open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob")
"""Calls that open, read or write a file (``open(...)``, ``Path(...).read_text()``, ...)."""
ALLOWED_NAMES = frozenset({"bot.ops.clock.OSLO"})
"""Constants that live beside the clock but read nothing: the time zone people read times in."""


def _forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN_MODULES)


def impurities(source: str) -> list[str]:
    """What makes ``source`` impure, one line per finding (empty when it is pure)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
            if any(_forbidden(n) and n not in ALLOWED_NAMES for n in names):
                found.append(f"from {node.module} import …")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                found.append(f"{name}() call on line {node.lineno}")
            elif name in FILE_CALLS:
                found.append(f"file access {name}() on line {node.lineno}")
    return found


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_file_has_no_io_and_no_clock(path: Path) -> None:
    assert impurities(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "from bot.ops.clock import utc_now",
        "from bot.ops.clock import OSLO, utc_now",
        "import bot.ops.clock",
        "from bot.service.ids import new_id",
        "from bot.service import ids",
        "from bot.ops.settings import Settings",
        "from bot.storage import Store",
        "from bot.storage.repo import Store",
        "from bot.mail.transport import send",
        "from bot.mail import outbox",
        "import telegram",
        "from telegram.constants import MessageLimit",
        "import aiosqlite",
        "import aiosmtplib",
        "import time",
        "from time import monotonic",
        "import random",
        "import secrets",
        "import socket",
        "import uuid",
        "from datetime import datetime\nx = datetime.now()",
        "import datetime\nx = datetime.datetime.now(datetime.UTC)",
        "from datetime import date\nx = date.today()",
        "from datetime import datetime\nx = datetime.utcnow()",
        "def f(clock):\n    return clock.now()",
        "import io",
        "from io import BytesIO",
        "import os",
        "from os import environ",
        "import os.path",
        "from pathlib import Path",
        "import pathlib",
        "text = open('kommuner.csv').read()",
        "with open('x', 'rb') as f:\n    pass",
        "from bot.ops.resources import locales_dir\nx = (locales_dir() / 'a').read_text()",
        "def f(p):\n    return p.read_bytes()",
        "def f(p):\n    return p.open('rb')",
        "def f(p):\n    p.write_text('x')",
    ],
)
def test_the_checker_catches_each_forbidden_snippet(snippet: str) -> None:
    assert impurities(snippet)


def test_the_checker_lets_pure_code_through() -> None:
    pure = (
        "from datetime import date, datetime, timedelta\nfrom bot.i18n.catalogs import N_\nx = 1\n"
    )
    assert impurities(pure) == []


def test_the_municipality_register_is_read_at_load_not_inside_a_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.consultation import municipalities
    from bot.consultation.loader import load_consultation
    from tests.conversation.talk import Talk

    municipalities._index.cache_clear()
    c = load_consultation(SEED)

    def no_file_reads() -> tuple[municipalities.Municipality, ...]:
        raise AssertionError("step() read the municipality file")

    monkeypatch.setattr(municipalities, "_read_csv", no_file_reads)
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    assert "Kommune: Harstad – Hárstták ✅" in t.text


@contextlib.contextmanager
def _no_file_reads() -> Iterator[None]:
    """Every way the engine's libraries open a file fails while this is active."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a conversation step read a file")

    targets = [
        (builtins, "open"),
        (io, "open"),
        (pathlib.Path, "open"),
        (pathlib.Path, "read_bytes"),
        (pathlib.Path, "read_text"),
        (pathlib.Path, "exists"),
        (pathlib.Path, "stat"),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name in targets]
    for owner, name in targets:
        setattr(owner, name, refused)
    try:
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


async def test_no_step_reads_a_file_in_any_language_once_the_runtime_is_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a step would read lazily, every channel's runtime reads when it opens."""
    from bot.app import Runtime
    from bot.consultation import municipalities
    from bot.conversation.machine import step as real_step
    from bot.i18n import catalogs, formats
    from bot.ops.settings import Settings
    from bot.service import conversations
    from tests.conversation.talk import ServiceTalk

    # As in a fresh process: nothing of the catalogs, babel or the register is loaded yet.
    for cached in (catalogs.translations, formats.babel_locale, formats.format_date):
        cached.cache_clear()
    monkeypatch.setattr(babel.localedata, "_cache", {})
    municipalities._index.cache_clear()
    settings = Settings(
        _env_file=None,
        conversation_file=SEED,
        database_path=tmp_path / "db.sqlite3",
        outbox_dir=tmp_path / "outbox",
    )
    runtime = await Runtime.open(settings)
    steps: list[str] = []

    def step_without_files(*args: Any, **kwargs: Any) -> Any:
        with _no_file_reads():
            outcome = real_step(*args, **kwargs)
        steps.append(outcome.session.step)
        return outcome

    monkeypatch.setattr(conversations, "step", step_without_files)
    try:
        for lang in runtime.consultation.languages:
            t = ServiceTalk(runtime.service, user=f"web:{lang}", language_code=lang)
            await t.command("start")
            await t.click(t.buttons().choices[0].label)  # the guided path
            await t.press(t.buttons().step or "", "privatperson")
            await t.send("Kari Nordmann")
            await t.send("Harstad")
            await t.command("status")
            await t.command("summary")
            assert "📋" in t.text
    finally:
        await runtime.close()
    assert len(steps) == 7 * len(runtime.consultation.languages)
