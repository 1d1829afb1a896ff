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


async def test_a_full_disk_is_a_temporary_fault_that_keeps_what_was_given(web: WebRig) -> None:
    # SQLite itself refuses to grow the file, as on a full disk (SQLITE_FULL), so the
    # step's transaction fails; nothing is mocked.
    browser = await web.browser()
    await browser.open()
    await browser.press("Svar på spørsmålene")
    await browser.press("Privatperson")
    await browser.type("Kari Nordmann")
    await browser.type("Harstad")
    await browser.press("Nei takk")
    await browser.press("Tjenester")
    await browser.press("Ferdig")
    async with web.store._db.transaction() as db:  # the store's own connection
        # Use up the file's free pages, then let it grow no more: the disk is "full".
        await db.execute("CREATE TABLE filler (x BLOB)")
        await db.execute("INSERT INTO filler VALUES (zeroblob(1000000))")
    async with web.store._db.read() as db:
        row = await (await db.execute("PRAGMA page_count")).fetchone()
        assert row is not None
        await db.execute(f"PRAGMA max_page_count = {row[0]}")
    long_answer = "Legevakten ligger for langt unna. " * 400
    await browser.type(long_answer)
    assert browser.status == 503
    assert browser.page.title.startswith("Midlertidig feil")
    assert "det siste du sendte, er ikke lagret" in browser.html
    assert browser.response_headers.get("Retry-After") == "60"
    async with web.store._db.read() as db:
        await db.execute("PRAGMA max_page_count = 1073741823")
    await browser.open()
    assert "Tema 1 av 1: Tjenester" in browser.page.text  # still at the question, nothing lost
    await browser.type(long_answer)
    assert browser.status == 200
    assert "Lagret ✅" in browser.page.text
