"""Logging that never shows a secret or what a person wrote, at any level.

Every Bot API URL contains the token, and httpx logs each request URL at INFO; exceptions from
the HTTP stack repeat the URL in their message. A filter on one handler is not enough (a test's
log capture or a handler added later would miss it), so the redaction happens where records are
born: a log record factory that renders the message, and any traceback, with the secrets
replaced.

Libraries log what they carry at DEBUG: python-telegram-bot every update and every Bot API
result, aiosqlite every statement with its values, aiosmtplib the mail itself. They are never
let below INFO (:data:`LIBRARIES`), so ``LOG_LEVEL=DEBUG`` shows our own detail only.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from datetime import UTC, datetime
from typing import Any

from bot.ops.settings import Settings

REDACTED = "[REDACTED]"
QUIET_LOGGERS = ("httpx", "httpcore")
"""Libraries that log full request URLs at INFO."""
LIBRARIES = (
    "telegram",
    "aiosqlite",
    "aiosmtplib",
    "aiohttp",
    "apscheduler",
    "asyncio",
    "mail.log",
    "hpack",
)
"""Libraries whose DEBUG records hold updates, rows or mail: kept at INFO or above."""
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
    global _installed  # one process-wide record factory, installed once
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


def where(error: BaseException) -> str:
    """An exception's kind and where it was raised, without its message.

    For log lines about updates that failed: a message may quote what a person wrote (a
    ``ValueError`` repeats the value), the kind and the place say enough to find the fault.
    """
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/bot/" in f.filename.replace("\\", "/")]
    if not frames:
        return type(error).__name__
    place = (ours or frames)[-1]
    folder, _, name = place.filename.replace("\\", "/").rpartition("/bot/")
    shown = f"bot/{name}" if folder else place.filename
    return f"{type(error).__name__} at {shown}:{place.lineno} in {place.name}"


def secrets_of(settings: Settings) -> list[str]:
    """The secret values in the settings."""
    values = [settings.telegram_bot_token, settings.smtp_password, settings.webhook_secret]
    return [v.get_secret_value() for v in values if v is not None]


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """One event as flat fields: time, level, logger, message, extras, and any traceback."""
    fields: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "msg": record.getMessage(),
    }
    extra = getattr(record, "fields", None)
    if isinstance(extra, dict):
        fields.update({str(k): v for k, v in extra.items() if str(k) not in fields})
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        fields["exc"] = redact(record.exc_text)
    return fields


def _text_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if text and not any(c in text for c in ' "=\\\n\r\t'):
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, with newlines escaped: one line


class KeyValueFormatter(logging.Formatter):
    """``time=… level=INFO logger=bot.service msg="…" key=value``: one line per event."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as space-separated ``key=value`` pairs."""
        return " ".join(f"{k}={_text_value(v)}" for k, v in _fields(record).items())


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as a JSON object without newlines."""
        return json.dumps(_fields(record), ensure_ascii=False, default=str)


def configure_logging(settings: Settings, *, quiet: bool = False) -> None:
    """Log to stderr, secrets redacted; in the terminal chat only warnings, so it stays readable.

    ``LOG_FORMAT`` picks ``key=value`` text or JSON lines; either way one line per event.
    """
    install_redaction(*secrets_of(settings))
    level = logging.WARNING if quiet else getattr(logging, settings.log_level, logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in LIBRARIES:  # below INFO they log what they carry; otherwise they inherit
        logging.getLogger(name).setLevel(logging.INFO if level < logging.INFO else logging.NOTSET)
    logging.captureWarnings(True)  # library warnings become one log line too
