"""The outbox worker end to end: real SQLite store, real SMTP server on loopback, hand-moved clock.

What staff must be able to rely on: every submission arrives exactly once with the subject their
archive expects; outages delay mail but never lose it; a crash causes at most one resend, and
that resend carries the same Message-ID.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import threading
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.conversation.submission import Submission, SubmissionAnswer
from bot.i18n.catalogs import gettext_for
from bot.mail.outbox import OutboxWorker, PassReport
from bot.mail.transport import FileTransport, SmtpTransport, Transport
from bot.storage import Store
from tests.mail.support import (
    DOMAIN,
    INBOX_SUBJECT,
    MAIL_FROM,
    MINISTRY,
    RECEIVED_AT,
    SUBJECT,
    Clock,
    RecordingHandler,
    free_port,
    header_names,
    make_submission,
    smtp_server,
    store_submission,
)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40


@pytest.fixture
def clock() -> Clock:
    return Clock(RECEIVED_AT + timedelta(seconds=5))


GONE = f"{socket.gethostname()}:{2**22 + 17}:1"
"""A lease owner on this host whose process does not exist (the bot's killed run)."""


def worker_for(
    store: Store,
    transport: Transport,
    clock: Clock,
    *,
    recipient_override: str | None = None,
    max_attempts: int = 12,
    poll_seconds: float = 60,
    owner: str | None = None,
) -> OutboxWorker:
    return OutboxWorker(
        store,
        transport,
        mail_from=MAIL_FROM,
        recipient_override=recipient_override,
        clock=clock,
        poll_seconds=poll_seconds,
        max_attempts=max_attempts,
        rng=random.Random(1),
        owner=owner,
    )


def smtp(port: int) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", port, security="none", timeout=3)


# --- delivery --------------------------------------------------------------------------------


async def test_a_submission_reaches_the_ministry_and_the_respondent(
    store: Store, clock: Clock
) -> None:
    stored = await store_submission(
        store,
        make_submission(),
        receipt_to="kari@example.org",
        documents=[("Søknad om støtte.pdf", "application/pdf", PDF)],
    )
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        worker = worker_for(store, smtp(server.port), clock)
        assert await worker.run_once() == PassReport(sent=2)
        assert await worker.run_once() == PassReport()  # nothing is sent twice

    assert len(handler.received) == 2
    ministry = next(r for r in handler.received if r.rcpt_tos == [MINISTRY])
    receipt = next(r for r in handler.received if r.rcpt_tos == ["kari@example.org"])
    assert ministry.mail_from == "innspill@innspill.example.no"

    mail = ministry.message
    assert mail["Subject"] == INBOX_SUBJECT
    assert mail["To"] == MINISTRY
    assert mail["Message-ID"] == f"<SMB-ABCD-EFGH.ministry@{DOMAIN}>"
    assert mail["Reply-To"].addresses[0].addr_spec == "kari@example.org"
    plain = mail.get_body(preferencelist=("plain",))
    page = mail.get_body(preferencelist=("html",))
    assert plain is not None
    assert page is not None
    body = plain.get_content()
    assert "Referanse: SMB-ABCD-EFGH" in body
    assert "Mottatt: 26. november 2026 kl. 09:15" in body
    assert body.index("INNSENDER") < body.index("VALGTE TEMA") < body.index("SVAR")
    assert "Og &lt;b&gt;fortau&lt;/b&gt;!" in page.get_content()
    files = {a.get_filename(): a for a in mail.iter_attachments()}
    assert set(files) == {"Søknad om støtte.pdf", "innspill-SMB-ABCD-EFGH.json"}
    assert files["Søknad om støtte.pdf"].get_content() == PDF
    copy = Submission.model_validate(json.loads(files["innspill-SMB-ABCD-EFGH.json"].get_content()))
    assert copy == stored.submission

    receipt_subject = gettext_for("nn").gettext(
        "Kvittering: innspillet ditt er sendt ({reference})"
    )
    assert receipt.message["Subject"] == receipt_subject.format(reference="SMB-ABCD-EFGH")
    assert receipt.message["Message-ID"] == f"<SMB-ABCD-EFGH.receipt@{DOMAIN}>"
    assert [row.status for row in await store.list_outbox()] == ["sent", "sent"]


async def test_recipient_override_catches_every_message(store: Store, clock: Clock) -> None:
    await store_submission(store, make_submission(), receipt_to="kari@example.org")
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        worker = worker_for(
            store, smtp(server.port), clock, recipient_override="staging@innspill.example.no"
        )
        assert await worker.run_once() == PassReport(sent=2)
    assert [r.rcpt_tos for r in handler.received] == [["staging@innspill.example.no"]] * 2
    assert {r.message["To"] for r in handler.received} == {"staging@innspill.example.no"}
    assert {r.message["Subject"] for r in handler.received} >= {INBOX_SUBJECT}


async def test_one_pass_sends_everything_due_in_batches(store: Store, clock: Clock) -> None:
    for i in range(23):
        await store_submission(store, make_submission(f"SMB-TEST-{i:04d}"))
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        worker = OutboxWorker(
            store,
            smtp(server.port),
            mail_from=MAIL_FROM,
            recipient_override=None,
            clock=clock,
            batch_size=10,
        )
        assert await worker.run_once() == PassReport(sent=23)
    assert len({r.message["Message-ID"] for r in handler.received}) == 23


# --- failures --------------------------------------------------------------------------------


async def test_server_down_for_a_while_then_up_delivers_exactly_once(
    store: Store, clock: Clock
) -> None:
    await store_submission(store, make_submission())
    port = free_port()
    worker = worker_for(store, smtp(port), clock)

    for _ in range(3):  # three passes while nothing listens
        assert await worker.run_once() == PassReport(retried=1)
        [row] = await store.list_outbox()
        assert row.status == "pending"
        assert row.next_attempt_at > clock.now
        assert await worker.run_once() == PassReport()  # not due yet: no hammering
        clock.advance(2 * 3600)
    assert row.attempts == 3
    assert row.last_error

    handler = RecordingHandler()
    with smtp_server(handler, port=port):
        assert await worker.run_once() == PassReport(sent=1)
        assert await worker.run_once() == PassReport()
        clock.advance(24 * 3600)
        assert await worker.run_once() == PassReport()
    assert len(handler.received) == 1
    [row] = await store.list_outbox()
    assert row.status == "sent"


async def test_backoff_waits_longer_after_each_failure(store: Store, clock: Clock) -> None:
    await store_submission(store, make_submission())
    worker = OutboxWorker(
        store,
        smtp(free_port()),
        mail_from=MAIL_FROM,
        recipient_override=None,
        clock=clock,
        base_delay=60,
        max_delay=3600,
        rng=random.Random(3),
    )
    waits = []
    for _ in range(7):
        await worker.run_once()
        [row] = await store.list_outbox()
        waits.append((row.next_attempt_at - clock.now).total_seconds())
        clock.now = row.next_attempt_at
    assert all(1 <= wait <= min(3600, 60 * 2**i) for i, wait in enumerate(waits))
    assert max(waits[4:]) > max(waits[:2])


async def test_451_then_250_is_retried_and_delivered_once(store: Store, clock: Clock) -> None:
    await store_submission(store, make_submission())
    handler = RecordingHandler(["451 4.7.1 Greylisted, try again later"])
    with smtp_server(handler) as server:
        worker = worker_for(store, smtp(server.port), clock)
        assert await worker.run_once() == PassReport(retried=1)
        [row] = await store.list_outbox()
        assert row.status == "pending"
        assert row.last_error is not None
        assert "451 4.7.1 Greylisted" in row.last_error
        clock.advance(3600)
        assert await worker.run_once() == PassReport(sent=1)
    assert len(handler.received) == 1


async def test_550_fails_visibly_and_goes_out_after_a_retry_command(
    store: Store, clock: Clock
) -> None:
    await store_submission(store, make_submission())
    handler = RecordingHandler(["550 5.7.1 Message rejected as spam"])
    with smtp_server(handler) as server:
        worker = worker_for(store, smtp(server.port), clock)
        assert await worker.run_once() == PassReport(failed=1)
        [row] = await store.list_outbox()
        assert row.status == "failed"
        assert row.last_error is not None
        assert "550 5.7.1 Message rejected as spam" in row.last_error
        clock.advance(7 * 24 * 3600)
        assert await worker.run_once() == PassReport()  # failed rows wait for a person

        assert await store.retry_outbox(row.id, clock.now)
        assert await worker.run_once() == PassReport(sent=1)
    assert len(handler.received) == 1
    assert [r.status for r in await store.list_outbox()] == ["sent"]


async def test_transient_failures_give_up_after_max_attempts(store: Store, clock: Clock) -> None:
    await store_submission(store, make_submission())
    worker = worker_for(store, smtp(free_port()), clock, max_attempts=3)
    reports = []
    for _ in range(3):
        reports.append(await worker.run_once())
        clock.advance(2 * 3600)
    assert reports == [PassReport(retried=1), PassReport(retried=1), PassReport(failed=1)]
    [row] = await store.list_outbox()
    assert row.status == "failed"
    assert row.last_error is not None
    assert row.last_error.startswith("gave up after 3 attempts")


async def test_deletion_asked_before_delivery_still_delivers_then_erases(
    store: Store, clock: Clock
) -> None:
    await store_submission(store, make_submission(), user_id="u-gone")
    await store.delete_user_data("u-gone")  # kept until delivered, so the ministry still gets it
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        report = await worker_for(store, smtp(server.port), clock).run_once()
    assert report == PassReport(sent=1)
    assert len(handler.received) == 1
    assert await store.get_submission("SMB-ABCD-EFGH") is None  # erased once delivered


class _Crash(BaseException):
    """The process dies: nothing after this point runs."""


class CrashAfterSending:
    """The server accepts the message, then the process dies before recording it."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner

    async def send(self, message: EmailMessage) -> None:
        await self.inner.send(message)
        raise _Crash


async def test_crash_after_the_server_accepted_resends_once_with_the_same_message_id(
    store: Store, clock: Clock
) -> None:
    await store_submission(store, make_submission())
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        with pytest.raises(_Crash):
            await worker_for(store, CrashAfterSending(smtp(server.port)), clock).run_once()
        [row] = await store.list_outbox()
        assert row.status == "sending"

        restarted = worker_for(store, smtp(server.port), clock)
        clock.advance(60)  # within the lease: the row is still taken
        assert await restarted.run_once() == PassReport()
        clock.advance(300)  # the lease has expired
        assert await restarted.run_once() == PassReport(sent=1)
        clock.advance(24 * 3600)
        assert await restarted.run_once() == PassReport()

    assert len(handler.received) == 2
    first, second = (r.message for r in handler.received)
    assert first["Message-ID"] == second["Message-ID"] == f"<SMB-ABCD-EFGH.ministry@{DOMAIN}>"
    assert first["Date"] == second["Date"]
    assert first["Subject"] == second["Subject"] == INBOX_SUBJECT


async def test_a_restarted_bot_sends_at_once_what_its_killed_run_was_sending(
    store: Store, clock: Clock
) -> None:
    # The first run dies while sending; the bot's next run must not hold the submission back
    # for the whole lease (minutes), and still sends it with the same Message-ID.
    await store_submission(store, make_submission())
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        killed = worker_for(store, CrashAfterSending(smtp(server.port)), clock, owner=GONE)
        with pytest.raises(_Crash):
            await killed.run_once()
        clock.advance(5)  # well within the 5-minute lease
        restarted = worker_for(store, smtp(server.port), clock, poll_seconds=0.05)
        await restarted.start()
        try:
            async with asyncio.timeout(10):
                while len(handler.received) < 2:
                    await asyncio.sleep(0.02)
        finally:
            await restarted.stop()
    [row] = await store.list_outbox()
    assert row.status == "sent"
    first, second = (r.message for r in handler.received)
    assert first["Message-ID"] == second["Message-ID"]


async def test_crash_with_file_transport_leaves_one_file(
    store: Store, clock: Clock, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    await store_submission(store, make_submission(), receipt_to="kari@example.org")
    with pytest.raises(_Crash):
        await worker_for(store, CrashAfterSending(FileTransport(outbox)), clock).run_once()
    clock.advance(301)
    assert await worker_for(store, FileTransport(outbox), clock).run_once() == PassReport(sent=2)
    assert sorted(p.name for p in outbox.iterdir()) == [
        f"SMB-ABCD-EFGH.ministry@{DOMAIN}.eml",
        f"SMB-ABCD-EFGH.receipt@{DOMAIN}.eml",
    ]


# --- header injection --------------------------------------------------------------------------

EVIL = "=?utf-8?q?x=0D=0ABcc:_evil@example.org?="
TOP_LEVEL_HEADERS = [
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "x-innspill-reference",
    "reply-to",
    "mime-version",
    "content-type",
]
PART_HEADERS = {"content-type", "content-transfer-encoding", "content-disposition", "mime-version"}


async def test_header_injection_in_every_field_yields_exactly_the_expected_headers(
    store: Store, clock: Clock
) -> None:
    sub = make_submission(
        name="Kari\r\nBcc: evil@example.org\u2028Cc: evil2@example.org " + EVIL,
        organisation="Lag\nTo: evil@example.org\x00\x85",
        email="kari@example.org",
        answers=[
            SubmissionAnswer(
                key="bolig",
                kind="theme",
                heading="Bolig\r\nBcc: evil@example.org",
                answer="Svar\r\nBcc: evil@example.org\r\n\r\n\u2029Subject: evil " + EVIL,
            )
        ],
    )
    await store_submission(
        store,
        sub,
        receipt_to="kari@example.org\r\nBcc: evil@example.org",
        documents=[
            ("evil\r\nBcc: evil@example.org.pdf", "application/pdf\r\nBcc: evil@example.org", PDF),
            (EVIL + ".pdf", "application/pdf", PDF),
            ("\u2028Content-Type: text/html\u2029.txt", "text/plain", b"hei"),
        ],
    )
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        report = await worker_for(store, smtp(server.port), clock).run_once()

    # The receipt address is not an address: that message fails visibly, nobody gets it.
    assert report == PassReport(sent=1, failed=1)
    receipt_row = next(r for r in await store.list_outbox() if r.kind == "receipt")
    assert receipt_row.status == "failed"
    assert receipt_row.last_error is not None
    assert "recipient is not a valid e-mail address" in receipt_row.last_error

    [received] = handler.received
    assert received.rcpt_tos == [MINISTRY]
    mail = received.message
    assert sorted(header_names(mail)) == sorted(TOP_LEVEL_HEADERS)
    assert mail.get_all("To") == [MINISTRY]
    assert mail.get_all("Subject") == [f"{SUBJECT} – Lag To: evil@example.org (Harstad)"]
    [sender] = mail["From"].addresses
    assert sender.addr_spec == "innspill@innspill.example.no"
    assert sender.display_name == "Lag To evil example.org via Innspill"
    reply_to = mail["Reply-To"].addresses
    assert [a.addr_spec for a in reply_to] == ["kari@example.org"]
    assert not any(ch in reply_to[0].display_name for ch in "\r\n\u2028")
    assert "=?" not in reply_to[0].display_name
    for part in mail.walk():
        if part is not mail:
            assert {name.lower() for name in part.keys()} <= PART_HEADERS  # noqa: SIM118
    names = [a.get_filename() or "" for a in mail.iter_attachments()]
    assert len(names) == 4
    for name in names:
        assert not any(ch in name for ch in "\r\n\x00\u2028\u2029")
        assert "=?" not in name
    raw_headers = received.data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    for line in raw_headers.split("\r\n"):
        assert line[:1] in (" ", "\t") or line.split(":", 1)[0].lower() in TOP_LEVEL_HEADERS, line


# --- running in the background -------------------------------------------------------------------


async def wait_for_thread_event(event: threading.Event, timeout: float = 5.0) -> None:
    """Wait for an event the SMTP server's thread sets, without blocking the event loop."""
    assert await asyncio.to_thread(event.wait, timeout), "the server never got the message"


async def test_notify_sends_at_once_and_stop_finishes_the_message_in_flight(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = RecordingHandler(hold=True)
    first_pass_done = asyncio.Event()
    run_once = OutboxWorker.run_once

    async def observed_pass(self: OutboxWorker) -> PassReport:
        report = await run_once(self)
        first_pass_done.set()
        return report

    monkeypatch.setattr(OutboxWorker, "run_once", observed_pass)
    with smtp_server(handler) as server:
        worker = worker_for(store, smtp(server.port), clock, poll_seconds=3600)
        await worker.start()
        await first_pass_done.wait()  # the first pass found nothing; now it sleeps for an hour
        await store_submission(store, make_submission())
        worker.notify()
        await wait_for_thread_event(handler.data_started)
        stopping = asyncio.create_task(worker.stop())  # while the server holds the message
        await asyncio.sleep(0)  # let stop() begin: it now waits for the message in flight
        assert not stopping.done()
        handler.release.set()
        await stopping
        assert len(handler.received) == 1
        [row] = await store.list_outbox()
        assert row.status == "sent"
        await worker.stop()  # stopping twice is harmless
