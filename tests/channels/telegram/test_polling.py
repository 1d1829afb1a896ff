"""The ledger behind confirm-after-handling, and the stop grace against the compose file."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.channels.telegram.ledger import UpdateLedger
from bot.ops.settings import Settings

ROOT = Path(__file__).resolve().parents[3]


def test_the_offset_stays_at_the_oldest_unfinished_update() -> None:
    ledger = UpdateLedger()
    assert ledger.offset is None
    assert [ledger.take(n) for n in (10, 11, 12)] == [True, True, True]
    ledger.finish(11)
    ledger.finish(12)
    assert ledger.offset == 10, "11 and 12 are done, but 10 is not: keep all three"
    assert not ledger.take(11), "served again while 10 is unfinished: not handled twice"
    ledger.finish(10)
    assert ledger.offset == 13
    assert ledger.unfinished == 0


def test_the_stop_grace_fits_in_the_containers_stop_grace() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    default = Settings.model_fields["stop_grace_seconds"].default
    for service in compose["services"].values():
        period = service.get("stop_grace_period")
        if period is not None:
            assert default + 5 <= float(str(period).removesuffix("s"))
