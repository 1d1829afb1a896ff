"""Build the python-telegram-bot ``Application`` and run it (long polling or webhook).

``build_application`` is the one place where the Telegram side is wired: the Bot API address,
the per-chat update order, the rate limiter, the handlers and the command menu.
``running`` starts and stops an application the way ``Application.run_polling`` does, but
inside an event loop the caller owns (the CLI, or a test); ``run_telegram`` is what
``innspill run`` calls when a bot token is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

from telegram import Bot, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import Application

from bot.logging_setup import install_redaction
from bot.service import ConversationService
from bot.settings import Settings
from bot.telegram.commands import MENU_LANGUAGES, bot_commands
from bot.telegram.handlers import AnyApplication, TelegramHandlers
from bot.telegram.ordering import DEFAULT_ALBUM_DELAY, AlbumCollector, ChatOrderedProcessor
from bot.telegram.ratelimit import PatientRateLimiter
from bot.telegram.request import AiohttpRequest

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "channel_post"]
"""The update types the bot asks Telegram for; everything else is never delivered."""

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as a webhook ``secret_token``."""

Hook = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class TelegramOptions:
    """Timing knobs; the defaults suit production, tests shorten them."""

    album_delay: float = DEFAULT_ALBUM_DELAY
    """Seconds of quiet after an album's last part before it is handled as one."""
    poll_timeout: float = 30.0
    """Long-poll timeout of ``getUpdates``."""
    chat_burst: int | None = None
    """Messages a private chat may get at once (``None``: ``TELEGRAM_CHAT_BURST``)."""
    chat_period: float | None = None
    """Seconds per ``chat_burst`` messages to one chat (``None``: ``TELEGRAM_CHAT_RATE``)."""
    retry_after_retries: int = 5
    network_retries: int = 5
    network_backoff: float = 0.5
    bootstrap_retries: int = 5
    """Retries of the start-up calls (deleteWebhook/setWebhook) when the network is down."""
    max_concurrent_updates: int = 256


def build_application(
    settings: Settings,
    service: ConversationService,
    *,
    options: TelegramOptions | None = None,
    on_startup: Hook | None = None,
    on_shutdown: Hook | None = None,
) -> AnyApplication:
    """An application for the bot in ``settings``, talking to ``service``.

    ``TELEGRAM_API_URL`` is the root of the Bot API server; the bot appends ``/bot<token>/``
    and ``/file/bot<token>/`` itself, so a self-hosted server (or a test's fake) just works.
    ``on_startup`` runs after the bot is initialised and the command menu is set;
    ``on_shutdown`` after the application has shut down.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    options = options or TelegramOptions()
    token = settings.telegram_bot_token.get_secret_value()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    install_redaction(token, secret)
    root = settings.telegram_api_url.rstrip("/")
    albums = AlbumCollector(options.album_delay)

    async def post_init(app: AnyApplication) -> None:
        await register_commands(app.bot)
        if on_startup is not None:
            await on_startup()

    async def post_shutdown(app: AnyApplication) -> None:
        if on_shutdown is not None:
            await on_shutdown()

    app: AnyApplication = (
        Application.builder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        # aiohttp instead of httpx: about a quarter to a tenth of the CPU per request
        # (bench/request_cpu.py); one pooled session for calls, one for long polling.
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        # Strict order within a chat, chats concurrently (see bot.telegram.ordering).
        .concurrent_updates(ChatOrderedProcessor(albums, options.max_concurrent_updates))
        .rate_limiter(
            PatientRateLimiter(
                global_rate=settings.telegram_global_rate,
                chat_rate=(options.chat_burst or 1) / options.chat_period
                if options.chat_period
                else settings.telegram_chat_rate,
                chat_burst=options.chat_burst or settings.telegram_chat_burst,
                group_rate_per_minute=settings.telegram_group_rate_per_minute,
                retry_after_retries=options.retry_after_retries,
                network_retries=options.network_retries,
                network_backoff=options.network_backoff,
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    TelegramHandlers(service, settings, albums).register(app)
    return app


async def register_commands(bot: Bot) -> None:
    """Set the command menu for private chats, in bokmål (default), nynorsk and English.

    A failure is logged, not raised: the bot works without a menu.
    """
    for language_code in MENU_LANGUAGES:
        try:
            await bot.set_my_commands(
                bot_commands(language_code or "nb"),
                scope=BotCommandScopeAllPrivateChats(),
                language_code=language_code,
            )
        except TelegramError as error:
            log.warning("could not set the command menu (%s): %s", language_code, error)


def webhook_secret(settings: Settings) -> str:
    """``WEBHOOK_SECRET``, or a fresh random one: Telegram sends it back on every request."""
    if settings.webhook_secret is None:
        return secrets.token_urlsafe(32)
    value = settings.webhook_secret.get_secret_value()
    if not _SECRET_TOKEN.match(value):
        raise ValueError("WEBHOOK_SECRET may only contain A-Z, a-z, 0-9, _ and - (1-256 chars)")
    return value


@contextlib.asynccontextmanager
async def running(
    app: AnyApplication,
    settings: Settings,
    *,
    options: TelegramOptions | None = None,
    webhook_url: str | None = None,
    listen: str | None = None,
    port: int | None = None,
) -> AsyncIterator[AnyApplication]:
    """Initialise, start and receive updates; on exit stop receiving, finish, shut down.

    Mirrors ``Application.run_polling``/``run_webhook`` (including ``post_init`` and
    ``post_shutdown``) without taking over the event loop. Webhook mode when ``webhook_url``
    (or ``WEBHOOK_URL``) is set: a small HTTP server on ``listen:port`` that rejects any request
    without the right ``X-Telegram-Bot-Api-Secret-Token``.
    """
    options = options or TelegramOptions()
    webhook_url = webhook_url or settings.webhook_url
    updater = app.updater
    if updater is None:
        raise ValueError("the application has no updater")
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            if webhook_url:
                secret = webhook_secret(settings)
                install_redaction(secret)
                await updater.start_webhook(
                    listen=listen or settings.webhook_listen,
                    port=port or settings.webhook_port,
                    url_path=urlparse(webhook_url).path.strip("/"),
                    webhook_url=webhook_url,
                    secret_token=secret,
                    allowed_updates=ALLOWED_UPDATES,
                    bootstrap_retries=options.bootstrap_retries,
                )
            else:
                await updater.start_polling(
                    timeout=timedelta(seconds=options.poll_timeout),
                    allowed_updates=ALLOWED_UPDATES,
                    bootstrap_retries=options.bootstrap_retries,
                )
            yield app
        finally:
            if updater.running:
                await updater.stop()
            if app.running:
                await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def run_telegram(
    settings: Settings,
    *,
    webhook_url: str | None = None,
    listen: str | None = None,
    port: int | None = None,
    stop: asyncio.Event | None = None,
    options: TelegramOptions | None = None,
) -> None:
    """Run the bot until SIGINT/SIGTERM (or ``stop`` is set): ``innspill run`` with a token."""
    from bot.app import Runtime  # here, so importing the adapter does not open anything

    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    install_redaction(settings.telegram_bot_token.get_secret_value())
    runtime = await Runtime.open(settings)
    try:
        app = build_application(
            settings, runtime.service, options=options, on_startup=runtime.start_background
        )
        async with running(
            app, settings, options=options, webhook_url=webhook_url, listen=listen, port=port
        ):
            mode = "webhook" if webhook_url or settings.webhook_url else "long polling"
            log.info("Telegram bot @%s is running (%s)", app.bot.username, mode)
            await _until_stopped(stop)
    finally:
        await runtime.close()


async def _until_stopped(stop: asyncio.Event | None) -> None:
    event = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    if stop is None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, event.set)
                installed.append(signum)
    try:
        await event.wait()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
