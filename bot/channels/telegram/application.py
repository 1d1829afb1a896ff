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
from typing import Any
from urllib.parse import urlparse

from telegram import Bot, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram.intake import FairUpdateQueue, RawUpdate
from bot.channels.telegram.ledger import UpdateLedger
from bot.channels.telegram.menu import bot_commands, menu_languages
from bot.channels.telegram.ordering import DEFAULT_ALBUM_DELAY, AlbumCollector, ChatOrderedProcessor
from bot.channels.telegram.polling import ConfirmingPoller, ConfirmingProcessor, Inbox
from bot.channels.telegram.ratelimit import PatientRateLimiter
from bot.channels.telegram.request import AiohttpRequest
from bot.channels.telegram.updates import AnyApplication
from bot.channels.telegram.webhook import ConfirmingWebhook
from bot.i18n.languages import SOURCE
from bot.ops.logs import install_redaction

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
    chat_queue: int = 5
    """Updates of one chat waiting their turn before further texts are joined to the last."""
    stop_grace: float = 20.0
    """Seconds a stop keeps handling the updates in hand; the rest wait for the restart."""


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
    inbox: Inbox | None = None,
) -> AnyApplication:
    """An application for the bot with ``token``, without handlers yet.

    ``api_url`` is the root of the Bot API server; the bot appends ``/bot<token>/`` and
    ``/file/bot<token>/`` itself, so a self-hosted server (or a test's fake) just works.
    """
    install_redaction(token)
    root = api_url.rstrip("/")
    # Chats in turn, a flood's texts folded before they are even decoded
    # (bot.channels.telegram.intake).
    queue = FairUpdateQueue(options.chat_queue)
    app = (
        Application.builder()
        .token(token)
        .update_queue(queue)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        # aiohttp instead of httpx: about a quarter to a tenth of the CPU per request
        # (bench/request_cpu.py); one pooled session for calls, one for long polling.
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        # Strict order within a chat, chats concurrently (see bot.channels.telegram.ordering); each
        # update confirmed to Telegram only once handled (see bot.channels.telegram.polling).
        .concurrent_updates(
            ConfirmingProcessor(
                ChatOrderedProcessor(
                    albums, options.max_concurrent_updates, chat_queue=options.chat_queue
                ),
                UpdateLedger(),
                inbox,
            )
        )
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
    queue.bot = app.bot
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


def _processor(app: AnyApplication) -> ConfirmingProcessor:
    processor = app.update_processor
    if not isinstance(processor, ConfirmingProcessor):
        raise TypeError("the application was not built by build_application")
    return processor


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

    Long polling lets Telegram forget an update only once it is stored in the inbox, or
    without one, once it is handled (:mod:`bot.channels.telegram.polling`). On exit the bot stops
    fetching, keeps handling the updates in hand for at most ``options.stop_grace`` seconds,
    cancels what is left (rolled back; kept in the inbox or unconfirmed, so it is handled
    after the restart) and confirms what was finished.

    The webhook server answers Telegram 200 only once an update is handled
    (:mod:`bot.channels.telegram.webhook`); while stopping it answers 503, so Telegram keeps
    the update.
    """
    processor = _processor(app)
    poller = ConfirmingPoller(
        app.bot,
        app.update_queue,
        processor.ledger,
        inbox=processor.inbox,
        poll_timeout=options.poll_timeout,
        allowed_updates=ALLOWED_UPDATES,
        # Decoded when handed out, so a flood's folded texts are never decoded at all.
        wrap=RawUpdate if isinstance(app.update_queue, FairUpdateQueue) else None,
    )
    server = (
        ConfirmingWebhook(
            app.bot,
            app.update_queue,
            processor.ledger,
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
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            if server is not None and webhook is not None:
                install_redaction(webhook.secret)
                await server.start()
            else:
                await poller.start()
            yield app
        finally:
            await poller.stop_fetching()
            if server is not None:
                server.stop_accepting()
            await _finish_in_hand(processor, options.stop_grace)
            if server is not None:
                await server.close()
            if app.running:
                await app.stop()
            await poller.confirm()
    finally:
        await app.shutdown()  # a no-op when initialising failed
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def _finish_in_hand(processor: ConfirmingProcessor, grace: float) -> None:
    """Handle the updates in hand for up to ``grace`` seconds, then cancel the rest."""
    in_hand = processor.ledger.unfinished
    if not in_hand:
        processor.refuse_new()
        return
    log.info("stopping: finishing %d update(s) in hand (at most %.0f s)", in_hand, grace)
    drained = await processor.ledger.drain(grace)
    processor.refuse_new()
    if not drained:
        cancelled = await processor.cancel_running()
        log.warning(
            "stopping: %d update(s) not handled in time; handled after the restart",
            max(cancelled, processor.ledger.unfinished),
        )
