"""Whatever a person types reaches the page as text: never as markup, script or a link."""

from __future__ import annotations

import pytest

from tests.channels.web.conftest import WebRig
from tests.channels.web.page_reader import Page

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
]


def assert_inert(page: Page, html: str) -> None:
    """Only our own script, no event handler, no javascript: link, no injected tag."""
    assert page.scripts == [s for s in page.scripts if s.startswith("/static/chat.js")]
    assert not page.event_handlers
    assert not [link for link in page.links if link.strip().lower().startswith("javascript:")]
    assert "<script>alert" not in html
    assert "<img" not in html


@pytest.mark.parametrize("evil", HOSTILE)
async def test_hostile_text_in_every_field_is_shown_as_text(web: WebRig, evil: str) -> None:
    browser = await web.browser()
    await browser.open()
    await browser.press("Svar på spørsmålene")
    await browser.press("Organisasjon")
    # Organisation, organisation number, board date, name, municipality, e-mail: whatever
    # the engine makes of each (an answer, or «try again»), the page shows it as text.
    typed = ["organisasjon", "12", "1.2.2021", "Kari", "Harstad", "@example.no"]
    for text in typed:
        page = await browser.type(evil + " " + text)
        assert_inert(page, browser.html)
    # Whatever the engine made of them, the typed texts are on the page as written.
    assert any(evil in message.text for message in page.messages if not message.from_bot)
    page = await browser.press("Oppsummering") if "Oppsummering" in page.button_labels else page
    assert_inert(page, browser.html)
    page = await browser.upload(evil + ".txt", evil.encode() + b" tekst", "text/plain")
    assert_inert(page, browser.html)


@pytest.mark.parametrize("evil", HOSTILE)
async def test_hostile_answers_and_quick_text_stay_text_on_the_summary(
    web: WebRig, evil: str
) -> None:
    browser = await web.browser()
    await browser.open()
    await browser.press("Svar på spørsmålene")
    await browser.press("Privatperson")
    for text in ("Kari " + evil, "Harstad", "kari@example.no"):
        await browser.type(text)
    await browser.press("Tilgjengelighet")
    await browser.press("Ferdig")
    await browser.type(evil + " svar på temaet")
    page = await browser.press("Hopp over resten")
    assert "Oppsummering" in page.question
    assert evil in page.question
    assert_inert(page, browser.html)
    # The page title names the question; it is escaped there too.
    assert "<script>" not in browser.html.split("<title>", 1)[1].split("</title>", 1)[0]
