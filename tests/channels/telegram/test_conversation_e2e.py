"""The real bot over HTTP against the fake Bot API: what a person on Telegram experiences."""

from __future__ import annotations

import asyncio
import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.app import Runtime
from bot.channels.telegram.updates import user_key
from bot.conversation.capabilities import ANY_CHANNEL
from bot.ops.settings import Settings
from tests.channels.telegram.conftest import run_bot
from tests.channels.telegram.fake_bot_api import FakeBotApi, FakeUser
from tests.mail.support import WatchedTransport

pytestmark = pytest.mark.slow

GUIDED = "Svar på spørsmålene (ca. 10 min)"
STALE = "Den knappen gjelder et tidligere spørsmål"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def start_guided(user: FakeUser, name: str = "Kari Nordmann") -> None:
    """/start, the guided path, private person, and a name: the person is asked for a kommune."""
    await user.send("/start")
    await user.wait_for_reply("Hvordan vil du svare?")
    await user.click(GUIDED)
    await user.wait_for_reply("Hvem svarer du for?")
    await user.click("Privatperson")
    await user.wait_for_reply("Hva heter du?")
    await user.send(name)
    await user.wait_for_reply("Hvilken kommune")


@pytest.fixture
def sent(bot: Runtime) -> WatchedTransport:
    """The running bot's mail transport, watched: a test waits for a message, not a file."""
    watched = WatchedTransport(bot.worker.transport)
    bot.worker.transport = watched
    return watched


async def wait_for_eml(sent: WatchedTransport, folder: Path) -> EmailMessage:
    """The ministry's e-mail as the worker wrote it to the outbox folder."""
    await sent.wait_for(".ministry@")
    [path] = list(folder.glob("*.ministry@*.eml"))
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def test_full_guided_submission_ends_in_an_email_to_the_ministry(
    api: FakeBotApi, settings: Settings, bot: Runtime, sent: WatchedTransport
) -> None:
    kari = api.user(1001)
    await start_guided(kari)
    await kari.send("Harstad")
    await kari.wait_for_reply("Vil du ha en kvittering")
    await kari.click("Nei takk")
    themes = await kari.wait_for_reply("Hvilke tema")
    assert "⬜ Attraktive byer og levende sentrum" in themes.labels

    # "Ferdig" with nothing chosen: the question stays, and so do its buttons.
    await kari.click("Ferdig ➡️")
    await kari.wait_for_reply("Velg minst ett tema")
    assert kari.current(themes).buttons == themes.buttons

    # A toggle edits the theme message in place instead of sending a new one.
    await kari.click("Attraktive byer og levende sentrum")
    toggled = await kari.wait_for_reply()
    assert toggled.kind == "edited"
    assert toggled.message_id == themes.message_id
    assert "✅ Attraktive byer og levende sentrum" in toggled.labels
    await kari.click("Ferdig ➡️")
    await kari.wait_for_reply("Tema 1 av 1")
    # A message came after the themes question («Velg minst ett tema»), so the next question
    # comes as a new message; the answered one keeps what was chosen, without buttons.
    answered = kari.current(themes)
    assert answered.buttons == ()
    assert answered.text.endswith("→ Attraktive byer og levende sentrum")

    # A long answer, and an edit of its first message.
    first = await kari.send("Mer liv i sentrum, med kafeer og butikker.")
    await kari.wait_for_reply("Lagret ✅\n\nSpørsmål 1 av 6")
    await kari.click("➕ Legg til mer på forrige svar")
    await kari.wait_for_reply("Svaret ditt så langt")
    long_part = "\n\n".join(f"Avsnitt {i}: " + "Småbyen trenger folk. " * 20 for i in range(10))
    await kari.send(long_part)
    await kari.wait_for_reply("Svaret har nå 2 deler.\n\nSpørsmål 1 av 6")
    await kari.edit(first, "Mer liv i sentrum, med kafeer, butikker og bibliotek.")
    await kari.wait_for_reply("Jeg har oppdatert svaret ditt")
    await kari.click("Hopp over")
    for number in range(2, 7):
        await kari.wait_for_reply(f"Spørsmål {number} av 6")
        await kari.click("Hopp over")

    # The summary is longer than one Telegram message: it arrives in parts, buttons last.
    summary = await kari.wait_for_reply("Når du trykker «Send inn»")
    shown = kari.replies_since(kari.last_action_mark)
    assert any(r.text.startswith("📋 Oppsummering") for r in shown)
    assert all(len(r.text) <= 4096 for r in shown)
    assert sum("Avsnitt" in r.text for r in shown) >= 2, "the long summary was not split"
    assert summary.buttons

    await kari.click("✅ Send inn")
    done = await kari.wait_for_reply("Referansenummer")
    reference = done.text.split("Referansenummer: ", 1)[1].split()[0]

    mail = await wait_for_eml(sent, settings.outbox_dir)
    assert "Innspill til strategi for småbyer som regionale kraftsentre" in mail["Subject"]
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert reference in text
    assert "butikker og bibliotek" in text  # the edited answer, not the original
    assert "Kari Nordmann" in text

    # The command menu was set in all three languages, for private chats.
    assert set(api.commands) == {
        ("all_private_chats", ""),
        ("all_private_chats", "nn"),
        ("all_private_chats", "en"),
    }
    names = [c["command"] for c in api.commands[("all_private_chats", "")]]
    assert names[:2] == ["start", "hjelp"]
    assert "sprak" in names


async def test_an_association_sends_a_document_by_the_quick_path(
    api: FakeBotApi, settings: Settings, bot: Runtime, sent: WatchedTransport
) -> None:
    lag = api.user(1014, first_name="Kari")
    await lag.send("/start rask")
    await lag.wait_for_reply("Hvem svarer du for?")
    await lag.click("Organisasjon, lag eller forening")
    await lag.wait_for_reply("Hva heter organisasjonen")
    await lag.send("Harstad idrettslag")
    await lag.wait_for_reply("Hva heter du?")
    await lag.send("Kari Nordmann")
    # Telegram's own way to send a document, passed with the event, not set on the service.
    await lag.wait_for_reply("send det som fil med 📎")
    assert bot.service.limits.channel == ANY_CHANNEL
    await lag.send_document("Styrets innspill.pdf", PDF, caption="Vedtatt av styret 12. februar.")
    await lag.wait_for_reply("1 vedlegg mottatt")
    await lag.wait_for_reply("Når du trykker «Send inn»")
    await lag.click("✅ Send inn")
    await lag.wait_for_reply("Referansenummer")

    mail = await wait_for_eml(sent, settings.outbox_dir)
    attachments = {part.get_filename(): part for part in mail.iter_attachments()}
    pdf = next(p for name, p in attachments.items() if name and name.endswith(".pdf"))
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == PDF
    body = mail.get_body(("plain",))
    assert body is not None
    assert "Harstad idrettslag" in body.get_content()
    assert "Vedtatt av styret 12. februar." in body.get_content(), "the caption is part of it"


async def test_resume_after_restart_and_a_repeated_update_is_applied_once(
    api: FakeBotApi, settings: Settings
) -> None:
    kari = api.user(1002)
    async with run_bot(settings):
        await start_guided(kari, name="Kari Nordmann")
        name_update = api.last_update_id()
    # A new Application on the same database. Telegram hands over the name message again,
    # as it does when the bot stopped before confirming it: it must not count twice.
    async with run_bot(settings) as runtime:
        await api.requeue(name_update)
        await api.wait_until_delivered()
        await kari.send("/start")
        await kari.wait_for_reply("Velkommen tilbake")
        await kari.click("Fortsett der jeg var")
        await kari.wait_for_reply("Hvilken kommune")
        session = await runtime.service.session_of(user_key(1002))
        assert session is not None
        assert session.respondent.name == "Kari Nordmann"
        assert session.step == "r.muni"
    outputs = api.outputs(kari.chat_id)
    assert not any("Jeg fant ingen kommune" in o.text for o in outputs)


async def test_an_old_button_pressed_late_changes_nothing(api: FakeBotApi, bot: Runtime) -> None:
    kari = api.user(1003)
    await start_guided(kari)
    municipality_question = kari.last_reply()
    assert municipality_question.labels == ["Hopp over"]
    await kari.send("Harstad")  # typed, so the "Hopp over" button stays on the old question
    await kari.wait_for_reply("Vil du ha en kvittering")

    query = await kari.click("Hopp over", message=municipality_question)
    await kari.wait_for_reply(STALE)
    again = await kari.wait_for_reply("Vil du ha en kvittering")
    assert again.labels == ["Nei takk"]
    assert api.callback_answer(query) is None  # answered (checked by the fixture), no alert
    session = await bot.service.session_of(user_key(1003))
    assert session is not None
    assert session.respondent.municipality == "5503"  # Harstad, still
    assert "r.muni" not in session.skipped
    # The stale keyboard is gone, so it cannot be pressed again.
    assert kari.current(municipality_question).buttons == ()


async def test_a_double_tap_sends_once(api: FakeBotApi, bot: Runtime) -> None:
    kari = api.user(1004)
    await kari.send("/start")
    await kari.wait_for_reply("Hvordan vil du svare?")
    await kari.click(GUIDED)
    await kari.click(GUIDED)  # before the first press was handled: same message, same button
    await kari.wait_for_reply(STALE)
    replies = await kari.settle()
    assert sum("Hvem svarer du for?" in r.text for r in replies) == 2  # asked, then re-shown
    session = await bot.service.session_of(user_key(1004))
    assert session is not None
    assert session.step == "r.type"


async def test_two_people_at_once_keep_their_own_drafts(api: FakeBotApi, bot: Runtime) -> None:
    kari, ola = api.user(1005, first_name="Kari"), api.user(1006, first_name="Ola")
    await asyncio.gather(start_guided(kari, "Kari Nordmann"), start_guided(ola, "Ola Hansen"))
    await kari.send("Harstad")
    await ola.send("Tromsø")
    await kari.wait_for_reply("Kommune: Harstad")
    await ola.wait_for_reply("Kommune: Tromsø")
    sessions = [await bot.service.session_of(user_key(u)) for u in (1005, 1006)]
    assert [s.respondent.name for s in sessions if s] == ["Kari Nordmann", "Ola Hansen"]
    assert all("Tromsø" not in o.text for o in api.outputs(kari.chat_id))
    assert all("Harstad" not in o.text for o in api.outputs(ola.chat_id))


async def test_one_persons_album_wait_does_not_hold_up_anyone_else(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari, ola = api.user(1012), api.user(1013)
    await start_guided(kari)
    await kari.send_album([("a.pdf", PDF, "application/pdf"), ("b.pdf", PDF + b"b", None)])
    await ola.send("/start")  # while Kari's album is still being collected
    await ola.wait_for_reply("Hvordan vil du svare?")
    await kari.wait_for_reply("2 vedlegg mottatt")
    sends = [c for c in api.calls_to("sendMessage") if c.status == 200]
    first_to_ola = next(i for i, c in enumerate(sends) if c.params["chat_id"] == ola.chat_id)
    album_reply = next(i for i, c in enumerate(sends) if "vedlegg mottatt" in c.params["text"])
    assert first_to_ola < album_reply


async def test_a_burst_from_one_person_is_handled_in_order(api: FakeBotApi, bot: Runtime) -> None:
    kari = api.user(1007)
    # Typed quickly, without waiting for any reply; each depends on the one before.
    for text in ("/start", "1", "1", "Kari Nordmann", "Harstad"):
        await kari.send(text)
    await kari.wait_for_reply("Vil du ha en kvittering", since=0)
    await kari.settle()
    texts = [o.text for o in api.outputs(kari.chat_id)]
    order = [
        "Hvordan vil du svare?",
        "Hvem svarer du for?",
        "Hva heter du?",
        "Hvilken kommune",
        "Kommune: Harstad",
        "Vil du ha en kvittering",
    ]
    positions = [next(i for i, t in enumerate(texts) if marker in t) for marker in order]
    assert positions == sorted(positions)
    session = await bot.service.session_of(user_key(1007))
    assert session is not None
    assert session.respondent.name == "Kari Nordmann"
    assert session.respondent.municipality == "5503"


async def test_stickers_photos_and_other_input_get_a_kind_answer(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(1008)
    await start_guided(kari)
    for send, expected in (
        (kari.send_sticker, "klistremerket"),
        (kari.send_photo, "Bilder kan jeg ikke sende videre"),
        (kari.send_voice, "Lydmeldinger"),
        (kari.send_location, "posisjonen"),
        (kari.send_contact, "kontakter"),
        (kari.send_poll, "Det kan jeg ikke ta imot"),
    ):
        await send()
        await kari.wait_for_reply(expected)
        await kari.wait_for_reply("Hvilken kommune")  # and the question again
    session = await bot.service.session_of(user_key(1008))
    assert session is not None
    assert session.step == "r.muni"


async def test_groups_and_channels_are_pointed_to_a_private_chat(
    api: FakeBotApi, bot: Runtime
) -> None:
    ola = api.group_member(1009)
    await ola.send("/start")
    notice = await ola.wait_for_reply("Skriv til meg i en privat melding")
    assert notice.buttons[0][0].url == "https://t.me/innspill_test_bot"
    await ola.send("/start@innspill_test_bot hei")
    await api.channel_post("Nytt fra kommunen")
    await api.wait_until_delivered()
    await ola.settle()
    assert len(api.outputs(ola.chat_id)) == 1, "the group was told once, not on every message"
    assert await bot.service.session_of(user_key(1009)) is None


async def test_album_of_three_documents_is_one_step_with_one_confirmation(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(1010)
    await start_guided(kari)
    mark = kari.mark()
    await kari.send_album(
        [(f"vedlegg-{i}.pdf", PDF + bytes([i]), "application/pdf") for i in (1, 2, 3)]
    )
    await kari.send("Harstad")  # right away: must wait until the album has been handled
    await kari.wait_for_reply("Kommune: Harstad", since=mark)
    await kari.settle()
    replies = kari.replies_since(mark)
    confirmations = [i for i, r in enumerate(replies) if "vedlegg mottatt" in r.text]
    assert len(confirmations) == 1
    assert replies[confirmations[0]].text.startswith("3 vedlegg mottatt")
    municipality = next(i for i, r in enumerate(replies) if "Kommune: Harstad" in r.text)
    assert confirmations[0] < municipality
    assert len(api.calls_to("getFile")) == 3
    session = await bot.service.session_of(user_key(1010))
    assert session is not None
    assert [a.file_name for a in session.attachments] == [
        "vedlegg-1.pdf",
        "vedlegg-2.pdf",
        "vedlegg-3.pdf",
    ]


async def test_too_large_and_wrong_documents_are_refused_clearly(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(1011)
    await start_guided(kari)
    await kari.send_document("stor.pdf", PDF, size=30 * 1024 * 1024)
    await kari.wait_for_reply("«stor.pdf» er for stor")
    assert api.calls_to("getFile") == [], "an oversized file must not be downloaded"
    await kari.send_document("bilde.pdf", b"\x89PNG\r\n\x1a\n" + bytes(64))
    await kari.wait_for_reply("«bilde.pdf» kan jeg ikke ta imot")
    await kari.send_document("innspill.pdf", PDF)
    await kari.wait_for_reply("1 vedlegg mottatt")
