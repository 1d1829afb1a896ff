"""«Ja, slett alt» leaves nothing of the person's content: not in the journal, not in the counts.

The sentinel scenario of the reliability suite looks at the database file after a deletion;
these tests look at the two places it cannot tell apart: the journal of fetched updates (which
holds their text until they are handled) and the abuse-limit counts (which must outlive the
deletion, so they may hold only a hash and times).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.consultation.model import Consultation
from bot.service.abuse_limits import AbuseLimits
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store
from tests.conversation.talk import ServiceTalk
from tests.service.test_conversations import PDF, quick_to_input

SENTINEL = "SENTINEL-5d1e8b7a"
SOURCE = "tg:7000001"
KARI, OLA = 4242, 4343
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def message(update_id: int, user: int, text: str) -> tuple[int, str]:
    """A stored text update as the poller keeps it (Telegram's JSON)."""
    sender = {"id": user, "is_bot": False, "first_name": f"Person {user}"}
    body: dict[str, Any] = {
        "message_id": update_id,
        "date": 1_772_366_400,
        "chat": {"id": user, "type": "private"},
        "from": sender,
        "text": text,
    }
    return update_id, json.dumps({"update_id": update_id, "message": body})


def press(update_id: int, user: int) -> tuple[int, str]:
    """A stored button press carrying the message it was on (with the sentinel in it)."""
    sender = {"id": user, "is_bot": False, "first_name": f"Person {user}"}
    shown = {"message_id": 99, "date": 1, "chat": {"id": user, "type": "private"}}
    query = {"id": "q", "from": sender, "chat_instance": "c", "data": "a:delete:yes"}
    query["message"] = {**shown, "text": f"Oppsummering: {SENTINEL}"}
    return update_id, json.dumps({"update_id": update_id, "callback_query": query})


def on_disk(db_path: Path, needle: str) -> int:
    """Occurrences of ``needle`` in the database file and its WAL."""
    files = [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]
    return sum(p.read_bytes().count(needle.encode()) for p in files)


async def test_deletion_forgets_the_persons_stored_updates_up_to_the_request(
    store: Store, db_path: Path
) -> None:
    await store.updates.store_fetched(
        SOURCE,
        [
            message(10, KARI, f"Svaret mitt {SENTINEL}"),
            message(11, OLA, "Ola sitt svar"),
            press(12, KARI),  # «Ja, slett alt»
            message(13, KARI, "Skrevet etter slettingen"),  # not handled yet: must stay
        ],
        NOW,
    )
    assert on_disk(db_path, SENTINEL) > 0, "the check below would prove nothing"

    await store.delete_user_data(f"tg:{KARI}", update_key=f"{SOURCE}:12", at=NOW)

    unfinished = await store.updates.unfinished(SOURCE, NOW)
    left = [json.loads(d)["update_id"] for d in unfinished.fetched]
    assert left == [11, 13]
    assert on_disk(db_path, SENTINEL) == 0


async def test_a_person_without_telegram_updates_is_deleted_as_before(store: Store) -> None:
    await store.updates.store_fetched(SOURCE, [message(10, KARI, "hei")], NOW)
    await store.delete_user_data("terminal:kari", update_key="terminal:1", at=NOW)
    assert len((await store.updates.unfinished(SOURCE, NOW)).fetched) == 1


async def test_the_limit_counts_outlive_a_deletion_without_naming_the_person(
    consultation: Consultation, store: Store, db_path: Path
) -> None:
    user = f"tg:{KARI}"
    service = ConversationService(
        consultation, store, abuse_limits=AbuseLimits(submissions_per_hour=3, uploads_per_hour=1)
    )
    await quick_to_input(service, user)
    pdf = IncomingFile(f"{SENTINEL}.pdf", "application/pdf", len(PDF), PDF)
    await service.handle_files(user, [pdf], update_key=f"{SOURCE}:20")

    talk = ServiceTalk(service, user)
    await talk.send("/slett")
    await talk.click("Ja, slett alt")

    with sqlite3.connect(db_path) as conn:
        counts = conn.execute("SELECT * FROM limit_events").fetchall()
    assert len(counts) == 1, "the upload is still counted"
    assert not any(str(KARI) in str(value) for row in counts for value in row)
    assert on_disk(db_path, SENTINEL) == 0
    # Deleting did not reset the limit: a new draft's upload within the hour is refused.
    await quick_to_input(service, user)
    refused = await service.handle_files(user, [pdf], update_key=f"{SOURCE}:21")
    assert "lastet opp mange dokumenter" in refused.replies[0].text


async def test_deletion_forgets_the_jobs_that_name_the_person(store: Store) -> None:
    person = f"tg:{KARI}"
    keys = [f"remind:{person}:d1:7", f"purged:{person}", f"remind:tg:{KARI}0:d2:7", "card:SMB-1"]
    for key in keys:
        assert await store.jobs.claim(key, NOW)
    await store.delete_user_data(person, update_key=f"{SOURCE}:30", at=NOW)
    assert [await store.jobs.was_sent(k) for k in keys] == [False, False, True, True]


async def test_deletion_forgets_a_reply_a_stop_left_owed_to_the_person(
    store: Store, db_path: Path
) -> None:
    await store.updates.store_fetched(SOURCE, [message(40, KARI, "svar")], NOW)
    await store.record_updates([f"{SOURCE}:40"], NOW)
    owed = json.dumps({"chat": KARI, "lang": "nb", "parts": [[f"Oppsummering {SENTINEL}", None]]})
    assert await store.updates.owe([(f"{SOURCE}:40", owed)], NOW) == 1
    assert on_disk(db_path, SENTINEL) > 0, "the check below would prove nothing"

    await store.delete_user_data(f"tg:{KARI}", update_key=f"{SOURCE}:41", at=NOW)

    assert (await store.updates.unfinished(SOURCE, NOW)).owed == []
    assert on_disk(db_path, SENTINEL) == 0
