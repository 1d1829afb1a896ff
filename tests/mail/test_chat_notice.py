"""The whole bot on (fake) Telegram: when the ministry's server refuses a submission with 550,
the person reads about it in their chat, and no receipt is ever e-mailed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.mail.notify import failure_notice
from tests.channels.telegram.conftest import TOKEN, make_settings, run_bot
from tests.channels.telegram.fake_bot_api import FakeBotApi
from tests.mail.support import RecordingHandler, smtp_server

pytestmark = pytest.mark.slow


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(TOKEN)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    fake.assert_clean()


async def test_a_refused_submission_is_told_in_the_chat_and_gets_no_receipt(
    api: FakeBotApi, tmp_path: Path
) -> None:
    handler = RecordingHandler(["550 5.7.1 Rejected by policy"])
    with smtp_server(handler) as server:
        settings = make_settings(
            tmp_path,
            api,
            mail_transport="smtp",
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_security="none",
            smtp_timeout=3,
        )
        async with run_bot(settings) as runtime:
            lag = api.user(1501, first_name="Kari")
            await lag.send("/start rask")
            await lag.wait_for_reply("Hvem svarer du for?")
            await lag.click("Organisasjon, lag eller forening")
            await lag.wait_for_reply("Hva heter organisasjonen")
            await lag.send("Harstad Byforening")
            await lag.wait_for_reply("Hva heter du?")
            await lag.send("Kari Nordmann")
            await lag.wait_for_reply("send det som fil med 📎")
            await lag.send("Vi vil ha flere boliger i sentrum.")
            await lag.wait_for_reply("Når du trykker «Send inn»")
            # The quick path asks no e-mail question (#12): the address comes from the summary.
            await lag.click("✏️ Endre noe")
            await lag.wait_for_reply("Hva vil du endre?")
            await lag.click("E-post for kvittering")
            await lag.wait_for_reply("kvittering på e-post")
            await lag.send("post@harstad-byforening.no")
            await lag.wait_for_reply("Når du trykker «Send inn»")
            await lag.click("✅ Send inn")
            done = await lag.wait_for_reply("Referansenummer")
            notice = await lag.wait_for_reply("kom dessverre ikke fram", timeout=15)
            [submission] = await runtime.store.list_submissions()
            statuses = {row.kind: row.status for row in await runtime.store.list_outbox()}

    assert submission.reference in done.text
    assert submission.reference in notice.text
    assert "Du trenger ikke gjøre noe nå" in notice.text
    assert statuses == {"ministry": "failed", "receipt": "failed"}
    assert handler.received == [], "no receipt went out"


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_failure_notice_promises_no_receipt(lang: str) -> None:
    # Receipts may be switched off or refused for the day: the notice must not promise one.
    text = failure_notice("SMB-ABCD-EFGH", lang)
    assert "SMB-ABCD-EFGH" in text
    assert not any(word in text.lower() for word in ("kvittering", "receipt"))
