"""The terminal chat as a user meets it: a subprocess fed through a pipe, ending in an .eml."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SEED, process_env

PROMPT = "› "

pytestmark = pytest.mark.slow

GUIDED = [
    "1",  # Svar på spørsmålene
    "1",  # Privatperson
    "Kari Nordmann",
    "harstad kommune",
    "kari@example.no",
    "1",  # toggle Tilgjengelighet
    "Ferdig",
    "Flere bussavganger til bygdene.",  # on to question 1 at once
    "3",  # ➕ Legg til mer på forrige svar
    "Og en bedre togforbindelse.",
    "/hopp",
    "Samarbeid mellom kommunene.",
    "/hopp",
    "/hopp",
    "/hopp",
    "/hopp",
    "1",  # Send inn
]


def env_for(tmp_path: Path) -> dict[str, str]:
    return process_env(tmp_path, MAIL_FROM="innspill <innspill@example.org>")


def chat(tmp_path: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def test_piped_conversation_produces_one_eml_to_the_ministry(tmp_path: Path) -> None:
    result = chat(tmp_path, GUIDED, "--user", "kari")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(PROMPT + "\n") == len(GUIDED) + 1
    assert "  1) Privatperson" in result.stdout
    assert "Referansenummer: SMB-" in result.stdout
    files = list((tmp_path / "outbox").glob("*.eml"))
    ministry = [f for f in files if "receipt" not in f.name]
    assert len(ministry) == 1, files
    receipts = [f for f in files if "receipt" in f.name]
    assert len(receipts) == 1, "the receipt goes out before the chat ends, too"
    assert f"📨 2 e-poster lagt i {tmp_path / 'outbox'}/" in result.stdout  # both files
    assert "Ha det! Innspillet ditt er sendt (referanse SMB-" in result.stdout
    assert "neste gang fortsetter du der du slapp" not in result.stdout
    message = email.message_from_bytes(ministry[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "postmottak@kmd.dep.no"
    assert "20/6204" in message["Subject"]
    assert "Innspill til strategi for småbyer som regionale kraftsentre" in message["Subject"]
    assert message["Reply-To"].addresses[0].addr_spec == "kari@example.no"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert "Kari Nordmann" in text
    assert "Harstad" in text
    assert "Flere bussavganger til bygdene.\n\nOg en bedre togforbindelse." in text
    assert "Samarbeid mellom kommunene." in text


def test_killed_half_way_resumes_at_the_same_question(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--user", "ola"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
    ) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        for line in GUIDED[:9]:  # the theme's answer, then back to it to add more
            proc.stdin.write(line + "\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        seen = ""
        while "Svaret ditt så langt" not in seen and time.monotonic() < deadline:
            seen += proc.stdout.readline()
        proc.kill()  # no goodbye: as if the machine lost power
        proc.wait(timeout=10)
    assert "Svaret ditt så langt" in seen

    again = chat(tmp_path, [], "--user", "ola")
    assert again.returncode == 0, again.stderr
    assert "Tema 1 av 1: Tilgjengelighet" in again.stdout
    assert "Flere bussavganger til bygdene." in again.stdout, "the saved answer is shown"

    other = chat(tmp_path, [], "--user", "someone-else")
    assert "Hvordan vil du svare?" in other.stdout, "another user starts fresh"


def test_quick_path_with_a_local_document(tmp_path: Path) -> None:
    pdf = tmp_path / "styrevedtak.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    lines = [
        "2",
        "2",
        "Harstad Næringsforening",
        "Per Hansen",
        "Harstad",
        "Nei takk",
        f"/vedlegg {pdf}",
        "1",
    ]
    result = chat(tmp_path, lines, "--user", "lag")
    assert result.returncode == 0, result.stderr
    assert "1 vedlegg mottatt: styrevedtak.pdf" in result.stdout
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert "styrevedtak.pdf" in names


def test_check_command_reports_broken_file(tmp_path: Path) -> None:
    good = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "check",
            str(SEED),
        ],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        check=False,
    )
    assert good.returncode == 0
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\ntitle = { nb = "T" \n', encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(broken)],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        check=False,
    )
    assert bad.returncode == 1
    assert "broken.toml:2" in bad.stderr


@pytest.mark.parametrize(
    ("lines", "goodbye"),
    [
        (["1", "1", "Kari Nordmann"], "Svarene dine er lagret, og neste gang fortsetter du"),
        (["1", "1", "Kari Nordmann", "/slett", "1"], "Ha det!\n"),
    ],
)
def test_the_goodbye_says_what_happened(tmp_path: Path, lines: list[str], goodbye: str) -> None:
    result = chat(tmp_path, lines, "--user", "ola")
    assert result.returncode == 0, result.stderr
    ending = result.stdout[result.stdout.rindex(PROMPT) :]
    assert goodbye in ending
    assert "📨" not in result.stdout  # nothing was sent, so no e-mail is announced
