"""Transports against real endpoints: a folder on disk and an aiosmtpd server on loopback."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import make_transport
from bot.mail.compose import compose_ministry_message
from bot.mail.headers import message_id_for
from bot.mail.transport import (
    FileTransport,
    PermanentMailError,
    SmtpTransport,
    TransientMailError,
)
from bot.ops.settings import Settings
from tests.mail.support import (
    INBOX_SUBJECT,
    MAIL_FROM,
    MINISTRY,
    SMTP_PASSWORD,
    SMTP_USER,
    RecordingHandler,
    TlsFiles,
    authenticator,
    free_port,
    make_certificate,
    make_submission,
    smtp_server,
)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def ministry_message(reference: str = "SMB-ABCD-EFGH") -> EmailMessage:
    return compose_ministry_message(
        make_submission(reference),
        [],
        mail_from=MAIL_FROM,
        to=MINISTRY,
        message_id=message_id_for(reference, "ministry", "innspill.example.no"),
    )


# --- files ------------------------------------------------------------------------------------


async def test_file_transport_writes_one_parseable_eml_per_message(tmp_path: Path) -> None:
    outbox = tmp_path / "var" / "outbox"  # created on first use
    transport = FileTransport(outbox)
    await transport.send(ministry_message("SMB-AAAA-AAAA"))
    await transport.send(ministry_message("SMB-BBBB-BBBB"))

    files = sorted(p.name for p in outbox.iterdir())
    assert files == [
        "SMB-AAAA-AAAA.ministry@innspill.example.no.eml",
        "SMB-BBBB-BBBB.ministry@innspill.example.no.eml",
    ]
    parsed = message_from_bytes((outbox / files[0]).read_bytes(), policy=policy.default)
    assert parsed["Subject"] == INBOX_SUBJECT
    assert parsed["To"] == MINISTRY
    assert b"\r\n" in (outbox / files[0]).read_bytes()  # RFC 5322 line endings


async def test_file_transport_resend_overwrites_instead_of_duplicating(tmp_path: Path) -> None:
    transport = FileTransport(tmp_path)
    first = ministry_message()
    await transport.send(first)
    second = ministry_message()
    del second["X-Innspill-Reference"]  # a visibly different second write
    await transport.send(second)

    files = list(tmp_path.iterdir())
    assert [p.name for p in files] == ["SMB-ABCD-EFGH.ministry@innspill.example.no.eml"]
    assert b"X-Innspill-Reference" not in files[0].read_bytes()


async def test_file_transport_reports_a_full_or_broken_disk_as_transient(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(TransientMailError, match="could not write"):
        await FileTransport(blocker).send(ministry_message())


# --- SMTP ------------------------------------------------------------------------------------


async def test_plain_smtp_delivers_to_the_envelope_recipient() -> None:
    handler = RecordingHandler()
    with smtp_server(handler) as server:
        transport = SmtpTransport("127.0.0.1", server.port, security="none", timeout=5)
        await transport.send(ministry_message())
    [received] = handler.received
    assert received.mail_from == "innspill@innspill.example.no"
    assert received.rcpt_tos == [MINISTRY]
    assert received.message["Subject"] == INBOX_SUBJECT
    assert not received.tls


async def test_starttls_and_auth(tls: TlsFiles) -> None:
    handler = RecordingHandler()
    with smtp_server(
        handler,
        tls_context=tls.server_context(),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
    ) as server:
        transport = SmtpTransport(
            "127.0.0.1",
            server.port,
            SMTP_USER,
            SecretStr(SMTP_PASSWORD),
            "starttls",
            timeout=5,
            tls_context=tls.client_context(),
        )
        await transport.send(ministry_message())
    [received] = handler.received
    assert received.tls
    assert received.authenticated


async def test_implicit_tls(tls: TlsFiles) -> None:
    handler = RecordingHandler()
    with smtp_server(handler, ssl_context=tls.server_context()) as server:
        transport = SmtpTransport(
            "127.0.0.1", server.port, security="tls", timeout=5, tls_context=tls.client_context()
        )
        await transport.send(ministry_message())
    assert len(handler.received) == 1


async def test_wrong_password_is_permanent_and_never_echoed(tls: TlsFiles) -> None:
    handler = RecordingHandler()
    wrong = "feil-passord-som-ikke-skal-logges"
    with smtp_server(
        handler,
        tls_context=tls.server_context(),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    ) as server:
        transport = SmtpTransport(
            "127.0.0.1",
            server.port,
            SMTP_USER,
            SecretStr(wrong),
            "starttls",
            timeout=5,
            tls_context=tls.client_context(),
        )
        with pytest.raises(PermanentMailError, match="535") as caught:
            await transport.send(ministry_message())
    assert wrong not in str(caught.value)
    assert wrong not in repr(transport)
    assert handler.received == []


async def test_untrusted_certificate_is_not_accepted(tls: TlsFiles) -> None:
    handler = RecordingHandler()
    with smtp_server(handler, tls_context=tls.server_context(), require_starttls=True) as server:
        transport = SmtpTransport("127.0.0.1", server.port, security="starttls", timeout=5)
        with pytest.raises(TransientMailError):
            await transport.send(ministry_message())
    assert handler.received == []


async def test_server_down_is_transient() -> None:
    transport = SmtpTransport("127.0.0.1", free_port(), security="none", timeout=2)
    with pytest.raises(TransientMailError):
        await transport.send(ministry_message())


async def test_4xx_is_transient_and_5xx_permanent_with_the_servers_words() -> None:
    handler = RecordingHandler(["451 4.3.0 Mailbox temporarily unavailable", "550 5.7.1 Rejected"])
    with smtp_server(handler) as server:
        transport = SmtpTransport("127.0.0.1", server.port, security="none", timeout=5)
        with pytest.raises(
            TransientMailError, match=r"451 4\.3\.0 Mailbox temporarily unavailable"
        ):
            await transport.send(ministry_message())
        with pytest.raises(PermanentMailError, match=r"550 5\.7\.1 Rejected"):
            await transport.send(ministry_message())
        await transport.send(ministry_message())
    assert len(handler.received) == 1


async def test_refused_recipient_is_permanent() -> None:
    class RefusingHandler(RecordingHandler):
        async def handle_RCPT(
            self, server: object, session: object, envelope: object, address: str, options: object
        ) -> str:
            return "550 5.1.1 No such mailbox"

    handler = RefusingHandler()
    with smtp_server(handler) as server:
        transport = SmtpTransport("127.0.0.1", server.port, security="none", timeout=5)
        with pytest.raises(PermanentMailError, match=r"550 5\.1\.1 No such mailbox"):
            await transport.send(ministry_message())


def test_settings_choose_the_transport(tmp_path: Path) -> None:
    files = make_transport(Settings(mail_transport="file", outbox_dir=tmp_path / "out"))
    assert isinstance(files, FileTransport)
    assert files.outbox_dir == tmp_path / "out"
    smtp = make_transport(
        Settings(
            mail_transport="smtp",
            smtp_host="smtp.example.no",
            smtp_port=587,
            smtp_user="bot",
            smtp_password=SecretStr("topphemmelig"),
            smtp_security="starttls",
            smtp_timeout=12,
        )
    )
    assert isinstance(smtp, SmtpTransport)
    assert (smtp.host, smtp.port, smtp.user, smtp.security, smtp.timeout) == (
        "smtp.example.no",
        587,
        "bot",
        "starttls",
        12,
    )
    assert "topphemmelig" not in repr(smtp)


async def test_settings_trust_an_internal_ca_file(
    tls: TlsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = RecordingHandler()
    with smtp_server(handler, ssl_context=tls.server_context()) as server:
        for name, value in {
            "MAIL_TRANSPORT": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(server.port),
            "SMTP_SECURITY": "tls",
            "SMTP_TIMEOUT": "5",
            "SMTP_CA_FILE": str(tls.cert),
        }.items():
            monkeypatch.setenv(name, value)
        transport = make_transport(Settings())
        await transport.send(ministry_message())
    assert len(handler.received) == 1


async def test_file_transport_forgets_the_copies_of_a_deleted_submission(tmp_path: Path) -> None:
    transport = FileTransport(tmp_path)
    kept, gone = ministry_message("SMB-AAAA-AAAA"), ministry_message("SMB-BBBB-BBBB")
    await transport.send(kept)
    await transport.send(gone)
    assert await transport.forget([str(gone["Message-ID"]), "<never-sent@x>"]) == 1
    names = [p.name for p in tmp_path.iterdir()]
    assert names == ["SMB-AAAA-AAAA.ministry@innspill.example.no.eml"]
