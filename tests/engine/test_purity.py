"""The engine stays pure: importing it brings no Telegram, database or mail code along."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = (
    "telegram",
    "aiosqlite",
    "sqlite3",
    "aiosmtplib",
    "smtplib",
    "bot.mail",
    "bot.storage",
    "bot.telegram",
    "httpx",
    "asyncio",
)


def test_engine_imports_no_io_code() -> None:
    code = (
        "import sys, bot.engine.machine, bot.engine.loader, bot.engine.build\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} or "
        f"any(m == f or m.startswith(f + '.') for f in {FORBIDDEN!r})]\n"
        "print(','.join(sorted(bad)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
