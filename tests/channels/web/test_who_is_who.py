"""Who is who: the cookie, CSRF tokens on every form, and resume codes on another device."""

from __future__ import annotations

import re

from bot.channels.web.visitors import code_hash, normal_code, resume_code
from tests.channels.web.conftest import WebFactory, WebRig


async def sessions(web: WebRig) -> int:
    stats = await web.store.staff.stats(web.service.consultation.id)
    return int(stats["drafts_in_progress"])


async def test_the_cookie_is_random_http_only_and_lax(web: WebRig) -> None:
    first, second = await web.browser(), await web.browser()
    await first.open()
    await second.open()
    cookie = first.response_headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    assert first.cookie
    assert second.cookie
    assert first.cookie != second.cookie
    assert len(first.cookie) >= 43  # 32 random bytes


async def test_the_cookie_is_secure_behind_https(make_web: WebFactory) -> None:
    web = await make_web(public_url="https://innspill.example.no/")
    browser = await web.browser()
    await browser.open()
    assert "Secure" in browser.response_headers["Set-Cookie"]


async def test_an_embeddable_chat_sends_its_cookie_inside_the_frame(make_web: WebFactory) -> None:
    web = await make_web(
        public_url="https://innspill.example.no/", embed_origins=("https://kommune.example",)
    )
    browser = await web.browser()
    await browser.open()
    cookie = browser.response_headers["Set-Cookie"]
    assert "SameSite=None" in cookie
    assert "Secure" in cookie
    assert "Partitioned" in cookie
    policy = browser.response_headers["Content-Security-Policy"]
    assert "frame-ancestors https://kommune.example" in policy
    assert "X-Frame-Options" not in browser.response_headers


async def test_every_form_carries_the_csrf_token(web: WebRig) -> None:
    browser = await web.browser()
    page = await browser.open()
    posting = [form for form in page.forms if form.method == "post"]
    assert len(posting) >= 4
    tokens = {form.hidden.get("csrf") for form in posting}
    assert len(tokens) == 1
    assert None not in tokens
    assert "" not in tokens


async def test_a_post_without_cookie_or_token_changes_nothing(web: WebRig) -> None:
    browser = await web.browser()
    page = await browser.open()
    form, button = page.button("Svar på spørsmålene")
    before = await sessions(web)
    stranger = await web.browser()
    # No cookie at all, but the victim's whole form.
    async with stranger.client.post("/valg", data={**form.hidden, button.name: button.value}) as r:
        assert r.status == 403
    # The victim's cookie, but no token / a wrong one.
    for csrf in ("", "x" * 24, None):
        data = {**form.hidden, button.name: button.value, "csrf": csrf}
        if csrf is None:
            del data["csrf"]
        async with browser.client.post("/valg", data=data) as r:
            assert r.status == 403
            assert "Ingenting ble lagret" in await r.text()
    # Another visitor's valid token with the victim's cookie.
    await stranger.open()
    other = stranger.page.form("/valg").hidden["csrf"]
    async with browser.client.post(
        "/valg", data={**form.hidden, button.name: button.value, "csrf": other}
    ) as r:
        assert r.status == 403
    page = await browser.open()
    assert "Hvordan vil du svare?" in page.question  # nothing moved
    assert await sessions(web) == before + 1  # only the stranger's own visit


async def test_a_resume_code_continues_the_draft_on_another_device(web: WebRig) -> None:
    phone = await web.browser()
    await phone.open()
    await phone.press("Svar på spørsmålene")
    page = await phone.press("Privatperson")
    shown = re.search(r"[2-9A-Z]{5}-[2-9A-Z]{5}", phone.html)
    assert shown is not None, "the page shows the resume code once the person has begun"
    code = shown.group(0)
    assert phone.cookie is not None
    assert code == resume_code(phone.cookie)
    assert "Hva heter du?" in page.question

    laptop = await web.browser()
    await laptop.open("/fortsett")
    page = await laptop.submit("/fortsett", {"kode": code.lower().replace("-", " ")})
    assert "Privatperson" in page.text  # the conversation so far, as on the phone
    assert "Hva heter du?" in page.question
    await laptop.type("Kari fra laptopen")
    page = await phone.open()
    assert "Kari fra laptopen" in page.text  # one person, two devices


async def test_wrong_resume_codes_are_limited_per_address(make_web: WebFactory) -> None:
    web = await make_web(resume_attempts_per_hour=3)
    guesser = await web.browser()
    await guesser.open("/fortsett")
    for _ in range(3):
        page = await guesser.submit("/fortsett", {"kode": "ABCDE-FGHJK"})
        assert guesser.status == 200
        assert "Vi fant ikke den koden" in " ".join(page.problems)
    page = await guesser.submit("/fortsett", {"kode": "ABCDE-FGHJK"})
    assert guesser.status == 429
    assert "for mange koder" in " ".join(page.problems)


def test_a_code_is_read_the_way_people_type_it() -> None:
    assert normal_code("abcde fghjk") == "ABCDE-FGHJK"
    assert normal_code(" ABCDE–FGHJK ") == "ABCDE-FGHJK"
    assert normal_code("ABCDE-FGHJ") is None  # too short
    assert normal_code("ABCDE-FGHJ0") is None  # 0 is never in a code (mistaken for O)
    codes = {resume_code(f"token-{n}") for n in range(2000)}
    assert len(codes) == 2000
    assert all(normal_code(code) == code for code in codes)


async def test_deleting_everything_forgets_the_page_and_the_code(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open()
    await browser.press("Svar på spørsmålene")
    await browser.press("Privatperson")
    await browser.type("Kari Nordmann")
    assert browser.cookie is not None
    code = resume_code(browser.cookie)
    page = await browser.open("/slett")
    assert page.headings[0] == "Slett alt om meg"
    page = await browser.press("Slett alt om meg")
    assert "slette alt" in page.question
    page = await browser.press("Ja")
    assert "Kari Nordmann" not in page.text
    assert await sessions(web) == 0
    assert await web.store.web.code_owner(code_hash(code)) is None
