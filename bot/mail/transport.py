"""Hand a finished message to the world: as an ``.eml`` file or to an SMTP server.

A transport either returns (the message is accepted and will not be sent again) or raises
:class:`TransientMailError` (try again later) or :class:`PermanentMailError` (a person must
look). The outbox worker decides what to do with each; transports never retry on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import ssl
import tempfile
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Literal, Protocol

import aiosmtplib
from pydantic import SecretStr

SmtpSecurity = Literal["none", "starttls", "tls"]


class TransientMailError(Exception):
    """Delivery failed for now (server down, timeout, 4xx); the same message may be retried."""


class PermanentMailError(Exception):
    """The server refused the message for good (5xx); retrying without a change will not help."""


class Transport(Protocol):
    """Something that delivers one message or raises one of the two errors above."""

    async def send(self, message: EmailMessage) -> None:
        """Deliver ``message``; return only once it has been accepted."""
        ...


_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._@+-]")


def eml_file_name(message: EmailMessage) -> str:
    """The file name for ``message``: its Message-ID, made safe for any file system.

    Naming the file after the fixed Message-ID means a resend overwrites the earlier file
    instead of leaving a duplicate for staff to find.
    """
    name = _file_stem(str(message.get("Message-ID", "")))
    if not name:
        raise PermanentMailError("the message has no Message-ID to name its file after")
    return f"{name}.eml"


def _file_stem(message_id: str) -> str:
    return _UNSAFE_FILE_CHARS.sub("_", message_id.strip().strip("<>")).strip("._")[:200]


class FileTransport:
    """Writes each message as an RFC 5322 ``.eml`` file into a folder (the default transport)."""

    def __init__(self, outbox_dir: Path | str) -> None:
        self.outbox_dir = Path(outbox_dir)

    async def send(self, message: EmailMessage) -> None:
        """Write the message atomically; an existing file for the same Message-ID is replaced."""
        name = eml_file_name(message)
        data = message.as_bytes(policy=policy.SMTP)
        try:
            await asyncio.to_thread(self._write, name, data)
        except OSError as exc:
            raise TransientMailError(f"could not write {name}: {exc.strerror or exc}") from exc

    async def forget(self, message_ids: Sequence[str]) -> int:
        """Delete our ``.eml`` copies of these messages (the sender deleted their data).

        Returns how many files were there. Under SMTP there is nothing of ours to delete:
        the copy in the ministry's mailbox is theirs.
        """
        return await asyncio.to_thread(self._unlink, message_ids)

    def _unlink(self, message_ids: Sequence[str]) -> int:
        removed = 0
        for message_id in message_ids:
            stem = _file_stem(message_id)
            if stem:
                with contextlib.suppress(FileNotFoundError):
                    (self.outbox_dir / f"{stem}.eml").unlink()
                    removed += 1
        return removed

    def _write(self, name: str, data: bytes) -> None:
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.outbox_dir)
        try:
            with os.fdopen(fd, "wb") as fp:
                fp.write(data)
                fp.flush()
                os.fsync(fp.fileno())
            os.replace(tmp, self.outbox_dir / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable where we can
            dir_fd = os.open(self.outbox_dir, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


async def forget_copies(transport: Transport, message_ids: Sequence[str]) -> int:
    """Delete the copies ``transport`` keeps of these messages, if it keeps any."""
    if isinstance(transport, FileTransport) and message_ids:
        return await transport.forget(message_ids)
    return 0


class SmtpTransport:
    """Sends through an SMTP server with aiosmtplib, one connection per message.

    One connection per message keeps failures independent: a dropped connection never
    leaves us unsure which of several messages the server took.
    """

    def __init__(
        self,
        host: str,
        port: int,
        user: str | None = None,
        password: SecretStr | None = None,
        security: SmtpSecurity = "starttls",
        timeout: float = 30.0,
        *,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.user = user
        self._password = password
        self.security = security
        self.timeout = timeout
        self._tls_context = tls_context

    def __repr__(self) -> str:
        return (
            f"SmtpTransport(host={self.host!r}, port={self.port}, user={self.user!r}, "
            f"security={self.security!r})"
        )

    async def send(self, message: EmailMessage) -> None:
        """Connect, secure, log in, send; map every failure to transient or permanent."""
        sender = _envelope_sender(message)
        recipients = _envelope_recipients(message)
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            timeout=self.timeout,
            use_tls=self.security == "tls",
            start_tls=self.security == "starttls",
            tls_context=self._tls_context,
        )
        try:
            await client.connect()
            if self.user:
                secret = self._password.get_secret_value() if self._password else ""
                await client.login(self.user, secret)
            await client.send_message(message, sender=sender, recipients=recipients)
        except Exception as exc:
            raise self._classify(exc) from exc
        finally:
            await _close(client)

    def _classify(self, exc: Exception) -> TransientMailError | PermanentMailError:
        """Sort an error into try-again or give-up, keeping the server's own words."""
        text = self._scrub(_describe(exc))
        if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
            codes = [refused.code for refused in exc.recipients]
            if codes and all(500 <= code < 600 for code in codes):
                return PermanentMailError(text)
            return TransientMailError(text)
        if isinstance(exc, aiosmtplib.SMTPResponseException) and 500 <= exc.code < 600:
            return PermanentMailError(text)
        if isinstance(exc, aiosmtplib.SMTPNotSupported):
            return PermanentMailError(text)
        return TransientMailError(text)

    def _scrub(self, text: str) -> str:
        if self._password:
            secret = self._password.get_secret_value()
            if secret:
                text = text.replace(secret, "***")
        return text


def _describe(exc: Exception) -> str:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return "; ".join(f"{r.code} {r.message} ({r.recipient})" for r in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}"
    message = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {message}"


async def _close(client: aiosmtplib.SMTP) -> None:
    """Say goodbye politely; a failing QUIT must never turn a delivered message into an error."""
    if not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()


def _envelope_sender(message: EmailMessage) -> str:
    addresses = getaddresses([str(message.get("From", ""))])
    if len(addresses) != 1 or not addresses[0][1]:
        raise PermanentMailError("the message needs exactly one From address")
    return addresses[0][1]


def _envelope_recipients(message: EmailMessage) -> list[str]:
    recipients = [addr for _name, addr in getaddresses([str(message.get("To", ""))]) if addr]
    if not recipients:
        raise PermanentMailError("the message has no recipient")
    return recipients
