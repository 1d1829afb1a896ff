"""``innspill run`` as a service and in a terminal, and what it leaves on disk."""

from __future__ import annotations

import os
import pty
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from telegram.error import NetworkError

import bot.cli
from bot.__main__ import main
from tests.conftest import process_env

pytestmark = pytest.mark.slow


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return process_env(tmp_path / "data", **extra)


def test_run_without_token_or_terminal_stops_with_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, "a container must not exit 0 and be restarted silently"
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "TELEGRAM_BOT_TOKEN er ikke satt" in line
    assert "innspill chat" in line


def test_run_in_a_terminal_without_token_starts_the_chat(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(tmp_path),
        cwd=tmp_path,
    ) as process:
        os.close(terminal)
        os.write(controller, b"\x04")  # end of input, as Ctrl-D in a terminal
        out, err = process.communicate(timeout=60)
    os.close(controller)
    assert process.returncode == 0, err
    assert b"samtalen kj\xc3\xb8rer i terminalen" in out


def test_data_files_are_private_to_the_bot_user(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="",
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    database = data / "innspill.sqlite3"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    for sidecar in data.glob("innspill.sqlite3-*"):
        assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600


def test_a_network_failure_at_start_up_is_one_line_with_the_retry_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def unreachable(*_args: object, **_kwargs: object) -> None:
        raise NetworkError("httpx.ConnectError: All connection attempts failed")

    monkeypatch.setattr(bot.cli, "run_telegram", unreachable)
    for name, value in env_for(tmp_path, TELEGRAM_BOT_TOKEN="123456:ABCdefGHI").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LOG_STATS_SECONDS", "0")
    assert main(["run"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("Får ikke kontakt med Telegram på https://api.telegram.org: ")
    assert "prøvd 6 ganger" in line
    assert "123456:ABCdefGHI" not in line


def test_run_without_token_serves_the_web_chat_when_it_is_enabled(tmp_path: Path) -> None:
    """A web-only installation: ``run`` with WEB_ENABLED and no token serves the web chat."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env_for(tmp_path, WEB_ENABLED="true", WEB_PORT=str(port)),
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    body = page.read().decode()
                    break
            except OSError:
                assert process.poll() is None, "the web-only bot stopped"
                assert time.monotonic() < deadline, "the web chat never answered"
                time.sleep(0.1)
        assert "Hvordan vil du svare?" in body
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert b"terminalen" not in output  # not the terminal chat
