"""An update that fails in its handler is set aside once, without its content; others go on."""

from __future__ import annotations

import logging

import pytest

from bot.app import Runtime
from tests.channels.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.slow

SENTINEL = "QUARANTINE-SENTINEL-51"


async def test_a_handler_failure_sets_the_update_aside_and_the_person_is_told(
    api: FakeBotApi, bot: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    kari = api.user(5401, first_name=SENTINEL)
    chat = {"id": kari.id, "type": "private", "first_name": SENTINEL}
    # Decodes fine, but the size is text: the download check cannot compare it.
    document = {"file_id": "F", "file_unique_id": "U", "file_name": "a.pdf", "file_size": "stor"}
    caplog.set_level(logging.INFO)
    mark = kari.mark()
    poison = await api.send_raw(
        {
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": chat,
                "from": kari.user,
                "caption": SENTINEL,
                "document": document,
            }
        }
    )
    told = await kari.wait_for_reply("noe gikk galt", since=mark, timeout=10)
    await kari.send("/status")
    await kari.wait_for_reply("Du har ikke begynt", timeout=10)
    await api.settle()

    assert told.text.startswith("Beklager")
    assert await bot.store.updates.state_of(f"tg:{api.bot_user['id']}:{poison}") == "quarantined"
    lines = [r.getMessage() for r in caplog.records if f"update {poison} " in r.getMessage()]
    assert len(lines) == 1, lines
    assert "set aside" in lines[0]
    assert "TypeError" in lines[0]
    about = [r for r in caplog.records if str(poison) in r.getMessage()]
    assert all(r.levelno <= logging.WARNING for r in about)
    assert SENTINEL not in caplog.text
