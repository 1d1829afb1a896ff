"""The Dockerfile, docker-compose.yml and .dockerignore, checked as data (no Docker engine here)."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from bot.ops.settings import Settings
from tests.conftest import ROOT

SETTINGS = {name.upper() for name in Settings.model_fields}
NOT_SETTINGS = {"PYTHONUNBUFFERED"}
"""Variables for the Python runtime itself, not for the bot."""


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return loaded


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text("utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def final_stage(instructions: list[str]) -> list[str]:
    last_from = max(i for i, line in enumerate(instructions) if line.startswith("FROM "))
    return instructions[last_from:]


def test_every_variable_the_compose_file_sets_is_a_setting(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for variable in service.get("environment", {}):
            assert variable in SETTINGS, f"{name} sets {variable}, which Settings does not read"


def test_every_variable_the_dockerfile_sets_is_a_setting(dockerfile: list[str]) -> None:
    for line in dockerfile:
        if line.startswith("ENV "):
            for pair in shlex.split(line.removeprefix("ENV ")):
                name = pair.split("=", 1)[0]
                assert name in SETTINGS | NOT_SETTINGS, f"ENV {name} is not a setting"


def test_the_staging_profile_delivers_only_into_the_mail_catcher(compose: dict[str, Any]) -> None:
    services = compose["services"]
    staging = [name for name, s in services.items() if "staging" in s.get("profiles", [])]
    assert {"mailpit", "bot-staging"} <= set(staging)
    env = services["bot-staging"]["environment"]
    assert env["MAIL_TRANSPORT"] == "smtp"
    assert env["SMTP_HOST"] == "mailpit"
    assert str(env["SMTP_PORT"]) == "1025"
    assert env["SMTP_SECURITY"] == "none", "Mailpit speaks plain SMTP"
    assert env["SMTP_USER"] == env["SMTP_PASSWORD"] == "", "no real credentials to the catcher"
    assert env["RECIPIENT_OVERRIDE"]
    assert "TELEGRAM_BOT_TOKEN" in env, "staging never runs with the production bot's token"
    settings = Settings(
        _env_file=None,
        **{k.lower(): v for k, v in env.items() if v and "${" not in str(v)},
    )
    assert settings.recipient_override == env["RECIPIENT_OVERRIDE"]
    assert settings.smtp_user is None


def test_the_staging_profile_does_not_start_the_production_bot(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "staging" not in services["bot"].get("profiles", [])
    assert services["bot"].get("profiles"), "the real bot only starts when asked for"
    assert services["bot"]["volumes"] != services["bot-staging"]["volumes"]


def test_bots_keep_data_on_named_volumes_and_stop_gracefully(compose: dict[str, Any]) -> None:
    for name in ("bot", "bot-staging"):
        service = compose["services"][name]
        assert service["stop_grace_period"] == "30s"
        for volume in service["volumes"]:
            source, target = volume.split(":")[:2]
            assert source in compose["volumes"], f"{name}: {source} is not a named volume"
            assert target == "/data"


def test_the_healthcheck_calls_innspill_health(dockerfile: list[str]) -> None:
    (check,) = [line for line in dockerfile if line.startswith("HEALTHCHECK")]
    assert re.search(r'CMD \["innspill", "health"\]', check)


def test_the_bot_runs_as_a_user_that_is_not_root(dockerfile: list[str]) -> None:
    users = [line.split()[1] for line in final_stage(dockerfile) if line.startswith("USER ")]
    assert users, "the final image must set USER"
    assert users[-1] not in {"root", "0", "0:0"}


def test_the_build_context_leaves_out_data_secrets_and_caches() -> None:
    ignored = (ROOT / ".dockerignore").read_text("utf-8").splitlines()
    for entry in ("var/", ".env", ".venv/", ".git/", "**/__pycache__/", ".mypy_cache/"):
        assert entry in ignored
