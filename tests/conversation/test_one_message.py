"""One turn, one message: every action gets a single reply, however much it says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation.events import IncomingDocument
from tests.conversation.talk import Talk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def c() -> Consultation:
    return load_consultation(ROOT / "conversations" / "strategi-for-smabyer.toml")


def guided(t: Talk) -> list[Callable[[], object]]:
    return [
        lambda: t.command("start"),
        lambda: t.click("Svar på spørsmålene"),
        lambda: t.click("Privatperson"),
        lambda: t.send("Kari Nordmann"),
        lambda: t.send("Harstad"),
        lambda: t.send("kari@example.no"),
        lambda: t.click("Tilgjengelighet"),
        lambda: t.click("Ferdig"),
        lambda: t.send("Flere busser."),
        lambda: t.command("help"),
        lambda: t.command("status"),
        lambda: t.click("Legg til mer"),
        lambda: t.send("Og tog."),
        lambda: t.unsupported("sticker"),
        lambda: t.send("Samarbeid."),
        lambda: t.click("Hopp over resten"),
        lambda: t.command("start"),
        lambda: t.click("Fortsett"),
        lambda: t.click("send inn"),
    ]


def quick(t: Talk) -> list[Callable[[], object]]:
    return [
        lambda: t.command("start", "rask"),
        lambda: t.click("Organisasjon"),
        lambda: t.send("Harstad Næringsforening"),
        lambda: t.send("Per Hansen"),
        lambda: t.send("Harstad"),  # the quick path asks no e-mail question (#12)
        lambda: t.upload(IncomingDocument("innspill.pdf", "application/pdf", 120_000, "A1")),
        lambda: t.click("send inn"),
    ]


@pytest.mark.parametrize("path", [guided, quick], ids=["guided", "quick"])
def test_every_action_gets_one_message(
    c: Consultation, path: Callable[[Talk], list[Callable[[], object]]]
) -> None:
    t = Talk(c)
    for number, action in enumerate(path(t), start=1):
        action()
        assert len(t.replies) == 1, f"action {number}: {[r.text[:60] for r in t.replies]}"
    assert len(t.submissions) == 1
