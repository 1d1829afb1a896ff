"""What storage keeps for staff (issue #21): a document's text while the submission lives,
and, once its sender deletes a delivered submission, only its reference, time and channel."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store
from tests.service.test_conversations import quick_to_input
from tests.storage.test_deletion import on_disk

SENTINEL = "SENTINEL-6c2f0e19"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PERSON = "tg:4242"


async def send_document(c: Consultation, store: Store) -> tuple[ConversationService, bytes]:
    service = ConversationService(c, store, clock=lambda: NOW, send_receipts=False)
    await quick_to_input(service, PERSON)
    data = f"Innspill fra idrettslaget. {SENTINEL}".encode()
    await service.handle_files(PERSON, [IncomingFile("innspill.txt", None, len(data), data)])
    await service.handle_choice(PERSON, flow.SUMMARY, "send")
    assert len(await store.list_submissions(c.id)) == 1
    return service, data


async def test_a_documents_text_and_checksum_are_kept_with_the_submission(
    c: Consultation, store: Store
) -> None:
    _, data = await send_document(c, store)
    documents = await store.staff.stored_documents(c.id)
    [kept] = documents.values()
    assert kept.text is not None
    assert SENTINEL in kept.text
    assert kept.text_state == "read"
    assert kept.sha256 == hashlib.sha256(data).hexdigest()
    assert await store.staff.channels(c.id) == {
        (await store.list_submissions(c.id))[0].reference: "telegram"
    }


async def test_deleting_a_delivered_submission_keeps_only_when_and_how_it_came(
    c: Consultation, store: Store, db_path: Path
) -> None:
    _service, _ = await send_document(c, store)
    [sub] = await store.list_submissions(c.id)
    [ministry] = [row for row in await store.list_outbox() if row.kind == "ministry"]
    await store.mark_outbox_sent(ministry.id, NOW)

    report = await store.delete_user_data(PERSON)
    assert report.submissions == 1
    assert report.message_ids == (ministry.message_id,), "so our .eml copy can go too"
    assert await store.list_submissions(c.id) == []
    assert await store.staff.stored_documents(c.id) == {}
    [erased] = await store.staff.erased_submissions(c.id)
    assert (erased.reference, erased.received_at, erased.channel) == (
        sub.reference,
        sub.received_at,
        "telegram",
    )
    stats = await store.staff.stats(c.id)
    assert stats["submissions"] == 1
    assert stats["erased_after_delivery"] == 1
    assert stats["by_respondent_type"] == {}, "nothing else of it is kept"
    assert on_disk(db_path, SENTINEL) == 0, "the document's text left the disk with it"


async def test_a_submission_never_delivered_leaves_no_row_when_deleted(
    c: Consultation, store: Store
) -> None:
    await send_document(c, store)
    [ministry] = [row for row in await store.list_outbox() if row.kind == "ministry"]
    await store.mark_outbox_failed(ministry.id, "550 no such mailbox")
    await store.delete_user_data(PERSON)
    assert await store.staff.erased_submissions(c.id) == [], "the ministry never got it"
    assert (await store.staff.stats(c.id))["submissions"] == 0


async def test_deletion_while_waiting_for_delivery_leaves_the_row_once_it_is_sent(
    c: Consultation, store: Store
) -> None:
    await send_document(c, store)
    report = await store.delete_user_data(PERSON)
    assert report.pending_deliveries == 1
    assert report.message_ids == ()
    [ministry] = [row for row in await store.list_outbox() if row.kind == "ministry"]
    erased_ids = await store.mark_outbox_sent(ministry.id, NOW)
    assert erased_ids == (ministry.message_id,)
    assert len(await store.staff.erased_submissions(c.id)) == 1
