"""Shared helpers for the mail tests: a real SMTP server on loopback, a TLS certificate,
submissions stored in a real SQLite store, and a clock the tests move by hand.

Not named ``test_*``: it holds no tests, only what the mail tests share.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bot.conversation.session import Session
from bot.conversation.submission import AttachmentInfo, RespondentInfo, Submission, SubmissionAnswer
from bot.mail.headers import message_id_for
from bot.mail.transport import Transport
from bot.storage import NewAttachment, OutboxItem, Store

MAIL_FROM = "Innspill <innspill@innspill.example.no>"
DOMAIN = "innspill.example.no"
MINISTRY = "postmottak@kmd.dep.no"
SUBJECT = "20/6204 - Innspill til strategi for småbyer som regionale kraftsentre"
INBOX_SUBJECT = f"{SUBJECT} – Småbyforeningen i Harstad (Harstad)"
"""What the default :func:`make_submission` reads as in the ministry's inbox list."""
RECEIVED_AT = datetime(2026, 11, 26, 8, 15, tzinfo=UTC)  # 09:15 in Oslo
SMTP_USER = "innspill"
SMTP_PASSWORD = "hemmelig-passord-42"


class Clock:
    """A clock the test moves by hand, so backoff needs no sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


# --- submissions ----------------------------------------------------------------------------


def make_submission(
    reference: str = "SMB-ABCD-EFGH",
    *,
    name: str = "Kari Nordmann",
    organisation: str | None = "Småbyforeningen i Harstad",
    email: str | None = "kari@example.org",
    language: str = "nn",
    answers: list[SubmissionAnswer] | None = None,
    attachments: list[AttachmentInfo] | None = None,
    channel: str | None = "telegram",
) -> Submission:
    """A finished submission as the service stores it (the engine leaves out the channel)."""
    return Submission.model_validate(
        {
            "reference": reference,
            "consultation_id": "smabyer",
            "case_number": "20/6204",
            "title": "Strategi for småbyer som regionale kraftsentre",
            "subject": SUBJECT,
            "recipient": MINISTRY,
            "received_at": RECEIVED_AT,
            "language": language,
            "flow": "guided",
            "channel": channel,
            "respondent": RespondentInfo(
                type_id="organisasjon",
                type_label="Organisasjon eller forening",
                name=name,
                organisation=organisation,
                org_number="123456785",
                board_approved=date(2021, 1, 12),
                municipality_number="5503",
                municipality_name="Harstad",
                county="Troms",
                email=email,
            ),
            "themes": ["Bolig og stedsutvikling", "Samferdsel"],
            "answers": answers
            if answers is not None
            else [
                SubmissionAnswer(
                    key="bolig",
                    kind="theme",
                    heading="Bolig og stedsutvikling",
                    answer="Vi trenger flere utleieboliger.\nSærlig for unge.\n\nOg <b>fortau</b>!",
                ),
                SubmissionAnswer(
                    key="samferdsel",
                    kind="theme",
                    heading="Samferdsel",
                    answer="Flere bussavganger til flyplassen.",
                ),
                SubmissionAnswer(
                    key="kraftsenter",
                    kind="question",
                    heading="Hva gjør byen din til et kraftsenter?",
                    original="Hvilke faktorer bidrar til at småbyer fungerer som regionale "
                    "kraftsentre?",
                    skipped=True,
                ),
            ],
            "attachments": attachments if attachments is not None else [],
        }
    )


@dataclass
class Stored:
    """What :func:`store_submission` wrote."""

    submission: Submission
    documents: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)


async def store_submission(
    store: Store,
    sub: Submission,
    *,
    receipt_to: str | None = None,
    documents: list[tuple[str, str, bytes]] | None = None,
    user_id: str | None = None,
) -> Stored:
    """Store a submission, its documents and its outbox rows the way the service does."""
    user = user_id or f"user-{sub.reference}"
    draft = f"draft-{sub.reference}"
    new_attachments = [
        NewAttachment(
            id=f"{sub.reference}-doc{i}",
            user_id=user,
            draft_id=draft,
            file_name=file_name,
            mime_type=mime_type,
            data=data,
        )
        for i, (file_name, mime_type, data) in enumerate(documents or [])
    ]
    sub = sub.model_copy(
        update={
            "attachments": [
                AttachmentInfo(
                    id=a.id, file_name=a.file_name, mime_type=a.mime_type, size=len(a.data)
                )
                for a in new_attachments
            ]
        }
    )
    session = Session(
        user_id=user,
        consultation_id=sub.consultation_id,
        draft_id=draft,
        lang=sub.language,
        status="submitted",
        reference=sub.reference,
        started_at=sub.received_at - timedelta(minutes=20),
        updated_at=sub.received_at,
    )
    outbox = [
        OutboxItem(
            kind="ministry",
            reference=sub.reference,
            recipient=sub.recipient,
            message_id=message_id_for(sub.reference, "ministry", DOMAIN),
            lang="nb",
        )
    ]
    if receipt_to is not None:
        outbox.append(
            OutboxItem(
                kind="receipt",
                reference=sub.reference,
                recipient=receipt_to,
                message_id=message_id_for(sub.reference, "receipt", DOMAIN),
                lang=sub.language,
            )
        )
    await store.save_step(
        session,
        new_attachments=new_attachments,
        submission=sub,
        submission_user_id=user,
        outbox=outbox,
    )
    return Stored(sub, {a.id: (a.file_name, a.mime_type, a.data) for a in new_attachments})


# --- watching a running worker ----------------------------------------------------------------


class WatchedTransport:
    """Wraps a worker's transport so a test can wait until a message was sent, without polling."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.sent: list[EmailMessage] = []
        self._changed = asyncio.Condition()

    async def send(self, message: EmailMessage) -> None:
        """Send through the real transport, then wake whoever waits for this message."""
        await self.inner.send(message)
        async with self._changed:
            self.sent.append(message)
            self._changed.notify_all()

    async def wait_for(self, message_id_part: str, timeout: float = 10.0) -> EmailMessage:
        """The first sent message whose Message-ID contains ``message_id_part``."""

        def found() -> EmailMessage | None:
            return next((m for m in self.sent if message_id_part in str(m["Message-ID"])), None)

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: found() is not None)
        message = found()
        assert message is not None
        return message


# --- the SMTP server ------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class RecordingHandler:
    """Accepts mail and records it; ``replies`` scripts DATA answers (e.g. "451 ...") first.

    With ``hold=True`` the server keeps every message at DATA until :attr:`release` is set,
    so a test can act while a message is in flight; :attr:`data_started` says one arrived.
    """

    def __init__(self, replies: list[str] | None = None, *, hold: bool = False) -> None:
        self.replies = list(replies or [])
        self.received: list[Received] = []
        self.data_started = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_started.set()
        # The server's own thread: blocking it is what a slow server does.
        if not self.release.wait(timeout=30):
            return "451 4.3.0 the test never released this message"
        if self.replies:
            reply = self.replies.pop(0)
            if not reply.startswith("250"):
                return reply
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                data=envelope.original_content or envelope.content,
                tls=session.ssl is not None,
                authenticated=bool(session.authenticated),
            )
        )
        return "250 2.0.0 Message accepted for delivery"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def smtp_server(
    handler: RecordingHandler, port: int | None = None, **kwargs: Any
) -> Iterator[Controller]:
    """A real aiosmtpd server on 127.0.0.1 (never ``::1``), stopped afterwards."""
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port(), **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    """Accepts only SMTP_USER with SMTP_PASSWORD."""
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@dataclass(frozen=True)
class TlsFiles:
    """A self-signed certificate for 127.0.0.1 and the contexts both sides need."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def make_certificate(folder: Path) -> TlsFiles:
    """Create a self-signed certificate with openssl (``cryptography`` is not installed)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return TlsFiles(cert, key)


def header_names(message: EmailMessage) -> list[str]:
    """The top-level header names, lower-cased, in order."""
    return [name.lower() for name in message]
