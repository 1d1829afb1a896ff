"""Delivery: compose the e-mails, send them through a transport, and run the outbox.

``compose`` is pure; ``transport`` does the I/O (``.eml`` files or SMTP); ``outbox`` ties
storage and transport together with retries and a fixed Message-ID per message.
"""

from bot.mail.compose import (
    compose_ministry_message,
    compose_receipt,
    json_file_name,
    message_id_for,
)
from bot.mail.headers import clean_header_text, safe_address
from bot.mail.outbox import OutboxStore, OutboxWorker, PassReport
from bot.mail.transport import (
    FileTransport,
    PermanentMailError,
    SmtpTransport,
    TransientMailError,
    Transport,
    transport_from_settings,
)

__all__ = [
    "FileTransport",
    "OutboxStore",
    "OutboxWorker",
    "PassReport",
    "PermanentMailError",
    "SmtpTransport",
    "TransientMailError",
    "Transport",
    "clean_header_text",
    "compose_ministry_message",
    "compose_receipt",
    "json_file_name",
    "message_id_for",
    "safe_address",
    "transport_from_settings",
]
