"""Limits: request size before reading, posts per client address, and X-Forwarded-For."""

from __future__ import annotations

import asyncio

from bot.channels.web.throttle import WindowLimit, client_address, trusted_networks
from tests.channels.web.conftest import WebFactory, WebRig


async def raw_request(web: WebRig, head: str) -> str:
    """Send only a request's head (no body) and return the status line of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", web.server.port)
    try:
        writer.write(head.encode())
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=5)
    finally:
        writer.close()
    return status.decode().strip()


async def test_a_post_too_large_is_refused_before_its_body_is_read(web: WebRig) -> None:
    browser = await web.browser()
    await browser.open()
    cookie = f"innspill={browser.cookie}"
    # Claims 2 GB and sends nothing: the answer comes at once, without waiting for the body.
    status = await raw_request(
        web,
        "POST /svar HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Cookie: {cookie}\r\nContent-Length: 2000000000\r\n\r\n",
    )
    assert status.startswith("HTTP/1.1 413")
    status = await raw_request(
        web,
        "POST /svar HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Cookie: {cookie}\r\nContent-Length: 2000000\r\n\r\n",
    )
    assert status.startswith("HTTP/1.1 413"), "a text post is capped well below an upload"
    status = await raw_request(
        web,
        f"POST /svar HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nCookie: {cookie}\r\n\r\n",
    )
    assert status.startswith("HTTP/1.1 411"), "a post must say how long it is"


async def test_an_upload_too_large_is_told_on_the_page(make_web: WebFactory) -> None:
    web = await make_web(max_upload_bytes=1000)
    browser = await web.browser()
    await browser.open()
    await browser.press("Send en ferdig tekst")
    page = await browser.upload("stor.pdf", b"%PDF-1.4\n" + b"x" * 200_000, "application/pdf")
    assert browser.status == 200
    assert "Filen er for stor" in " ".join(page.problems)


async def test_posts_from_one_address_are_limited(make_web: WebFactory) -> None:
    web = await make_web(posts_per_minute=3)
    browser = await web.browser()
    await browser.open()
    for _ in range(3):
        await browser.press("Hjelp")
        assert browser.status == 200
    page = await browser.press("Hjelp")
    assert browser.status == 429
    assert "For mange svar" in page.headings[0]
    assert browser.response_headers.get("Retry-After")


async def test_new_chats_from_one_address_are_limited(make_web: WebFactory) -> None:
    web = await make_web(new_people_per_hour=2)
    for expected in (200, 200, 429):
        browser = await web.browser()
        await browser.open()
        assert browser.status == expected
    stats = await web.store.staff.stats(web.service.consultation.id)
    assert stats["drafts_in_progress"] == 2


async def test_x_forwarded_for_counts_only_from_a_trusted_proxy(make_web: WebFactory) -> None:
    web = await make_web(posts_per_minute=2, trusted_proxies=trusted_networks(["127.0.0.1"]))
    # Behind the proxy, two clients each get their own limit.
    for client in ("198.51.100.7", "198.51.100.8"):
        browser = await web.browser(x_forwarded_for=client)
        await browser.open()
        for _ in range(2):
            await browser.press("Hjelp")
            assert browser.status == 200
    untrusted = await make_web(posts_per_minute=2)
    browser = await untrusted.browser()
    await browser.open()
    for n, client in enumerate(("198.51.100.1", "198.51.100.2", "198.51.100.3")):
        browser.headers = {"X-Forwarded-For": client}
        await browser.press("Hjelp")
        # Not a trusted proxy: the header is ignored and all three count against 127.0.0.1.
        assert browser.status == (200 if n < 2 else 429)


def test_the_client_is_the_last_hop_no_trusted_proxy_vouches_for() -> None:
    trusted = trusted_networks(["10.0.0.0/8", "127.0.0.1"])
    assert client_address("127.0.0.1", "203.0.113.9", trusted) == "203.0.113.9"
    # A client cannot hide behind a forged first entry: the proxies appended the real one.
    assert client_address("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.1.1", trusted) == "203.0.113.9"
    assert client_address("198.51.100.1", "203.0.113.9", trusted) == "198.51.100.1"
    assert client_address("127.0.0.1", "garbage", trusted) == "127.0.0.1"
    assert client_address("127.0.0.1", None, trusted) == "127.0.0.1"


def test_a_window_limit_counts_per_key_and_forgets_after_its_window() -> None:
    now = [0.0]
    limit = WindowLimit(2, 60.0, clock=lambda: now[0])
    assert limit.allow("a")
    assert limit.allow("a")
    assert not limit.allow("a")
    assert limit.allow("b")
    now[0] = 61.0
    assert limit.allow("a")
