"""The python-telegram-bot ``Application``: built from plain values, run inside our event loop.

``build_application`` sets up the Bot API address, the chat queue, the update processor and
the rate limiter; ``running`` starts and stops an application the way
``Application.run_polling`` does, but inside an event loop the caller owns (the CLI, or a
test). What the bot *does* (handlers, the runtime behind them) is wired in :mod:`bot.app`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from telegram import Bot, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram.albums import DEFAULT_ALBUM_DELAY, AlbumCollector
from bot.channels.telegram.chat_queue import DEFAULT_PER_CHAT, ChatQueue, Undecodable
from bot.channels.telegram.handover import (
    Intake,
    finish_in_hand,
    hand_over_unfinished,
    pay,
    quarantine,
)
from bot.channels.telegram.menu import bot_commands, menu_languages
from bot.channels.telegram.outage_notice import FaultNotice
from bot.channels.telegram.owed import OwedReply
from bot.channels.telegram.polling import Poller
from bot.channels.telegram.processor import UpdateProcessor
from bot.channels.telegram.ratelimit import PatientRateLimiter, Rates, Retries
from bot.channels.telegram.request import AiohttpRequest
from bot.channels.telegram.updates import AnyApplication, update_source
from bot.channels.telegram.webhook import ConfirmingWebhook
from bot.i18n.languages import SOURCE
from bot.ops.logs import install_redaction
from bot.ops.settings import Settings
from bot.storage.journal import UpdateJournal
from bot.storage.outage import WriteOutage

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "channel_post"]
"""The update types the bot asks Telegram for; everything else is never delivered."""

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as a webhook ``secret_token``."""

Hook = Callable[[AnyApplication], Coroutine[Any, Any, None]]
_INTAKE = "innspill.intake"
"""Where :func:`build_application` leaves the :class:`Intake` (the application's ``bot_data``)."""


@dataclass(frozen=True)
class TelegramOptions:
    """How the adapter runs: the settings it needs, read once, and timing tests may shorten."""

    rates: Rates
    """Telegram's message limits (``TELEGRAM_*_RATE``, ``TELEGRAM_CHAT_BURST``)."""
    stop_grace: float
    """Seconds a stop keeps handling the updates in hand (``STOP_GRACE_SECONDS``)."""
    download_limit: int
    """Largest document the bot tries to download (``TELEGRAM_DOWNLOAD_LIMIT_BYTES``)."""
    retries: Retries = field(default_factory=Retries)
    album_delay: float = DEFAULT_ALBUM_DELAY
    """Seconds of quiet after an album's last part before it is handled as one."""
    poll_timeout: float = 30.0
    """Long-poll timeout of ``getUpdates``."""
    read_timeout: float = 30.0
    """Seconds to wait for Telegram's answer to a call. Generous: a send that gets no answer
    in time is not repeated (it may have arrived), so a slow Telegram should still answer."""
    max_concurrent_updates: int = 256
    chat_queue: int = DEFAULT_PER_CHAT
    """Updates of one chat waiting their turn before further texts are joined to the last."""

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramOptions:
        """Production timing, with what the operator configured."""
        return cls(
            rates=Rates.from_settings(settings),
            stop_grace=settings.stop_grace_seconds,
            download_limit=settings.telegram_download_limit_bytes,
        )


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates in webhook mode, and the secret it sends back each time."""

    url: str
    listen: str
    port: int
    secret: str


def build_application(
    *,
    token: str,
    api_url: str,
    albums: AlbumCollector,
    journal: UpdateJournal,
    faults: FaultNotice,
    outage: WriteOutage,
    options: TelegramOptions,
    post_init: Hook,
    post_shutdown: Hook,
) -> AnyApplication:
    """An application for the bot with ``token``, without handlers yet.

    ``api_url`` is the root of the Bot API server; the bot appends ``/bot<token>/`` and
    ``/file/bot<token>/`` itself, so a self-hosted server (or a test's fake) just works.
    Updates held while storage is down go again as soon as ``outage`` ends.
    """
    install_redaction(token)
    root = api_url.rstrip("/")
    queue = ChatQueue(options.chat_queue)
    outage.subscribe(lambda active: None if active else queue.resume(storage_works=True))
    polling = AiohttpRequest(connection_pool_size=1)

    async def set_aside(update: Undecodable) -> None:
        await quarantine(journal, update, queue)

    async def pay_owed(item: OwedReply) -> None:
        await pay(app.bot, journal, item)

    processor = UpdateProcessor(queue, albums, set_aside, pay_owed, options.max_concurrent_updates)
    app = (
        Application.builder()
        .token(token)
        .update_queue(queue)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        # aiohttp instead of httpx: about a quarter to a tenth of the CPU per request
        # (bench/request_cpu.py); one pooled session for calls, one for long polling.
        .request(AiohttpRequest(connection_pool_size=256, read_timeout=options.read_timeout))
        .get_updates_request(polling)
        # Chats in turn and each in order (chat_queue); turns and confirmation (processor).
        .concurrent_updates(processor)
        .rate_limiter(PatientRateLimiter(options.rates, options.retries))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    queue.bot = app.bot
    app.bot_data[_INTAKE] = Intake(queue, processor, polling, journal, faults)
    return app


async def register_commands(bot: Bot) -> None:
    """Set the command menu for private chats, in bokmål (default), nynorsk and English.

    A failure is logged, not raised: the bot works without a menu.
    """
    for language_code in menu_languages():
        try:
            await bot.set_my_commands(
                bot_commands(language_code or SOURCE),
                scope=BotCommandScopeAllPrivateChats(),
                language_code=language_code,
            )
        except TelegramError as error:
            log.warning("could not set the command menu (%s): %s", language_code, error)


def webhook_secret(configured: str | None) -> str:
    """The configured ``WEBHOOK_SECRET``, or a fresh random one (Telegram sends it back)."""
    if configured is None:
        return secrets.token_urlsafe(32)
    if not _SECRET_TOKEN.match(configured):
        raise ValueError("WEBHOOK_SECRET may only contain A-Z, a-z, 0-9, _ and - (1-256 chars)")
    return configured


def intake_of(app: AnyApplication) -> Intake:
    """The intake :func:`build_application` made for ``app``."""
    intake = app.bot_data.get(_INTAKE)
    if not isinstance(intake, Intake):
        raise TypeError("the application was not built by build_application")
    return intake


@contextlib.asynccontextmanager
async def running(
    app: AnyApplication, *, options: TelegramOptions, webhook: Webhook | None = None
) -> AsyncIterator[AnyApplication]:
    """Initialise, start and receive updates; on exit stop receiving, finish, shut down.

    Mirrors ``Application.run_polling``/``run_webhook`` (including ``post_init`` and
    ``post_shutdown``) without taking over the event loop. ``post_shutdown`` runs even when
    start-up failed (e.g. Telegram refused the token), so what ``post_init`` would have
    started is always released. Webhook mode when ``webhook`` is given: a small HTTP server
    that rejects any request without the right ``X-Telegram-Bot-Api-Secret-Token``.

    Long polling lets Telegram forget an update once it is stored in the update journal
    (:mod:`bot.channels.telegram.polling`). On exit the bot stops fetching, keeps handling the
    updates in hand for at most ``options.stop_grace`` seconds, and cancels what is left
    (rolled back; still in the journal, so it is handled after the restart).

    The webhook server answers Telegram 200 only once an update is handled
    (:mod:`bot.channels.telegram.webhook`); while stopping it answers 503, so Telegram keeps
    the update.
    """
    intake = intake_of(app)
    server = (
        ConfirmingWebhook(
            app.bot,
            intake.queue,
            url=webhook.url,
            path=urlparse(webhook.url).path,
            listen=webhook.listen,
            port=webhook.port,
            secret=webhook.secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        if webhook is not None
        else None
    )
    poller: Poller | None = None
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            await hand_over_unfinished(intake, update_source(app.bot.id))
            if server is not None and webhook is not None:
                install_redaction(webhook.secret)
                await server.start()
            else:
                poller = Poller(
                    app.bot,
                    intake.polling,
                    intake.queue,
                    intake.journal,
                    intake.faults,
                    poll_timeout=options.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                )
                await poller.start()
            yield app
        finally:
            # Each step runs whatever the one before did (a full disk, a slow Telegram).
            if poller is not None:
                await _step(poller.stop_fetching(), "stop polling")
            if server is not None:
                server.stop_accepting()
            finish = finish_in_hand(intake, update_source(app.bot.id), options.stop_grace)
            await _step(finish, "finish the updates in hand")
            if server is not None:
                await _step(server.close(), "close the webhook")
            if app.running:
                await _step(app.stop(), "stop the application")
            if poller is not None:
                await _step(poller.confirm(), "settle the journal")
    finally:
        await _step(app.shutdown(), "shut down")  # a no-op when initialising failed
        if app.post_shutdown is not None:
            await _step(app.post_shutdown(app), "release the runtime")


async def _step(step: Coroutine[Any, Any, None], what: str) -> None:
    """One step of a stop: its failure is logged, and the stop goes on."""
    try:
        await step
    except Exception:
        log.exception("stopping: could not %s", what)


