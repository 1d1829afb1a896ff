"""The terminal chat at a real keyboard: Ctrl-C, line editing, cut lines and the help."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.channels.terminal.test_terminal_e2e import PROMPT, chat, env_for

pytestmark = pytest.mark.slow

WAIT = 60.0


def read_until(fd: int, wanted: bytes, seen: bytearray) -> bytes:
    """Read from ``fd`` until ``wanted`` has appeared (or fail after WAIT seconds)."""
    deadline = time.monotonic() + WAIT
    while wanted not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"{wanted!r} never came; got {bytes(seen[-500:])!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
    return bytes(seen)


def finish(proc: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """The rest of the output once the chat ends; a chat that does not end fails the test."""
    try:
        return proc.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise


def test_ctrl_c_ends_the_chat_with_a_goodbye_and_keeps_every_answer(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--user", "kari"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(tmp_path),
        cwd=tmp_path,
    ) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write(b"1\n1\nKari Nordmann\n")
        proc.stdin.flush()
        seen = bytearray()
        read_until(proc.stdout.fileno(), b"Hvilken kommune bor du i?", seen)
        read_until(proc.stdout.fileno(), PROMPT.encode(), seen)
        proc.send_signal(signal.SIGINT)  # Ctrl-C while the chat waits for a line
        out, err = finish(proc)
    said = (bytes(seen) + out).decode()
    assert proc.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    assert "Ha det! Svarene dine er lagret" in said

    again = chat(tmp_path, [], "--user", "kari")
    assert "Hvilken kommune bor du i?" in again.stdout, "the chat goes on where it stopped"


def test_at_a_terminal_lines_can_be_edited_with_the_arrow_keys(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--user", "ola"],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env={**env_for(tmp_path), "TERM": "xterm"},
        cwd=tmp_path,
    ) as proc:
        os.close(terminal)
        try:
            seen = edit_a_name(controller)
        finally:
            proc.kill()  # a failed wait must not leave the chat (and the test run) hanging
            proc.wait(timeout=WAIT)
    os.close(controller)
    assert "Navn: Kari Nordmann" in seen.decode(errors="replace")


def edit_a_name(controller: int) -> bytes:
    """Type a name with a mistake and fix it with the arrow keys; return what was shown."""
    seen = bytearray()
    read_until(controller, b"Hvordan vil du svare?", seen)
    os.write(controller, b"1\r")
    read_until(controller, b"Hvem svarer du for?", seen)
    os.write(controller, b"1\r")
    read_until(controller, b"Hva heter du?", seen)
    # "Kri", two steps left, "a": the name is "Kari", without escape codes.
    os.write(controller, b"Kri\x1b[D\x1b[Da\x1b[C\x1b[C Nordmann\r")
    read_until(controller, b"Hvilken kommune bor du i?", seen)
    os.write(controller, b"/oppsummering\r")
    read_until(controller, b"Navn: Kari Nordmann", seen)
    return bytes(seen)


def test_the_terminal_help_tells_how_to_send_a_file(tmp_path: Path) -> None:
    result = chat(tmp_path, ["/hjelp"], "--user", "per")
    assert result.returncode == 0, result.stderr
    assert "/vedlegg" in result.stdout


def test_a_line_cut_at_the_terminals_limit_is_not_saved_and_the_person_is_told(
    tmp_path: Path,
) -> None:
    controller, terminal = pty.openpty()
    # stdin a terminal, stdout a pipe: no readline, so the terminal's own line limit applies.
    # No echo: nobody reads it here, and a full echo buffer would stall the typing.
    attributes = termios.tcgetattr(terminal)
    attributes[3] &= ~termios.ECHO
    termios.tcsetattr(terminal, termios.TCSANOW, attributes)
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--user", "eva"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(tmp_path),
        cwd=tmp_path,
    ) as proc:
        os.close(terminal)
        assert proc.stdout is not None
        seen = bytearray()
        read_until(proc.stdout.fileno(), PROMPT.encode(), seen)
        os.write(controller, b"2\n")  # the quick path
        read_until(proc.stdout.fileno(), b"Hvem svarer du for?", seen)
        os.write(controller, b"1\n")
        read_until(proc.stdout.fileno(), b"Hva heter du?", seen)
        os.write(controller, b"Eva\n")
        read_until(proc.stdout.fileno(), b"Hvilken kommune", seen)
        os.write(controller, b"Bergen\n")
        read_until(proc.stdout.fileno(), b"Lim inn innspillet", seen)
        long_paste = ("Vi trenger flere tog. " * 300).encode()  # 6,600 characters
        for start in range(0, len(long_paste), 512):
            os.write(controller, long_paste[start : start + 512])
        os.write(controller, b"\n")
        read_until(proc.stdout.fileno(), b"/vedlegg", seen)
        os.write(controller, b"\x04")
        out, err = finish(proc)
    os.close(controller)
    said = (bytes(seen) + out).decode()
    assert "Linjen ble kuttet etter" in said
    assert "så jeg har ikke lagret den" in said
    assert "Lagret ✅" not in said
    assert proc.returncode == 0, err.decode()
