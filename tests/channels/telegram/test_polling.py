"""The stop grace against the compose file."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.ops.settings import Settings

ROOT = Path(__file__).resolve().parents[3]


def test_the_stop_grace_fits_in_the_containers_stop_grace() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    default = Settings.model_fields["stop_grace_seconds"].default
    for service in compose["services"].values():
        period = service.get("stop_grace_period")
        if period is not None:
            assert default + 5 <= float(str(period).removesuffix("s"))
