"""The python-telegram-bot ``Application``: built from plain values, run inside our event loop.

``build_application`` sets up the Bot API address, the per-chat update order and the rate
limiter; ``running`` starts and stops an application the way ``Application.run_polling`` does,
but inside an event loop the caller owns (the CLI, or a test). What the bot *does* (handlers,
the runtime behind them) is wired in :mod:`bot.app`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from telegram import Bot, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import Application

from bot.logging_setup import install_redaction
from bot.telegram.commands import MENU_LANGUAGES, bot_commands
from bot.telegram.handlers import AnyApplication
from bot.telegram.ordering import DEFAULT_ALBUM_DELAY, AlbumCollector, ChatOrderedProcessor
from bot.telegram.ratelimit import PatientRateLimiter
from bot.telegram.request import AiohttpRequest

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "channel_post"]
"""The update types the bot asks Telegram for; everything else is never delivered."""

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as a webhook ``secret_token``."""

Hook = Callable[[AnyApplication], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class TelegramOptions:
    """Timing knobs; the defaults suit production, tests shorten them."""

    album_delay: float = DEFAULT_ALBUM_DELAY
    """Seconds of quiet after an album's last part before it is handled as one."""
    poll_timeout: float = 30.0
    """Long-poll timeout of ``getUpdates``."""
    global_rate: float = 30.0
    """Messages a second to all chats together (``TELEGRAM_GLOBAL_RATE``)."""
    chat_rate: float = 1.0
    """Messages a second to one private chat after its burst (``TELEGRAM_CHAT_RATE``)."""
    chat_burst: int = 10
    """Messages a private chat may get at once (``TELEGRAM_CHAT_BURST``)."""
    group_rate_per_minute: float = 20.0
    """Messages a minute to one group or channel (``TELEGRAM_GROUP_RATE_PER_MINUTE``)."""
    retry_after_retries: int = 5
    network_retries: int = 5
    network_backoff: float = 0.5
    bootstrap_retries: int = 5
    """Retries of the start-up calls (deleteWebhook/setWebhook) when the network is down."""
    max_concurrent_updates: int = 256


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
    options: TelegramOptions,
    post_init: Hook,
    post_shutdown: Hook,
) -> AnyApplication:
    """An application for the bot with ``token``, without handlers yet.

    ``api_url`` is the root of the Bot API server; the bot appends ``/bot<token>/`` and
    ``/file/bot<token>/`` itself, so a self-hosted server (or a test's fake) just works.
    """
    install_redaction(token)
    root = api_url.rstrip("/")
    return (
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
                global_rate=options.global_rate,
                chat_rate=options.chat_rate,
                chat_burst=options.chat_burst,
                group_rate_per_minute=options.group_rate_per_minute,
                retry_after_retries=options.retry_after_retries,
                network_retries=options.network_retries,
                network_backoff=options.network_backoff,
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )


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


def webhook_secret(configured: str | None) -> str:
    """The configured ``WEBHOOK_SECRET``, or a fresh random one (Telegram sends it back)."""
    if configured is None:
        return secrets.token_urlsafe(32)
    if not _SECRET_TOKEN.match(configured):
        raise ValueError("WEBHOOK_SECRET may only contain A-Z, a-z, 0-9, _ and - (1-256 chars)")
    return configured


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
    """
    updater = app.updater
    if updater is None:
        raise ValueError("the application has no updater")
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            if webhook is not None:
                install_redaction(webhook.secret)
                await updater.start_webhook(
                    listen=webhook.listen,
                    port=webhook.port,
                    url_path=urlparse(webhook.url).path.strip("/"),
                    webhook_url=webhook.url,
                    secret_token=webhook.secret,
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
        await app.shutdown()  # a no-op when initialising failed
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
