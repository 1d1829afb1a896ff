"""Languages, the pages beside the chat, uploads, and the headers every page carries."""

from __future__ import annotations

import pytest

from tests.channels.web.conftest import WebRig

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_every_response_carries_the_security_headers(web: WebRig) -> None:
    browser = await web.browser()
    for path in ("/", "/personvern", "/tilgjengelighet", "/fortsett", "/slett", "/finnes-ikke"):
        await browser.open(path)
        headers = browser.response_headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Cache-Control"] == "no-store"  # a page may hold someone's answers
        assert browser.page.scripts == [s for s in browser.page.scripts if s.startswith("/static/")]
    assert browser.status == 404
    assert "Fant ikke siden" in browser.page.headings


async def test_our_script_and_style_are_served_from_here_and_cached(web: WebRig) -> None:
    browser = await web.browser()
    page = await browser.open()
    (script,) = page.scripts
    async with browser.client.get(script) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert "immutable" in response.headers["Cache-Control"]
        assert "fetch(" in await response.text()
    async with browser.client.get("/static/../bot/app.py") as response:
        assert response.status == 404


@pytest.mark.parametrize(
    ("accept", "lang", "question"),
    [
        ("nn-NO,nn;q=0.9", "nn", "Korleis vil du svare?"),
        ("en-GB,en;q=0.8", "en", "How do you want to answer?"),
        ("de-DE,de;q=0.9", "nb", "Hvordan vil du svare?"),
        ("de,nb;q=0.5", "nb", "Hvordan vil du svare?"),
    ],
)
async def test_the_page_speaks_the_browsers_language(
    web: WebRig, accept: str, lang: str, question: str
) -> None:
    browser = await web.browser(accept_language=accept)
    page = await browser.open()
    assert page.lang == lang
    assert question in page.question


async def test_the_language_buttons_change_the_conversation_and_html_lang(web: WebRig) -> None:
    browser = await web.browser()
    page = await browser.open()
    assert page.lang == "nb"
    page = await browser.press("Nynorsk")
    assert page.lang == "nn"
    assert page.button("Nynorsk")[1].pressed == "true"
    page = await browser.press("English")
    assert page.lang == "en"
    assert "Send" in page.button_labels


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
async def test_the_statements_are_in_three_languages(web: WebRig, lang: str) -> None:
    browser = await web.browser()
    for path in ("/tilgjengelighet", "/personvern"):
        page = await browser.open(f"{path}?lang={lang}")
        assert page.lang == lang
        assert browser.status == 200
    text = browser.html
    assert {"nb": "informasjonskapsel", "nn": "informasjonskapsel", "en": "cookie"}[lang] in text
    page = await browser.open(f"/tilgjengelighet?lang={lang}")
    assert "WCAG 2.1" in browser.html


async def test_the_privacy_page_speaks_of_the_web_not_telegram(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open()
    page = await browser.type("/personvern")
    assert page.headings[0] == "Personvern"
    assert "Telegram" not in browser.html
    assert "IP-adressen" in browser.html


async def test_a_document_is_checked_by_its_content_as_on_telegram(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open()
    await browser.press("Send en ferdig tekst")
    await browser.press("Privatperson")
    await browser.type("Kari Nordmann")
    page = await browser.upload("innspill.pdf", PDF, "application/pdf")
    assert "innspill.pdf" in page.text
    # A program dressed as a PDF is refused by what it is, not by its name.
    page = await browser.upload("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    assert "virus.pdf" in page.text
    assert any(
        word in page.messages[-1].text.lower() for word in ("kan ikke", "ikke ta imot", "pdf")
    )
    page = await browser.submit("/vedlegg", {}, multipart=True)
    assert "Velg en fil" in " ".join(page.problems)


async def test_health_answers(web: WebRig) -> None:
    browser = await web.browser()
    async with browser.client.get("/helse") as response:
        assert response.status == 200
        assert await response.text() == "ok\n"
