"""The service with a real SQLite file: durability, ordering, dedupe, documents, deletion."""

from __future__ import annotations

import asyncio
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store
from tests.conversation.talk import ServiceTalk

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def service(consultation: Consultation, store: Store) -> ConversationService:
    return ConversationService(consultation, store)


async def quick_to_input(service: ConversationService, user: str) -> ServiceTalk:
    talk = ServiceTalk(service, user)
    await talk.send("/start rask")
    await talk.click("Organisasjon, lag")
    await talk.send("Harstad Idrettslag")
    await talk.send("Per Hansen")
    return talk


async def test_every_answer_survives_a_restart(consultation: Consultation, tmp_path: Path) -> None:
    path = tmp_path / "restart.sqlite3"
    async with await Store.open(path) as first:
        service = ConversationService(consultation, first)
        await service.handle_command("u", "start")
        await service.handle_choice("u", flow.START, "guided")
        await service.handle_choice("u", flow.TYPE, "privatperson")
        await service.handle_text("u", "Kari Nordmann")
    async with await Store.open(path) as second:
        service = ConversationService(consultation, second)
        session = await service.session_of("u")
        assert session is not None
        assert session.respondent.name == "Kari Nordmann"
        assert session.step == flow.MUNICIPALITY
        handled = await service.handle_command("u", "start")
        assert "Velkommen tilbake" in handled.replies[0].text


async def test_a_repeated_update_is_handled_once(service: ConversationService) -> None:
    await service.handle_command("u", "start", update_key="tg:1")
    first = await service.handle_choice("u", flow.START, "guided", update_key="tg:2")
    again = await service.handle_choice("u", flow.START, "guided", update_key="tg:2")
    assert first.replies
    assert again.replies == []
    session = await service.session_of("u")
    assert session is not None
    assert session.step == flow.TYPE


async def test_one_persons_burst_is_processed_in_order(service: ConversationService) -> None:
    await service.handle_command("u", "start")
    await service.handle_choice("u", flow.START, "guided")
    await service.handle_choice("u", flow.TYPE, "privatperson")
    await service.handle_text("u", "Kari")
    await service.handle_text("u", "Bodø")
    await service.handle_command("u", "skip")  # no e-mail
    await service.handle_command("u", "skip")  # no themes: on to question 1
    parts = [f"del {i}" for i in range(20)]
    # Sent in a burst (as an app splits a long text): each follows the one before it.
    await asyncio.gather(
        *(
            service.handle_text("u", p, message_ref=str(100 + i), follows_ref=str(99 + i))
            for i, p in enumerate(parts)
        )
    )
    session = await service.session_of("u")
    assert session is not None
    assert [p.text for p in session.answers["q.q1"].parts] == parts


async def test_two_people_do_not_mix(service: ConversationService) -> None:
    await asyncio.gather(quick_to_input(service, "a"), quick_to_input(service, "b"))
    await service.handle_text("a", "Innspill fra A.")
    await service.handle_text("b", "Innspill fra B.")
    a, b = await service.session_of("a"), await service.session_of("b")
    assert a is not None
    assert b is not None
    assert a.answers["quick"].text == "Innspill fra A."
    assert b.answers["quick"].text == "Innspill fra B."


async def test_submission_and_its_mail_are_stored_together(
    service: ConversationService, store: Store
) -> None:
    await quick_to_input(service, "u")
    await service.handle_files("u", [IncomingFile("vedtak.pdf", "application/pdf", len(PDF), PDF)])
    handled = await service.handle_choice("u", flow.SUMMARY, "send")
    assert "Referansenummer" in handled.replies[-1].text
    (submission,) = await store.list_submissions()
    assert submission.respondent.organisation == "Harstad Idrettslag"
    assert [a.file_name for a in submission.attachments] == ["vedtak.pdf"]
    stored = await store.attachment(submission.attachments[0].id)
    assert stored is not None
    assert stored[2] == PDF
    rows = await store.list_outbox()
    assert [(r.kind, r.recipient, r.status) for r in rows] == [
        ("ministry", "postmottak@kmd.dep.no", "pending")
    ]


async def test_receipt_is_queued_when_the_person_gave_an_email(
    service: ConversationService, store: Store
) -> None:
    await quick_to_input(service, "u")
    await service.handle_text("u", "Innspill.")
    await service.handle_choice("u", flow.SUMMARY, "edit")
    await service.handle_choice("u", flow.EDIT, flow.EMAIL)
    await service.handle_text("u", "per@example.no")
    await service.handle_choice("u", flow.SUMMARY, "send")
    kinds = {(r.kind, r.recipient) for r in await store.list_outbox()}
    assert kinds == {("ministry", "postmottak@kmd.dep.no"), ("receipt", "per@example.no")}


def docx_bytes() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


async def test_file_type_is_checked_by_content_not_name(
    service: ConversationService, store: Store
) -> None:
    await quick_to_input(service, "u")
    png_named_pdf = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    handled = await service.handle_files(
        "u",
        [
            IncomingFile("bilde.pdf", "application/pdf", len(png_named_pdf), png_named_pdf),
            IncomingFile("notat", None, 0, docx_bytes()),
        ],
    )
    text = "\n".join(r.text for r in handled.replies)
    assert "«bilde.pdf» kan jeg ikke ta imot" in text
    assert "1 vedlegg mottatt: notat.docx" in text
    session = await service.session_of("u")
    assert session is not None
    assert [a.mime_type for a in session.attachments] == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ]


async def test_removed_attachment_is_deleted_from_storage(
    service: ConversationService, store: Store
) -> None:
    await quick_to_input(service, "u")
    await service.handle_files("u", [IncomingFile("a.pdf", None, len(PDF), PDF)])
    session = await service.session_of("u")
    assert session is not None
    attachment_id = session.attachments[0].id
    await service.handle_choice("u", flow.SUMMARY, "edit")
    await service.handle_choice("u", flow.EDIT, "rm-0")
    assert await store.attachment(attachment_id) is None


async def test_delete_everything_leaves_nothing_about_the_person(
    service: ConversationService, store: Store
) -> None:
    await quick_to_input(service, "u")
    await service.handle_text("u", "Et særegent svar som skal bort.")
    await service.handle_command("u", "delete")
    handled = await service.handle_choice("u", flow.DELETE, "yes")
    assert "Slettet nå" in handled.replies[-1].text
    assert await service.session_of("u") is None


async def test_deleting_says_what_is_gone_now_and_what_goes_after_delivery(
    service: ConversationService, store: Store
) -> None:
    talk = await quick_to_input(service, "u")
    await talk.send("Et innspill som venter på å bli levert.")
    await talk.click("send inn")
    assert (await store.list_submissions())[0].reference
    await talk.send("/slett")
    await talk.click("Ja, slett alt")
    said = talk.text
    assert "utkastet" not in said, "there was no draft after sending: none is said to be gone"
    assert "ikke levert til departementet ennå" in said
    assert "sletter kopien vår så snart det er sendt" in said
    assert "Alt annet vi hadde lagret om deg, er slettet." in said
    assert "Alt vi hadde lagret" not in said, "nothing is said to be gone that is still here"


async def test_language_comes_from_the_telegram_code(service: ConversationService) -> None:
    await service.handle_command("nn-user", "start", language_code="nn-NO")
    assert await service.language_of("nn-user") == "nn"
    await service.handle_command("de-user", "start", language_code="de")
    assert await service.language_of("de-user") == "nb"


async def test_an_album_redelivered_in_part_is_not_stored_twice(
    service: ConversationService,
) -> None:
    await quick_to_input(service, "u")
    album = [IncomingFile(f"del{i}.pdf", None, len(PDF), PDF) for i in range(3)]
    handled = await service.handle_files("u", album, update_key=["tg:10", "tg:11", "tg:12"])
    assert "3 vedlegg mottatt" in handled.replies[0].text
    again = await service.handle_files("u", album[2:], update_key="tg:12")
    assert again.replies == []
    session = await service.session_of("u")
    assert session is not None
    assert len(session.attachments) == 3


async def test_the_service_says_whether_a_pressed_keyboard_is_still_current(
    service: ConversationService,
) -> None:
    kari = ServiceTalk(service, "u")
    await kari.send("/start")
    await kari.click("Svar på spørsmålene")
    await kari.click("Privatperson")
    await kari.send("Kari Nordmann")
    await kari.send("Harstad")
    await kari.click("Nei takk")
    await kari.click("Næringsutvikling")
    assert kari.handled.keyboard_is_current  # the theme menu is updated in place
    await kari.press(flow.TYPE, "kommune")
    assert "tidligere spørsmål" in kari.text
    assert not kari.handled.keyboard_is_current
    await kari.send("hei")
    assert not kari.handled.keyboard_is_current
