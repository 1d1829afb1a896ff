"""A whole submission in a browser without JavaScript, as a person meets the web chat."""

from __future__ import annotations

from bot.channels.web.server import STATE
from bot.channels.web.visitors import own_key
from bot.conversation.submission import Channel
from bot.mail.compose import compose_ministry_message
from tests.channels.web.conftest import WebRig
from tests.channels.web.page_reader import read_page
from tests.channels.web.plain_browser import PlainBrowser


async def guided_submission(browser: PlainBrowser) -> str:
    """From the welcome to the reference number; returns the page's text at the end."""
    page = await browser.open()
    assert "Hvordan vil du svare?" in page.question
    await browser.press("Svar på spørsmålene")
    assert "Hvem svarer du for?" in browser.page.question
    await browser.press("Privatperson")
    await browser.type("Kari Nordmann")
    await browser.type("Harstad")
    await browser.type("kari@example.no")
    assert "Hvilke tema" in browser.page.question
    await browser.press("Tilgjengelighet")
    assert browser.page.button("Tilgjengelighet")[1].pressed == "true"
    await browser.press("Ferdig")
    await browser.type("Flere bussavganger mellom byen og bygdene.")
    await browser.press("Hopp over resten")
    assert "Oppsummering" in browser.page.question
    await browser.press("Send inn")
    return browser.page.text


async def test_a_person_without_javascript_sends_a_submission(web: WebRig) -> None:
    browser = await web.browser()
    text = await guided_submission(browser)
    assert "Referanse" in text or "referanse" in text
    submissions = await web.store.list_submissions()
    assert len(submissions) == 1
    sent = submissions[0]
    assert sent.channel is Channel.WEB
    assert sent.respondent.name == "Kari Nordmann"
    assert any(a.answer == "Flere bussavganger mellom byen og bygdene." for a in sent.answers)
    mail = compose_ministry_message(sent, [], mail_from="a@b.no", to="c@d.no", message_id="<x@y>")
    plain = mail.get_body(("plain",))
    assert plain is not None
    assert "Dette innspillet kom inn via nettsiden til innspill." in plain.get_content()
    assert sent.reference in text


async def test_every_post_is_answered_with_a_redirect_so_reload_never_resends(
    web: WebRig,
) -> None:
    browser = await web.browser()
    page = await browser.open()
    form, button = page.button("Svar på spørsmålene")
    async with browser.client.post(
        "/valg", data={**form.hidden, button.name: button.value}, allow_redirects=False
    ) as response:
        assert response.status == 303
        assert response.headers["Location"].startswith("/")
    # The same form again (a double click, or the back button): applied once.
    async with browser.client.post(
        "/valg", data={**form.hidden, button.name: button.value}
    ) as response:
        page_after = read_page(await response.text())
    assert [m.text for m in page_after.messages].count("Hvem svarer du for?") == 1
    assert "var sendt allerede" in page_after.problems[0]


async def test_the_quick_path_opens_from_its_link(web: WebRig) -> None:
    browser = await web.browser()
    page = await browser.open("/?rask")
    assert browser.status == 200
    assert "Hvem svarer du for?" in page.question
    await browser.press("Organisasjon")
    await browser.type("Harstad Byforening")
    assert "organisasjonsnummer" in browser.page.question.lower() or browser.page.question


async def test_the_page_greets_a_known_person_again_after_a_restart(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open()
    await browser.press("Svar på spørsmålene")
    await browser.press("Privatperson")
    # A new process knows the person by their cookie, but has no page for them.
    assert browser.cookie is not None
    web.server.app[STATE].transcripts.forget(own_key(browser.cookie))
    page = await browser.open()
    assert "Velkommen tilbake" in page.text
    assert "Hva heter du?" in page.question


async def test_an_empty_answer_is_a_problem_to_fix_not_an_answer(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open()
    await browser.press("Svar på spørsmålene")
    await browser.press("Privatperson")
    page = await browser.type("   ")
    assert page.problems
    assert "Skriv svaret ditt" in page.problems[0]
    assert page.title.startswith("Feil:")
    assert "Hva heter du?" in page.question
    page = await browser.open()
    assert not page.problems  # shown once


async def test_our_script_gets_the_next_page_in_the_answer_to_its_post(web: WebRig) -> None:
    browser = await web.browser()
    page = await browser.open()
    form, button = page.button("Svar på spørsmålene")
    async with browser.client.post(
        "/valg",
        data={**form.hidden, button.name: button.value},
        headers={"X-Requested-With": "fetch"},
        allow_redirects=False,
    ) as response:
        assert response.status == 200
        assert "Hvem svarer du for?" in read_page(await response.text()).question
