"""Honest receipts: nobody is told their input arrived unless the ministry's server took it.

Real SQLite files and a real SMTP server (aiosmtpd) on loopback. Also the abuse limits of
issue #11 that belong to mail: receipts per address per day, and the size of the encoded mail.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.context import Limits
from bot.conversation.names import Pick
from bot.conversation.submission import Submission
from bot.i18n.catalogs import gettext_for
from bot.mail.compose import compose_ministry_message
from bot.mail.failures import DeliveryFailure
from bot.mail.notify import ChatNotifier, failure_notice
from bot.mail.outbox import OutboxWorker, PassReport
from bot.mail.transport import SmtpTransport
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store
from tests.conversation.talk import ServiceTalk
from tests.mail.support import (
    MAIL_FROM,
    MINISTRY,
    RECEIVED_AT,
    Clock,
    RecordingHandler,
    make_submission,
    smtp_server,
    store_submission,
)

ROOT = Path(__file__).resolve().parents[2]
REFUSED = "550 5.7.1 Message rejected by policy"


@pytest.fixture(scope="module")
def consultation() -> Consultation:
    return load_consultation(ROOT / "conversations" / "strategi-for-smabyer.toml")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "db.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


class Chat:
    """What the person reads in their chat, recorded (stands in for the Telegram bot)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    async def send(self, user_id: str, text: str) -> None:
        self.messages.append((user_id, text))


def worker(store: Store, port: int, clock: Clock, notifier: ChatNotifier) -> OutboxWorker:
    return OutboxWorker(
        store,
        SmtpTransport("127.0.0.1", port, security="none", timeout=3),
        mail_from=MAIL_FROM,
        recipient_override=None,
        clock=clock,
        rng=random.Random(1),
        notifier=notifier,
    )


# --- the order: ministry first, receipt after -------------------------------------------------


async def test_a_refused_submission_gets_no_receipt_and_the_person_is_told_in_the_chat(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await store_submission(
        store, make_submission(language="nn"), receipt_to="kari@example.org", user_id="tg:42"
    )
    chat, alerts = Chat(), list[DeliveryFailure]()
    notifier = ChatNotifier()
    notifier.attach(chat.send)

    async def staff_alert(failure: DeliveryFailure) -> None:
        alerts.append(failure)

    notifier.add_staff_alert(staff_alert)
    clock = Clock(RECEIVED_AT + timedelta(seconds=5))
    handler = RecordingHandler([REFUSED])
    with caplog.at_level(logging.INFO), smtp_server(handler) as server:
        report = await worker(store, server.port, clock, notifier).run_once()

    assert report == PassReport(failed=1)
    assert handler.received == [], "no receipt for a submission the ministry refused"
    rows = {row.kind: row for row in await store.list_outbox()}
    assert rows["ministry"].status == rows["receipt"].status == "failed"
    assert rows["ministry"].last_error is not None
    assert "550" in rows["ministry"].last_error
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any("SMB-ABCD-EFGH" in r.getMessage() and "550" in r.getMessage() for r in errors)

    # The person is told, in nynorsk, with the reference and what happens next.
    [(user, text)] = chat.messages
    assert user == "tg:42"
    assert text == failure_notice("SMB-ABCD-EFGH", "nn")
    assert "SMB-ABCD-EFGH" in text
    assert "kom dessverre ikkje fram til departementet" in text
    # Staff get the hook the staff chat implements.
    assert [(a.kind, a.reference, a.user_id) for a in alerts] == [
        ("ministry", "SMB-ABCD-EFGH", "tg:42")
    ]

    # Staff retry: the ministry's copy goes first, the receipt only after it was accepted.
    assert await store.retry_outbox(rows["ministry"].id, clock())
    accepting = RecordingHandler()
    with smtp_server(accepting) as server:
        report = await worker(store, server.port, clock, notifier).run_once()
    assert report == PassReport(sent=2)
    assert [r.rcpt_tos for r in accepting.received] == [[MINISTRY], ["kari@example.org"]]
    assert len(chat.messages) == 1


async def test_the_receipt_waits_while_the_ministry_copy_is_retried(store: Store) -> None:
    await store_submission(store, make_submission(), receipt_to="kari@example.org")
    clock = Clock(RECEIVED_AT + timedelta(seconds=5))
    handler = RecordingHandler(["451 4.3.0 try again later"])
    with smtp_server(handler) as server:
        sender = worker(store, server.port, clock, ChatNotifier())
        assert await sender.run_once() == PassReport(retried=1)
        assert handler.received == []
        receipt = next(r for r in await store.list_outbox() if r.kind == "receipt")
        assert receipt.attempts == 0, "the receipt was not even tried"
        assert await store.receipt_is_held(receipt.id)
        clock.advance(3600)
        assert await sender.run_once() == PassReport(sent=2)
    assert [r.rcpt_tos for r in handler.received] == [[MINISTRY], ["kari@example.org"]]


async def test_without_a_chat_the_failure_is_only_logged(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await store_submission(store, make_submission(), user_id="terminal")
    with caplog.at_level(logging.WARNING), smtp_server(RecordingHandler([REFUSED])) as server:
        clock = Clock(RECEIVED_AT)
        assert await worker(store, server.port, clock, ChatNotifier()).run_once() == PassReport(
            failed=1
        )
    assert any("no chat to tell the sender" in r.getMessage() for r in caplog.records)


# --- the operator's command line -------------------------------------------------------------


@pytest.fixture
def smtp_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("TELEGRAM_BOT_TOKEN", "RECIPIENT_OVERRIDE", "SMTP_USER", "SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("MAIL_TRANSPORT", "smtp")
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_SECURITY", "none")
    monkeypatch.setenv("SMTP_TIMEOUT", "3")
    monkeypatch.setenv("MAIL_FROM", MAIL_FROM)
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _stored(db: Path, *submissions: tuple[str, str | None]) -> None:
    async with await Store.open(db) as store:
        for reference, receipt_to in submissions:
            await store_submission(store, make_submission(reference), receipt_to=receipt_to)


def test_outbox_send_ignores_the_backoff_and_accounts_for_every_row(
    smtp_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(
        _stored(
            smtp_env / "db.sqlite3",
            ("SMB-AAAA-0001", "kari@example.org"),
            ("SMB-AAAA-0002", None),
            ("SMB-AAAA-0003", None),
        )
    )
    handler = RecordingHandler(["451 4.3.0 greylisted", "250 ok", REFUSED])
    with smtp_server(handler) as server:
        monkeypatch.setenv("SMTP_PORT", str(server.port))
        assert main(["outbox", "send"]) == 1
        first = capsys.readouterr().out
        # The first row waits out a retry delay; the operator's send does not wait.
        assert main(["outbox", "send"]) == 1
        second = capsys.readouterr().out
        assert main(["outbox", "list"]) == 0
        listing = capsys.readouterr().out

    assert "Sendt nå: 1. Sendt tidligere: 0. Venter fortsatt: 2. Feilet: 1." in first
    assert "venter      1 ministry  SMB-AAAA-0001: " in first
    assert "451" in first
    assert (
        "venter      2 receipt   SMB-AAAA-0001: kvitteringen venter til departementets "
        "server har tatt imot innspillet" in first
    )
    assert "feilet      4 ministry  SMB-AAAA-0003: " in first
    assert "Sendt nå: 2. Sendt tidligere: 1. Venter fortsatt: 0. Feilet: 1." in second
    assert [r.rcpt_tos for r in handler.received] == [
        [MINISTRY],
        [MINISTRY],
        ["kari@example.org"],
    ]
    rows = [line.split()[:2] for line in listing.splitlines()[1:]]
    assert rows[0] == ["4", "failed"], "failed e-mail is listed first"
    assert [status for _id, status in rows[1:]] == ["sent", "sent", "sent"]


# --- #11: receipts per address per day, and the encoded size -----------------------------------


async def submit_quick(service: ConversationService, user: str, email: str) -> str:
    talk = ServiceTalk(service, user)
    await talk.send("/start rask")
    await talk.click("Organisasjon, lag")
    await talk.send("Harstad Idrettslag")
    await talk.send("Per Hansen")
    await talk.send("Et innspill med en lenke: https://phishing.example/logg-inn")
    # The quick path asks no e-mail question (#12): the address is added from the summary.
    await talk.press(flow.SUMMARY, Pick.EDIT)
    await talk.press(flow.EDIT, flow.EMAIL)
    await talk.send(email)
    replies = await service.handle_choice(user, flow.SUMMARY, "send")
    return "\n".join(reply.text for reply in replies.replies)


async def test_receipts_to_one_address_are_limited_per_day_across_restarts(
    consultation: Consultation, tmp_path: Path
) -> None:
    db = tmp_path / "db.sqlite3"
    notice = gettext_for("nb").gettext(
        "Innspillet er sendt, men vi sender ingen kvittering på e-post denne gangen: "
        "den adressen har fått så mange kvitteringer i dag som vi sender. "
        "Ta vare på referansenummeret over."
    )
    async with await Store.open(db) as store:
        service = ConversationService(consultation, store, receipts_per_address_per_day=2)
        for user in ("a", "b"):
            assert notice not in await submit_quick(service, user, "offer@example.org")
        said = await submit_quick(service, "c", "Offer@Example.org")
        assert notice in said
        assert "Du får en kvittering" not in said, "the promise is taken back, not contradicted"
        assert "Referansenummer" in said, "the submission itself went"
        # Another address is not affected.
        assert notice not in await submit_quick(service, "d", "annen@example.org")

    async with await Store.open(db) as store:  # a restart does not reset the count
        service = ConversationService(consultation, store, receipts_per_address_per_day=2)
        assert notice in await submit_quick(service, "e", "offer@example.org")
        rows = await store.list_outbox()
    receipts = [r.recipient for r in rows if r.kind == "receipt"]
    assert receipts == ["offer@example.org", "offer@example.org", "annen@example.org"]
    assert sum(r.kind == "ministry" for r in rows) == 5


async def test_an_upload_that_would_make_the_mail_too_big_is_refused(
    consultation: Consultation, store: Store
) -> None:
    limit = 2 * 1024 * 1024
    service = ConversationService(
        consultation, store, limits=Limits(max_submission_bytes=limit), send_receipts=False
    )
    talk = ServiceTalk(service, "u")
    await talk.send("/start rask")
    await talk.click("Organisasjon, lag")
    await talk.send("Harstad Idrettslag")
    await talk.send("Per Hansen")
    await talk.send("Harstad")
    await talk.send("/hopp")
    # 1.6 MB on disk is under the limit, but over it once base64-encoded in the e-mail.
    big = b"%PDF-1.4\n" + b"x" * 1_600_000
    handled = await service.handle_files("u", [IncomingFile("stor.pdf", None, len(big), big)])
    said = "\n".join(reply.text for reply in handled.replies)
    assert "«stor.pdf» er for stor (1,5 MB). Grensen er 1,4 MB." in said
    session = await service.session_of("u")
    assert session is not None
    assert session.attachments == []

    fits = b"%PDF-1.4\n" + b"x" * 1_400_000
    handled = await service.handle_files("u", [IncomingFile("passer.pdf", None, len(fits), fits)])
    assert "1 vedlegg mottatt: passer.pdf" in "\n".join(r.text for r in handled.replies)
    await service.handle_choice("u", flow.SUMMARY, "send")
    [sub] = await store.list_submissions()
    mail = compose_ministry_message(
        sub,
        [("passer.pdf", "application/pdf", fits)],
        mail_from=MAIL_FROM,
        to=MINISTRY,
        message_id="<x@innspill.example.no>",
    )
    assert len(mail.as_bytes(policy=policy.SMTP)) <= limit


async def test_a_submission_stored_by_the_previous_release_is_still_marked_late(
    consultation: Consultation, store: Store
) -> None:
    # Stored before submissions carried their deadline and template: the worker fills them in.
    old = make_submission().model_dump(mode="json")
    for key in ("deadline", "subject_template"):
        old.pop(key)
    for answer in old["answers"]:
        answer.pop("shown")
    sub = Submission.model_validate(old)
    assert sub.deadline is None
    await store_submission(store, sub.model_copy(update={"consultation_id": consultation.id}))
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        clock = Clock(RECEIVED_AT)
        sender = worker(store, server.port, clock, ChatNotifier())
        sender.consultation = consultation
        assert await sender.run_once() == PassReport(sent=1)
    [mail] = handler.received
    body = mail.message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Mottatt etter fristen (fristen var 1. mars 2021)" in body.get_content()
