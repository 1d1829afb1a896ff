"""What people ran into (issue #12) that needs the service: real documents read for personal
data, the language kept after /slett, and receipts that follow SEND_RECEIPTS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO
from pathlib import Path

import docx
import pytest

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.names import Pick
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store
from tests.conversation.talk import ServiceTalk

FNR = "15076500565"  # a valid test number (checksums), as a person might paste it


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "people.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


async def at_quick_input(service: ConversationService, lang: str = "nb") -> ServiceTalk:
    talk = ServiceTalk(service, "kari", language_code=lang)
    await talk.send("/start rask")
    await talk.press(flow.TYPE, "privatperson")
    await talk.send("Kari")
    await talk.send("Bodø")
    assert (await service.session_of("kari")).step == flow.QUICK  # type: ignore[union-attr]
    return talk


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("klage.txt", f"Naboen min har fødselsnummer {FNR}.".encode()),
        ("klage.docx", docx_bytes(f"Naboen min har fødselsnummer {FNR}.")),
    ],
)
async def test_a_document_with_a_national_id_number_is_warned_about(
    consultation: Consultation, store: Store, name: str, data: bytes
) -> None:
    service = ConversationService(consultation, store)
    talk = await at_quick_input(service)
    await talk.upload(IncomingFile(name, None, len(data), data))
    assert f"«{name}» ser ut til å inneholde personopplysninger: 150765*****" in talk.text
    await talk.press(flow.SUMMARY, Pick.SEND)
    assert "ser ut til å inneholde personopplysninger" in talk.text
    session = await service.session_of("kari")
    assert session is not None
    assert session.step == flow.PERSONAL_DATA, "not sent before the person decides"


async def test_an_ordinary_document_is_sent_without_a_warning(
    consultation: Consultation, store: Store
) -> None:
    service = ConversationService(consultation, store)
    talk = await at_quick_input(service)
    data = docx_bytes("Vi vil ha flere tog mellom byene i regionen.")
    await talk.upload(IncomingFile("plan.docx", None, len(data), data))
    assert "personopplysninger" not in talk.text
    await talk.press(flow.SUMMARY, Pick.SEND)
    assert "Referansenummer" in talk.text


@pytest.mark.parametrize(
    ("lang", "deleted", "next_reply"),
    [
        ("nn", "Alt vi hadde lagra om deg, er sletta.", "Korleis vil du svare?"),
        ("en", "Everything we had stored about you has been deleted.", "How do you want"),
    ],
)
async def test_after_deleting_everything_the_next_reply_keeps_the_language(
    consultation: Consultation, store: Store, lang: str, deleted: str, next_reply: str
) -> None:
    service = ConversationService(consultation, store)
    # A Telegram client in bokmål; the person chose their language in the chat.
    talk = ServiceTalk(service, "tg:7", language_code="nb")
    await talk.send("/start")
    await talk.send(f"/språk {lang}")
    await talk.send("Litt tekst")
    await talk.send("/slett")
    await talk.press(flow.DELETE, Pick.YES)
    assert deleted in talk.text
    assert await service.session_of("tg:7") is None, "nothing about the person is stored"
    await talk.send("/start")
    assert next_reply in talk.text


async def test_without_receipts_only_the_ministry_gets_mail_and_nothing_is_promised(
    consultation: Consultation, store: Store
) -> None:
    service = ConversationService(consultation, store, send_receipts=False)
    talk = await at_quick_input(service)
    await talk.send("Vi vil ha flere tog mellom byene i regionen.")
    await talk.press(flow.SUMMARY, Pick.EDIT)
    await talk.press(flow.EDIT, flow.EMAIL)
    assert "kvittering" not in talk.text
    await talk.send("kari@example.no")
    await talk.press(flow.SUMMARY, Pick.SEND)
    assert "Referansenummer" in talk.text
    assert "kvittering" not in talk.text
