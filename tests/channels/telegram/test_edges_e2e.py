"""The edges people still met (issue #23), tried on Telegram as a person would: the real bot
over HTTP against the fake Bot API."""

from __future__ import annotations

import pytest

from bot.app import Runtime
from bot.channels.telegram.updates import user_key
from bot.conversation import flow
from bot.conversation.session import Session
from tests.channels.telegram.fake_bot_api import FakeBotApi, FakeUser
from tests.conversation.test_long_answers import LIMIT, paste

pytestmark = pytest.mark.slow

GUIDED = "Svar på spørsmålene (ca. 10 min)"


async def to_the_first_theme(person: FakeUser) -> None:
    await person.send("/start")
    await person.wait_for_reply("Hvordan vil du svare?")
    await person.click(GUIDED)
    await person.wait_for_reply("Hvem svarer du for?")
    await person.click("Privatperson")
    await person.wait_for_reply("Hva heter du?")
    await person.send("Kari Nordmann")
    await person.wait_for_reply("Hvilken kommune")
    await person.send("Harstad")
    await person.wait_for_reply("kvittering på e-post")
    await person.click("Nei takk")
    await person.wait_for_reply("Hvilke tema")
    await person.click("Tjenester")
    await person.wait_for_reply("✅")
    await person.click("Ferdig ➡️")
    await person.wait_for_reply("Tema 1 av 1")


async def session(bot: Runtime, person: FakeUser) -> Session:
    found = await bot.service.session_of(user_key(person.id))
    assert found is not None
    return found


async def test_a_paste_split_by_the_app_is_kept_up_to_the_limit_and_nothing_lands_elsewhere(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(2301)
    await to_the_first_theme(kari)
    text = paste(50_000)
    start = kari.mark()
    for offset in range(0, len(text), 4096):  # as Telegram's app sends a long paste
        await kari.send(text[offset : offset + 4096])
    await kari.settle()
    said = "\n".join(r.text for r in kari.replies_since(start))
    assert "Meldingen var for lang" in said
    assert "Legg resten i en fil, og send den med 📎." in said
    now = await session(bot, kari)
    answer = now.answers[flow.theme_step("tjenester")].text
    assert LIMIT - 4096 < len(answer) <= LIMIT
    assert answer.startswith(text[:4096]), "the parts joined in the order they were sent"
    first_question = flow.question_step("q1")
    assert first_question not in now.answers or not now.answers[first_question].text
    assert now.step == first_question


async def test_back_at_an_answer_the_retyped_answer_replaces_it_and_legg_til_adds(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(2302)
    await to_the_first_theme(kari)
    await kari.send("Bussen går for sjelden.")
    await kari.wait_for_reply("Spørsmål 1 av 6")
    await kari.send("/tilbake")
    screen = await kari.wait_for_reply("Skriver du noe nå, erstatter det svaret over.")
    assert "Erstatt svaret" in screen.labels
    assert "Legg til" in screen.labels
    await kari.send("Bussen går for sjelden, særlig om kvelden.")
    await kari.wait_for_reply("Nytt svar lagret ✅")
    theme = flow.theme_step("tjenester")
    assert (await session(bot, kari)).answers[theme].text == (
        "Bussen går for sjelden, særlig om kvelden."
    )

    await kari.send("/tilbake")
    await kari.wait_for_reply("erstatter det svaret over")
    await kari.click("Legg til")
    await kari.wait_for_reply("Skriv det du vil legge til. Det kommer etter svaret du har.")
    await kari.send("Og den er ofte full.")
    await kari.wait_for_reply("Lagt til ✅ Svaret har nå 2 deler.")
    assert (await session(bot, kari)).answers[theme].text == (
        "Bussen går for sjelden, særlig om kvelden.\n\nOg den er ofte full."
    )


async def test_personal_data_only_in_a_document_offers_to_remove_it_not_to_edit_it(
    api: FakeBotApi, bot: Runtime
) -> None:
    lag = api.user(2303)
    await lag.send("/start rask")
    await lag.wait_for_reply("Hvem svarer du for?")
    await lag.click("Privatperson")
    await lag.wait_for_reply("Hva heter du?")
    await lag.send("Kari Nordmann")
    await lag.wait_for_reply("Hvilken kommune")
    await lag.send("Harstad")
    await lag.wait_for_reply("Lim inn innspillet")
    await lag.send("Vi vil ha flere tog mellom byene.")
    await lag.wait_for_reply("Når du trykker «Send inn»")
    naboen = "Naboen min har fødselsnummer 15076500565.".encode()
    await lag.send_document("klage.txt", naboen, "text/plain")
    await lag.wait_for_reply("Når du trykker «Send inn»")
    await lag.click("✅ Send inn")
    question = await lag.wait_for_reply("Dokumentet «klage.txt» ser ut til å inneholde")
    assert "Et dokument kan ikke endres her." in question.text
    assert "Teksten ser ut til" not in question.text
    assert question.labels == ["Send likevel", "Fjern vedlegg: klage.txt"]
    await lag.click("Fjern vedlegg: klage.txt")
    await lag.wait_for_reply("Vedlegget «klage.txt» er fjernet.")
    await lag.wait_for_reply("Når du trykker «Send inn»")
    assert (await session(bot, lag)).attachments == []
    await lag.click("✅ Send inn")
    await lag.wait_for_reply("Referansenummer")


CONTRADICTIONS = (
    "Svarene er lagret",  # nothing is kept for later: it was sent
    "Du har ikke begynt",  # it was begun, and sent
    "Slettet nå: utkastet",  # there was no draft left to delete
    "Alt vi hadde lagret om deg, er slettet",  # a copy was kept, or waits to be delivered
)


async def test_after_sending_and_after_deleting_nothing_says_the_opposite(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(2304)
    await kari.send("/start rask")
    await kari.wait_for_reply("Hvem svarer du for?")
    await kari.click("Privatperson")
    await kari.wait_for_reply("Hva heter du?")
    await kari.send("Kari Nordmann")
    await kari.wait_for_reply("Hvilken kommune")
    await kari.send("Harstad")
    await kari.wait_for_reply("Lim inn innspillet")
    await kari.send("Vi vil ha flere tog mellom byene.")
    await kari.wait_for_reply("Når du trykker «Send inn»")
    await kari.click("✅ Send inn")
    done = await kari.wait_for_reply("Referansenummer")
    reference = done.text.split("Referansenummer: ", 1)[1].split()[0]
    after_sending = kari.mark()
    for command in ("/hjelp", "/tilbake", "/oppsummering"):
        await kari.send(command)
        await kari.wait_for_reply(f"Referansenummer: {reference}")
    await kari.send("/slett")
    await kari.wait_for_reply("Vil du slette alt")
    await kari.click("Ja, slett alt")
    await kari.wait_for_reply("Skriv /start hvis du vil begynne på nytt.")
    said = "\n".join(reply.text for reply in kari.replies_since(after_sending))
    assert "ikke levert til departementet ennå" in said or "Kopien vi hadde" in said
    for contradiction in CONTRADICTIONS:
        assert contradiction not in said
