"""Staff in Telegram, end to end against the fake Bot API, with a clock the test sets.

Admin commands exist only for admins (to anyone else they are unknown commands, and only
admins' chats get them in the menu); the staff group gets a card per submission, an alert per
failed delivery and one digest a day, across restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from bot.app import Runtime, build_telegram
from bot.channels.telegram.application import running
from bot.channels.telegram.updates import AnyApplication
from bot.ops.settings import Settings
from tests.channels.telegram.conftest import FAST, make_settings
from tests.channels.telegram.fake_bot_api import FakeBotApi, FakeUser
from tests.mail.support import smtp_server
from tests.reliability.smtp import ScriptedHandler

ADMIN = 501
STAFF_GROUP = -100_555_000
DIGEST_AT = time(8, 0)
MORNING = datetime(2026, 12, 1, 7, 5, tzinfo=UTC)  # 08:05 Oslo, just after the digest time


class Clock:
    """The time the bot goes by; tests move it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@contextlib.asynccontextmanager
async def staff_bot(
    settings: Settings, api: FakeBotApi, clock: Clock
) -> AsyncIterator[tuple[Runtime, AnyApplication]]:
    """The bot as ``innspill run`` starts it, going by ``clock``."""
    runtime = await Runtime.open(settings, clock=clock)
    app = build_telegram(settings, runtime, options=FAST)
    api.all_handled = app.update_queue.join
    async with running(app, options=FAST):
        yield runtime, app


def staff_settings(tmp_path: Path, api: FakeBotApi, **overrides: Any) -> Settings:
    api.staff_chat(STAFF_GROUP)
    values: dict[str, Any] = {
        "admin_user_ids": [ADMIN],
        "staff_chat_id": STAFF_GROUP,
        "digest_time": DIGEST_AT,
    }
    values.update(overrides)
    return make_settings(tmp_path, api, **values)


def staff_texts(api: FakeBotApi) -> list[str]:
    return [m.text for m in api.outputs(STAFF_GROUP)]


async def send_quick(person: FakeUser, text: str) -> str:
    """A private person sends ``text`` by the quick path; returns the reference."""
    await person.send("/start rask")
    await person.wait_for_reply("Hvem svarer du for?")
    await person.click("Privatperson")
    await person.wait_for_reply("Hva heter du?")
    await person.send("Kari Nordmann")
    await person.wait_for_reply("Hvilken kommune")
    await person.send("Harstad")
    await person.wait_for_reply("Lim inn")
    await person.send(text)
    await person.wait_for_reply("Når du trykker «Send inn»")
    await person.click("✅ Send inn")
    done = await person.wait_for_reply("Referansenummer")
    return done.text.split("Referansenummer: ", 1)[1].split()[0]


async def test_admin_commands_are_unknown_commands_to_everyone_else(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = staff_settings(tmp_path, api, staff_chat_id=None)
    async with staff_bot(settings, api, Clock(MORNING)):
        stranger, curious = api.user(601), api.user(602)
        await stranger.send("/finnesikke")
        unknown = [m.text for m in await stranger.settle()]
        await curious.send("/eksport")
        assert [m.text for m in await curious.settle()] == unknown
        assert "Den kommandoen kjenner jeg ikke" in unknown[0]

        admin = api.user(ADMIN)
        await admin.send("/statistikk")
        assert "Innspill i alt: 0" in (await admin.wait_for_reply("Innspill i alt")).text
        await admin.send("/eksport")
        export = await admin.wait_for_reply("0 innspill")
        assert api.sent_document(ADMIN, export.message_id).startswith(b"PK")  # an XLSX (zip)
        await admin.send("/kompilering")
        compiled = await admin.wait_for_reply("Sammenstilling av 0 innspill")
        assert api.sent_document(ADMIN, compiled.message_id).startswith(b"PK")  # a DOCX

    everyone = [c["command"] for c in api.commands[("all_private_chats", "")]]
    admins = [c["command"] for c in api.commands[(f"chat:{ADMIN}", "")]]
    assert "eksport" not in everyone
    assert {"statistikk", "eksport", "kompilering", "utboks"} <= set(admins)
    assert [scope for scope, _lang in api.commands if scope.startswith("chat:")] == [
        f"chat:{ADMIN}"
    ]


async def test_staff_group_gets_a_card_and_an_alert_and_admins_retry(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # A real SMTP server that refuses the ministry's copy for good, then accepts the retry.
    smtp = ScriptedHandler(script=["5xx"])
    with smtp_server(smtp) as controller:  # type: ignore[arg-type]
        settings = staff_settings(
            tmp_path,
            api,
            mail_transport="smtp",
            smtp_host="127.0.0.1",
            smtp_port=controller.port,
            smtp_security="none",
            outbox_poll_seconds=0.2,
        )
        async with staff_bot(settings, api, Clock(MORNING)) as (runtime, _app):
            mark = len(api.outputs(STAFF_GROUP))
            person = api.user(701)
            reference = await send_quick(person, "Vi trenger flere bussavganger om kvelden.")
            card = await api.wait_for_output(STAFF_GROUP, mark, reference, timeout=5)
            assert "Fra: Kari Nordmann (Privatperson)" in card.text
            assert "Kommune: Harstad" in card.text
            assert "«Vi trenger flere bussavganger om kvelden.»" in card.text
            assert "Mottatt etter fristen" in card.text  # the seed's deadline (2021) has passed

            alert = await api.wait_for_output(STAFF_GROUP, mark, "kunne ikke leveres", timeout=5)
            assert reference in alert.text
            assert "554 5.7.1 Message refused" in alert.text
            told = await person.wait_for_reply("kom dessverre ikke fram")
            assert reference in told.text

            ministry = (await runtime.store.list_outbox("failed"))[0]
            admin = api.user(ADMIN)
            await admin.send("/utboks")
            await admin.wait_for_reply("feilet: 1")
            await admin.click(f"🔁 Prøv igjen #{ministry.id}")
            await admin.settle()
            for _ in range(100):
                if smtp.ministry_mail("bussavganger"):
                    break
                await asyncio.sleep(0.05)
            assert smtp.ministry_mail("bussavganger"), "the retried e-mail never arrived"

    assert sum(reference in text for text in staff_texts(api)) == 2  # one card, one alert


async def test_one_digest_a_day_across_restarts(tmp_path: Path, api: FakeBotApi) -> None:
    settings = staff_settings(tmp_path, api)
    clock = Clock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    async with staff_bot(settings, api, clock):
        await send_quick(api.user(801), "Mer kollektivtrafikk.")
    digests = [t for t in staff_texts(api) if t.startswith("📊")]
    assert len(digests) == 1  # the first start caught up the morning's digest (none that day)

    clock.at = MORNING  # the bot was down at 08:00: the start catches up once
    async with staff_bot(settings, api, clock):
        pass
    clock.at = MORNING.replace(hour=9)
    async with staff_bot(settings, api, clock) as (_runtime, app):
        assert app.job_queue is not None
        daily = app.job_queue.get_jobs_by_name("staff-digest")[0]
        await daily.run(app)  # the daily job firing again the same day sends nothing
    digests = [t for t in staff_texts(api) if t.startswith("📊")]
    assert len(digests) == 2
    assert "Dagens innspill (30.11. 08:00–01.12. 08:00): 1" in digests[1]
    assert api.outputs(STAFF_GROUP)[-1].labels == ["📥 Hent eksporten (Excel)"]

    clock.at = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 08:00 Oslo the next day
    async with staff_bot(settings, api, clock) as (_runtime, app):
        assert app.job_queue is not None
        await app.job_queue.get_jobs_by_name("staff-digest")[0].run(app)
        digest = api.outputs(STAFF_GROUP)[-1]
        colleague = api.group_member(777, group_id=STAFF_GROUP)
        refused = await colleague.click("📥 Hent eksporten (Excel)", message=digest)
        await colleague.settle()
        assert api.callback_answer(refused) == "Bare for administratorer av boten."
        admin = api.group_member(ADMIN, group_id=STAFF_GROUP)
        mark = len(api.outputs(STAFF_GROUP))
        await admin.click("📥 Hent eksporten (Excel)", message=api.outputs(STAFF_GROUP)[-1])
        await api.wait_for_output(STAFF_GROUP, mark, "1 innspill", timeout=10)
    digests = [t for t in staff_texts(api) if t.startswith("📊")]
    assert len(digests) == 3
    assert ": 0" in digests[2]


async def test_the_deep_link_tells_a_closed_consultation_at_0001_oslo_time(
    tmp_path: Path, api: FakeBotApi
) -> None:
    seed = Path(__file__).resolve().parents[3] / "conversations" / "strategi-for-smabyer.toml"
    closed = tmp_path / "closed.toml"
    closed.write_text(
        seed.read_text(encoding="utf-8")
        .replace("deadline = 2021-03-01", "deadline = 2026-12-01")
        .replace('deadline_policy = "late"', 'deadline_policy = "closed"'),
        encoding="utf-8",
    )
    settings = staff_settings(tmp_path, api, staff_chat_id=None, conversation_file=closed)
    clock = Clock(datetime(2026, 12, 1, 22, 59, tzinfo=UTC))  # 23:59 Oslo on the deadline day
    async with staff_bot(settings, api, clock):
        early = api.user(901)
        await early.send("/start rask")
        assert "Det er under 1 time igjen" in (await early.wait_for_reply("Frist")).text
        await early.wait_for_reply("Hvem svarer du for?")

        clock.at = datetime(2026, 12, 1, 23, 1, tzinfo=UTC)  # 00:01 Oslo the next day
        late = api.user(902)
        await late.send("/start rask")
        notice = await late.wait_for_reply("Fristen gikk ut")
        assert "Du kan ikke sende nye innspill lenger" in notice.text
        replies = await late.settle()
        assert not any("Hvem svarer du for?" in m.text for m in replies)


async def test_reminders_and_the_purge_warning_are_sent_once(
    tmp_path: Path, api: FakeBotApi
) -> None:
    seed = Path(__file__).resolve().parents[3] / "conversations" / "strategi-for-smabyer.toml"
    future = tmp_path / "future.toml"
    future.write_text(
        seed.read_text(encoding="utf-8").replace("deadline = 2021-03-01", "deadline = 2026-12-20"),
        encoding="utf-8",
    )
    settings = staff_settings(
        tmp_path, api, staff_chat_id=None, conversation_file=future, draft_retention_days=30
    )
    clock = Clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    kari = api.user(1101, language_code="nn")
    ola = api.user(1102)  # a draft, no reminder asked for
    async with staff_bot(settings, api, clock):
        for person in (kari, ola):
            await person.send("/start rask")
            await person.wait_for_reply("du for?")
            await person.click("Privatperson")
            await person.settle()
        await kari.send("/start")
        await kari.wait_for_reply("Velkomen tilbake")
        await kari.settle()
        await kari.click("🔔 Minn meg på fristen")
        await kari.wait_for_reply("Eg minner deg på fristen")

    def reminders(person: FakeUser) -> list[str]:
        return [m.text for m in api.outputs(person.chat_id) if m.text.startswith("🔔 Fristen")]

    clock.at = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)  # 6.5 days before the deadline ends
    for _restart in range(2):  # the start-up run and the hourly job; then a restart
        async with staff_bot(settings, api, clock) as (_runtime, app):
            assert app.job_queue is not None
            await app.job_queue.get_jobs_by_name("reminders")[0].run(app)
    assert reminders(kari) == [
        "🔔 Fristen for innspel er 20. desember 2026. Det er 6 dagar att, og utkastet ditt er "
        "ikkje sendt enno. Skriv /start for å halde fram."
    ]
    assert reminders(ola) == []

    clock.at = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)  # the deadline day
    async with staff_bot(settings, api, clock):
        pass
    assert len(reminders(kari)) == 2
    assert "Det er 1 dag att" in reminders(kari)[1]

    clock.at = datetime(2026, 12, 30, 13, 0, tzinfo=UTC)  # 29 days untouched: purged tomorrow
    for _restart in range(2):
        async with staff_bot(settings, api, clock):
            pass
    warnings = [m.text for m in api.outputs(ola.chat_id) if "blir det slettet" in m.text]
    assert warnings == [
        "Utkastet ditt er ikke brukt på 29 dager. I morgen blir det slettet. "
        "Skriv /start hvis du vil beholde det."
    ]


async def test_someone_back_after_a_purge_is_told_why_the_draft_is_gone(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = staff_settings(tmp_path, api, staff_chat_id=None, draft_retention_days=30)
    clock = Clock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    kari = api.user(1201, language_code="en")
    async with staff_bot(settings, api, clock):
        await kari.send("/start rask")
        await kari.wait_for_reply("Who are you answering for?")
        await kari.click("Private individual")
        await kari.settle()

    clock.at = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 31 days later: purged at start-up
    async with staff_bot(settings, api, clock):
        await kari.send("/start")
        replies = [m.text for m in await kari.settle()]
        await kari.send("/start")
        again = [m.text for m in await kari.settle()]
    assert replies[0] == (
        "Your draft was deleted because it had not been used for 30 days. "
        "We do not keep unfinished input longer than that. You can start again."
    )
    assert "Strategy for small towns" in replies[1]  # then the welcome
    assert not any("deleted because" in text for text in again)  # told once
