"""After «Ja, slett alt» nothing of the person is left on disk, the update journal included."""

from __future__ import annotations

import sqlite3

import pytest

from bot.app import Runtime
from bot.ops.settings import Settings
from tests.channels.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.slow

SENTINEL = "SENTINEL-c0ffee42"


async def test_nothing_of_the_person_is_left_after_deletion(
    api: FakeBotApi, bot: Runtime, settings: Settings
) -> None:
    # Telegram puts the person's name in every update: the journal keeps it until handled.
    kari = api.user(5301, first_name=SENTINEL)
    await kari.send("/start")
    await kari.wait_for_reply("Hvordan vil du svare?")
    await kari.click("Svar på spørsmålene (ca. 10 min)")
    await kari.wait_for_reply("Hvem svarer du for?")
    await kari.click("Privatperson")
    await kari.wait_for_reply("Hva heter du?")
    await kari.send(f"Kari {SENTINEL}")
    await kari.wait_for_reply("Hvilken kommune")
    await kari.send("/slett")
    await kari.wait_for_reply("Vil du slette alt")
    await kari.click("Ja, slett alt")
    await kari.wait_for_reply("Slettet nå")

    path = settings.database_path
    with sqlite3.connect(path) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM update_journal WHERE data LIKE ?", (f"%{SENTINEL}%",)
        ).fetchone()[0]
        counts = conn.execute("SELECT * FROM limit_events").fetchall()
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    on_disk = sum(p.read_bytes().count(SENTINEL.encode()) for p in files)
    assert stored == 0, "the person's updates are still in the update journal"
    assert not any("5301" in str(value) for row in counts for value in row)
    assert on_disk == 0, f"{on_disk} occurrences in {[p.name for p in files]}"
