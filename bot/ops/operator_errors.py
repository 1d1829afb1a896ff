"""Mistakes an operator can fix, as the one line ``innspill`` prints instead of a traceback.

A table from exception type to a sentence: the first matching type whose sentence is not
``None`` wins, so more specific types come first. Anything not explained is a bug and keeps
its traceback.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable

from telegram.error import InvalidToken, NetworkError

from bot.consultation.loader import ConsultationError
from bot.ops.settings import Settings
from bot.storage.errors import SchemaTooNewError

NO_TOKEN = (
    "innspill run: TELEGRAM_BOT_TOKEN er ikke satt, og ingen terminal er koblet til. "
    "Sett TELEGRAM_BOT_TOKEN (f.eks. i .env), eller bruk `innspill chat` for samtalen i terminalen."
)


def _consultation(error: BaseException, _settings: Settings) -> str:
    return f"CONVERSATION_FILE kan ikke brukes: {error}"


def _token(_error: BaseException, _settings: Settings) -> str:
    return "Telegram godtar ikke TELEGRAM_BOT_TOKEN. Sjekk tokenet fra @BotFather."


def _network(error: BaseException, settings: Settings) -> str:
    """Say what was tried, so the operator knows waiting longer would not have helped."""
    from bot.channels.telegram.ratelimit import Retries

    retries = Retries()
    last = retries.backoff * 2 ** (retries.network - 1)
    return (
        f"Får ikke kontakt med Telegram på {settings.telegram_api_url}: {error}. "
        f"Hvert kall ble prøvd {retries.network + 1} ganger med ventetid "
        f"{retries.backoff:g}–{last:g} s. Sjekk nettverket og TELEGRAM_API_URL; "
        "innspill avslutter med kode 1 (docker compose starter den igjen)."
    )


def _database(error: BaseException, settings: Settings) -> str:
    return f"DATABASE_PATH={settings.database_path} kan ikke brukes: {error}"


def _permission(error: BaseException, _settings: Settings) -> str:
    filename, reason = getattr(error, "filename", None), getattr(error, "strerror", None)
    return f"Ingen tilgang til {filename}: {reason or error}"


def _address(error: BaseException, settings: Settings) -> str | None:
    """The webhook server could not listen: the port is taken or the address is not ours."""
    if getattr(error, "errno", None) not in {errno.EADDRINUSE, errno.EADDRNOTAVAIL}:
        return None
    return (
        f"Webhooken kan ikke lytte på {settings.webhook_listen}:{settings.webhook_port} "
        f"({error}). Velg en ledig WEBHOOK_PORT eller en annen WEBHOOK_LISTEN."
    )


Sentence = Callable[[BaseException, Settings], str | None]

EXPLAINED: tuple[tuple[type[BaseException], Sentence], ...] = (
    (ConsultationError, _consultation),
    (InvalidToken, _token),
    (NetworkError, _network),
    (sqlite3.Error, _database),
    (SchemaTooNewError, _database),
    (PermissionError, _permission),
    (OSError, _address),
)


def explain(error: BaseException, settings: Settings) -> str | None:
    """The line for an operator mistake, or ``None`` for a bug."""
    for kind, sentence in EXPLAINED:
        line = sentence(error, settings) if isinstance(error, kind) else None
        if line is not None:
            return " ".join(line.split())
    return None
