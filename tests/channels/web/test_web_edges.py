"""The edges people still met (issue #23), tried on the web chat: it says how a document is
sent there, and a retyped answer replaces the old one as in the other channels."""

from __future__ import annotations

from tests.channels.web.conftest import WebRig


async def test_the_quick_path_says_to_choose_a_file_here(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open("/?rask")
    await browser.press("Privatperson")
    await browser.type("Kari Nordmann")
    await browser.type("Harstad")
    text = browser.page.text
    assert "Lim inn innspillet ditt her, eller velg en fil (PDF, Word, ODT eller tekst)." in text
    assert "📎" not in text
    assert "/vedlegg" not in text


async def test_back_at_an_answer_the_retyped_answer_replaces_it(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open()
    await browser.press("Svar på spørsmålene")
    await browser.press("Privatperson")
    await browser.type("Kari Nordmann")
    await browser.type("Harstad")
    await browser.press("Nei takk")
    await browser.press("Tjenester")
    await browser.press("Ferdig")
    await browser.type("Bussen går for sjelden.")
    await browser.type("/tilbake")
    assert "Skriver du noe nå, erstatter det svaret over." in browser.page.text
    await browser.type("Bussen går for sjelden, særlig om kvelden.")
    assert "Nytt svar lagret ✅" in browser.page.text
    await browser.type("/oppsummering")
    summary = browser.page.text
    assert "Bussen går for sjelden, særlig om kvelden." in summary
