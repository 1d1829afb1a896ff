"""Settings as an operator meets them: one clear line per mistake, and a reference that is true."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.ops.config_reference import env_example, settings_reference, stale_files, with_table
from bot.ops.settings import Settings
from tests.conftest import ROOT


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("TELEGRAM_BOT_TOKEN", "SMTP_HOST", "RECIPIENT_OVERRIDE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SMTP_PORT", "abc", "Ugyldig innstilling SMTP_PORT: må være et heltall (fikk «abc»)"),
        ("SMTP_PORT", "70000", "Ugyldig innstilling SMTP_PORT: må være høyst 65535"),
        ("SMTP_SECURITY", "ssl", "SMTP_SECURITY: må være en av none, starttls eller tls"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL: må være en av DEBUG, INFO, WARNING eller ERROR"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: må være en av text eller json"),
        ("OUTBOX_POLL_SECONDS", "0", "OUTBOX_POLL_SECONDS: må være større enn 0"),
        ("SEND_RECEIPTS", "kanskje", "SEND_RECEIPTS: må være true eller false"),
        ("MAIL_FROM", "innspill", "MAIL_FROM: er ikke én gyldig e-postadresse"),
        ("RECIPIENT_OVERRIDE", "test@", "RECIPIENT_OVERRIDE: er ikke en gyldig e-postadresse"),
        ("CONVERSATION_FILE", "/nowhere/x.toml", "CONVERSATION_FILE: filen /nowhere/x.toml finnes"),
        ("WEBHOOK_URL", "http://bot.example.no/tg", "WEBHOOK_URL: må være en https-adresse"),
        ("TELEGRAM_API_URL", "api.telegram.org", "TELEGRAM_API_URL: må være en http(s)-adresse"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["stats"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert expected in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_PATH", ".", "er en mappe; oppgi en fil"),
        ("DATABASE_PATH", "notes.txt/db.sqlite3", "notes.txt er en fil, ikke en mappe"),
        ("OUTBOX_DIR", "notes.txt", "notes.txt er en fil, ikke en mappe"),
        ("OUTBOX_DIR", "notes.txt/outbox", "notes.txt er en fil, ikke en mappe"),
    ],
)
def test_a_path_that_cannot_work_is_refused_before_anything_opens(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    (env / "notes.txt").write_text("x", encoding="utf-8")
    monkeypatch.setenv(name, value)
    assert main(["stats"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"Ugyldig innstilling {name}: ")
    assert expected in line


def test_a_bad_secret_is_named_but_never_echoed(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMTP_PORT", "x")
    monkeypatch.setenv("WEBHOOK_SECRET", "hemmelig med mellomrom og æøå")
    monkeypatch.setenv("WEBHOOK_URL", "http://insecure.example.no")
    assert main(["stats"]) == 1
    err = capsys.readouterr().err
    assert "hemmelig" not in err
    assert "Ugyldig innstilling WEBHOOK_SECRET: kan bare inneholde A-Z" in err
    assert len(err.splitlines()) == 3


def test_enum_settings_accept_any_case(env: Path) -> None:
    settings = Settings(_env_file=None, log_level="debug", smtp_security="NONE")
    assert (settings.log_level, settings.smtp_security) == ("DEBUG", "none")


def test_empty_values_count_as_unset(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("SMTP_CA_FILE", "")
    settings = Settings(_env_file=None)
    assert settings.telegram_bot_token is None
    assert settings.smtp_ca_file is None


def test_every_setting_has_a_meaning_and_the_operators_ones_are_listed() -> None:
    rows = {row.name: row for row in settings_reference()}
    assert all(row.meaning for row in rows.values()), "every field needs a description"
    for name in ("LOG_LEVEL", "LOG_FORMAT", "OUTBOX_POLL_SECONDS", "SMTP_SECURITY"):
        assert name in rows
    assert rows["OUTBOX_POLL_SECONDS"].default == "15"
    assert rows["CONVERSATION_FILE"].default == "conversations/strategi-for-smabyer.toml"


def test_readme_and_env_example_match_the_settings_model() -> None:
    stale = stale_files(ROOT)
    assert not stale, f"{[p.name for p in stale]} out of date: run `make settings-docs`"


def test_the_reference_tracks_a_changed_model() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert with_table(readme) == readme
    assert "| `LOG_LEVEL` | `INFO` |" in readme
    assert "# OUTBOX_POLL_SECONDS=15\n" in env_example()


def test_env_example_loads_as_the_defaults(tmp_path: Path) -> None:
    """Uncommenting every line of .env.example gives a valid configuration."""
    lines = (ROOT / ".env.example").read_text("utf-8").splitlines()
    settings_lines = [
        line.removeprefix("# ")
        for line in lines
        if line.startswith("# ") and "=" in line and line[2:].split("=")[0].isupper()
    ]
    (tmp_path / ".env").write_text("\n".join(settings_lines) + "\n", encoding="utf-8")
    (tmp_path / "conversations").symlink_to(ROOT / "conversations")  # as in a checkout
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.ops.settings import Settings; print(Settings().smtp_port)",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "25"


def test_a_file_that_is_not_a_database_is_one_line(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (env / "db.sqlite3").write_bytes(b"this is not SQLite" * 100)
    assert main(["stats"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"DATABASE_PATH={env / 'db.sqlite3'} kan ikke brukes: ")
