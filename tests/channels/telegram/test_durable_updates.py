"""Update keys on every path (deletion too), namespaced by bot, and Telegram's new sequences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram import flood
from bot.channels.telegram.updates import update_keys
from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.service.conversations import ConversationService
from bot.storage import Store
from tests.service.test_conversations import quick_to_input

BOT = "tg:7000001"


@pytest.fixture
def service(consultation: Consultation, store: Store) -> ConversationService:
    return ConversationService(consultation, store)


async def test_a_redelivered_delete_everything_does_not_bring_the_person_back(
    service: ConversationService,
) -> None:
    await quick_to_input(service, "u")
    await service.handle_command("u", "delete", update_key=f"{BOT}:1")
    done = await service.handle_choice("u", flow.DELETE, "yes", update_key=f"{BOT}:2")
    assert "Slettet nå" in done.replies[-1].text
    again = await service.handle_choice("u", flow.DELETE, "yes", update_key=f"{BOT}:2")
    assert again.replies == []
    assert await service.session_of("u") is None


async def test_keys_from_before_the_bot_id_are_renamed_once_the_bot_knows_it(
    tmp_path: Path, service: ConversationService, store: Store
) -> None:
    await service.handle_command("u", "start", update_key="tg:500")
    assert await store.updates.adopt_legacy_keys(BOT) == 1
    assert await store.is_update_processed(f"{BOT}:500")
    assert not await store.is_update_processed("tg:500")
    # Another bot sharing the database has its own updates with the same numbers.
    assert not await store.is_update_processed("tg:7000002:500")
    again = await service.handle_command("u", "start", update_key=f"{BOT}:500")
    assert again.replies == []


async def test_an_id_far_below_the_newest_starts_a_new_sequence(
    service: ConversationService, store: Store
) -> None:
    await service.handle_command("u", "start", update_key=f"{BOT}:12")
    await service.handle_command("u", "status", update_key=f"{BOT}:900000000")
    # Telegram picked a new, lower starting id: update 12 of the new sequence is new.
    handled = await service.handle_command("u", "status", update_key=f"{BOT}:12")
    assert handled.replies
    # ... and its redelivery is recognised again.
    assert (await service.handle_command("u", "status", update_key=f"{BOT}:12")).replies == []
    # A redelivery close below the newest is still a duplicate.
    await service.handle_command("u", "status", update_key=f"{BOT}:13")
    assert (await service.handle_command("u", "status", update_key=f"{BOT}:12")).replies == []


def test_a_joined_text_carries_the_key_of_the_update_it_came_in() -> None:
    def text_update(update_id: int, text: str) -> dict[str, Any]:
        chat = {"id": 5, "type": "private"}
        user = {"id": 5, "is_bot": False, "first_name": "Kari"}
        message = {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": text}
        return {"update_id": update_id, "message": message}

    waiting, later, latest = text_update(10, "a"), text_update(11, "b"), text_update(12, "c")
    assert flood.fold(waiting, later)
    assert flood.fold(waiting, latest)
    assert update_keys(Update.de_json(waiting, None), 1) == [f"tg:1:{n}" for n in (10, 11, 12)]
