"""Logging that never shows a secret: the bot token, the webhook secret, the SMTP password.

Every Bot API URL contains the token, and httpx logs each request URL at INFO; exceptions from
the HTTP stack repeat the URL in their message. A filter on one handler is not enough (a test's
log capture or a handler added later would miss it), so the redaction happens where records are
born: a log record factory that renders the message, and any traceback, with the secrets
replaced.
"""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any

from bot.settings import Settings

REDACTED = "[REDACTED]"
QUIET_LOGGERS = ("httpx", "httpcore")
"""Libraries that log full request URLs at INFO."""
MIN_SECRET_LENGTH = 6
"""Shorter "secrets" would redact ordinary words; real tokens are far longer."""

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def redact(text: str) -> str:
    """``text`` with every registered secret replaced."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _redact_record(record: logging.LogRecord) -> None:
    if not _secrets:
        return
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a broken format string; logging reports it on emit
        return
    redacted = redact(message)
    if redacted != message or record.args:
        record.msg, record.args = redacted, None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install_redaction(*secrets: str | None) -> None:
    """Redact these secrets from every log record from now on, whichever handler gets it.

    Safe to call more than once (each call adds secrets); also lowers the httpx and httpcore
    loggers to WARNING so request URLs are not logged at all.
    """
    global _installed  # noqa: PLW0603 - one process-wide record factory, installed once
    with _lock:
        _secrets.update(s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH)
        if not _installed:
            previous = logging.getLogRecordFactory()

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                _redact_record(record)
                return record

            logging.setLogRecordFactory(factory)
            _installed = True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def secrets_of(settings: Settings) -> list[str]:
    """The secret values in the settings."""
    values = [settings.telegram_bot_token, settings.smtp_password, settings.webhook_secret]
    return [v.get_secret_value() for v in values if v is not None]


def configure_logging(settings: Settings, *, quiet: bool = False) -> None:
    """Log to stderr, secrets redacted; in the terminal chat only warnings, so it stays readable."""
    install_redaction(*secrets_of(settings))
    level = logging.WARNING if quiet else getattr(logging, settings.log_level.upper(), logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
