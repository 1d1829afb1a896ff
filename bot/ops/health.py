"""``innspill health``: is this installation able to do its job right now?

One line per check, exit 0 when all pass: the container's HEALTHCHECK and an operator's first
command both use it. Each check is independent (a broken database does not hide a broken
consultation file) and quick; the only network calls are ``getMe`` with a short timeout, only
when a bot token is set, and the web chat's ``/helse``, only when it is enabled.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.ops.clock import utc_now
from bot.ops.settings import Settings


@dataclass(frozen=True)
class Check:
    """The outcome of one check."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """``OK   database: …`` or ``FEIL outbox: …``."""
        return f"{'OK  ' if self.ok else 'FEIL'} {self.name}: {self.detail}"


MIN_FREE_BYTES = 256 * 1024
"""Less free space than this under the database, and the next step may not fit."""


def _free(path: Path) -> tuple[int, str]:
    """Free bytes on the database's file system, and the figure as people read it."""
    free = shutil.disk_usage(path.parent).free
    shown = f"{free / 1e9:.1f} GB" if free >= 1e9 else f"{free / 1e6:.1f} MB"
    return free, f"{shown} ledig"


def check_database(settings: Settings) -> Check:
    """The database exists, is migrated to this version, and can be written now.

    A full disk fails here, with the free space and the error a write gets (the bot's own
    writes fail the same way: it has a storage outage until there is space again).
    """
    from bot.storage.health_queries import check_writable, open_existing, schema_version

    path = settings.database_path
    if not path.exists():
        return Check("database", False, f"{path} finnes ikke (har boten startet?)")
    free, space = _free(path)
    try:
        db = open_existing(path)
        try:
            current, latest = schema_version(db)
            if current != latest:
                return Check(
                    "database", False, f"skjema {current}, denne versjonen trenger {latest}"
                )
            check_writable(db)
        finally:
            db.close()
    except sqlite3.Error as error:
        return Check("database", False, f"{path}: kan ikke skrive ({error}); {space}")
    if free < MIN_FREE_BYTES:
        return Check("database", False, f"{path}: nesten fullt, {space}")
    return Check("database", True, f"{path}, skjema {current}, skrivbar, {space}")


def check_catalogs() -> Check:
    """Every language but bokmål (the source) has a catalog that loads."""
    import gettext

    from bot.i18n.catalogs import translations
    from bot.i18n.languages import SOURCE, codes

    translated = [code for code in codes() if code != SOURCE]
    missing = [
        code for code in translated if not isinstance(translations(code), gettext.GNUTranslations)
    ]
    if missing:
        return Check("catalogs", False, f"mangler oversettelser for {', '.join(missing)}")
    return Check("catalogs", True, ", ".join((SOURCE, *translated)))


def check_consultation(settings: Settings) -> Check:
    """``CONVERSATION_FILE`` loads and validates."""
    from bot.consultation.loader import ConsultationError, load_consultation

    try:
        consultation = load_consultation(settings.conversation_file)
    except (ConsultationError, OSError) as error:
        return Check("consultation", False, " ".join(str(error).split())[:300])
    return Check("consultation", True, f"{consultation.id} ({settings.conversation_file.name})")


def check_outbox(settings: Settings, now: datetime) -> Check:
    """No e-mail waiting past ``HEALTH_PENDING_MINUTES``, no failed one left unacknowledged."""
    from bot.storage.health_queries import open_existing, outbox_health

    if not settings.database_path.exists():
        return Check("outbox", False, "ingen database")
    cutoff = now - timedelta(minutes=settings.health_pending_minutes)
    try:
        db = open_existing(settings.database_path)
        try:
            found = outbox_health(db, cutoff)
        finally:
            db.close()
    except sqlite3.Error as error:
        return Check("outbox", False, str(error))
    problems = []
    if found.overdue:
        problems.append(
            f"{found.overdue} e-post har ventet over {settings.health_pending_minutes:g} min "
            f"(eldste fra {found.oldest_overdue})"
        )
    if found.unacknowledged_failures:
        problems.append(
            f"{found.unacknowledged_failures} feilet e-post ikke kvittert "
            "(innspill outbox list --status failed; retry ID eller ack ID)"
        )
    if problems:
        return Check("outbox", False, "; ".join(problems))
    return Check("outbox", True, "ingenting står fast")


def check_updates(settings: Settings) -> Check:
    """How many updates were set aside (quarantined) and replies are owed; informs, never fails.

    A quarantined update could not be decoded or handled; the person was told to try again
    where a reply was possible. Its row holds the kind of error, never what it said.
    """
    from bot.storage.health_queries import journal_health, open_existing

    if not settings.database_path.exists():
        return Check("updates", False, "ingen database")
    try:
        db = open_existing(settings.database_path)
        try:
            found = journal_health(db)
        finally:
            db.close()
    except sqlite3.Error as error:
        return Check("updates", False, str(error))
    return Check(
        "updates",
        True,
        f"{found.quarantined} satt til side (kunne ikke leses eller behandles), "
        f"{found.owed} svar venter på å bli sendt",
    )


async def check_bot_api(settings: Settings) -> Check | None:
    """``getMe`` answers within ``HEALTH_TIMEOUT_SECONDS``; ``None`` without a token."""
    if settings.telegram_bot_token is None:
        return None
    from telegram import Bot
    from telegram.error import TelegramError
    from telegram.request import HTTPXRequest

    from bot.ops.logs import install_redaction

    token = settings.telegram_bot_token.get_secret_value()
    install_redaction(token)
    timeout = settings.health_timeout_seconds
    root = settings.telegram_api_url.rstrip("/")
    request = HTTPXRequest(
        connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout, pool_timeout=timeout
    )
    bot = Bot(token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot", request=request)
    try:
        async with asyncio.timeout(timeout * 2):
            me = await bot.get_me()
    except (TelegramError, TimeoutError) as error:
        return Check("bot_api", False, f"{root} svarer ikke på getMe: {error or 'tidsavbrudd'}")
    finally:
        await request.shutdown()
    return Check("bot_api", True, f"@{me.username} via {root}")


async def check_web(settings: Settings) -> Check | None:
    """The web chat answers ``/helse`` within ``HEALTH_TIMEOUT_SECONDS``; ``None`` when off."""
    if not settings.web_enabled:
        return None
    import aiohttp

    # A server listening on every address is asked on loopback, where it listens too.
    host = settings.web_listen
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    url = f"http://{f'[{host}]' if ':' in host else host}:{settings.web_port}/helse"
    timeout = aiohttp.ClientTimeout(total=settings.health_timeout_seconds)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
            ok = answer.status == 200
            detail = f"{url} svarer" if ok else f"{url} svarer {answer.status}"
    except (aiohttp.ClientError, TimeoutError) as error:
        return Check("web", False, f"{url} svarer ikke: {error or 'tidsavbrudd'}")
    return Check("web", ok, detail)


async def run_checks(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> list[Check]:
    """Every check, in the order they are printed."""
    checks = [
        check_database(settings),
        check_catalogs(),
        check_consultation(settings),
        check_outbox(settings, clock()),
        check_updates(settings),
    ]
    api = await check_bot_api(settings)
    if api is not None:
        checks.append(api)
    web = await check_web(settings)
    if web is not None:
        checks.append(web)
    return checks


async def health(settings: Settings) -> int:
    """Print one line per check; 0 when all pass, else 1."""
    checks = await run_checks(settings)
    for check in checks:
        print(check.line())
    return 0 if all(check.ok for check in checks) else 1
