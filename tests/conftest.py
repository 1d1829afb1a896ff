"""Fixtures every test shares, and a guard that keeps the whole suite off the network.

Tests talk to real components on loopback only (SQLite files, aiosmtpd, the fake Bot API).
Any connection or name lookup for another host fails the test, so a stray call to
api.telegram.org or a real SMTP server is caught here, not in production.
(After python-telegram-bot's ``tests/auxil/networking.py``.)
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.storage import Store

ROOT = Path(__file__).resolve().parents[1]
"""The checkout: conversations/, locales/ and the package live under it."""

SEED = ROOT / "conversations" / "strategi-for-smabyer.toml"
"""The consultation the bot ships with."""

EXAMPLE = ROOT / "tests" / "data" / "example-consultation.toml"
"""A small consultation that exercises every kind of step the loader accepts."""


def process_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of an ``innspill`` child process whose data lives in ``folder``.

    This checkout's code, its own database and outbox, mail written as files, and no real
    Telegram or SMTP settings from the developer's shell.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SMTP_"))}
    env.update(
        DATABASE_PATH=str(folder / "innspill.sqlite3"),
        OUTBOX_DIR=str(folder / "outbox"),
        MAIL_TRANSPORT="file",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


# -- no network beyond loopback -------------------------------------------------------------------


class StrayConnectionError(ConnectionRefusedError):
    """A test tried to reach a host other than this machine."""


def is_local(host: object) -> bool:
    """Whether ``host`` (an address, a name, or a Unix socket path) stays on this machine."""
    if host is None or isinstance(host, bytes):
        return True
    name = str(host).strip("[]").split("%", 1)[0]
    if name in {"", "localhost"}:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network_beyond_loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse connections and lookups outside loopback, and fail the test if one was tried.

    Refusing alone is not enough: a library may catch the error and retry or log it, so every
    attempt is also recorded and the test fails at teardown.
    """
    attempts: list[str] = []
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex
    getaddrinfo = socket.getaddrinfo

    def check(what: str, address: Any) -> None:
        host = address if isinstance(address, str | bytes) else address[0]
        if isinstance(address, str) and "/" in address:
            return  # a Unix socket path
        if not is_local(host):
            attempts.append(f"{what} {address!r}")
            raise StrayConnectionError(f"tests must not reach {address!r} (only loopback)")

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if self.family != socket.AF_UNIX:
            check("connect", address)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        if self.family != socket.AF_UNIX:
            check("connect", address)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        check("lookup", (host,))
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield attempts
    assert not attempts, f"the test tried to leave this machine: {attempts}"


# -- shared fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def consultation() -> Consultation:
    """The shipped consultation, loaded once."""
    return load_consultation(SEED)


@pytest.fixture(scope="session")
def c(consultation: Consultation) -> Consultation:
    """The same consultation under the short name the engine and staff tests use."""
    return consultation


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database file in a folder that does not exist yet (the store creates it)."""
    return tmp_path / "var" / "innspill.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    """A real store on a fresh SQLite file, closed afterwards (its thread would hang the run)."""
    opened = await Store.open(db_path)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder to run ``innspill`` commands in, as an operator would.

    Its own database and outbox, mail written as files, and nothing from the developer's own
    environment (a token, an SMTP host, …) that would change what a command does.
    """
    for name in ("TELEGRAM_BOT_TOKEN", "SMTP_HOST", "RECIPIENT_OVERRIDE", "CONVERSATION_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("MAIL_TRANSPORT", "file")
    monkeypatch.chdir(tmp_path)
    return tmp_path
