"""The one place where the parts are wired together, started and stopped.

Every front end (Telegram, the web chat and the terminal) gets the same :class:`Runtime`: the
consultation, the store, the conversation service, the outbox worker that delivers
submissions, and the daily purge of abandoned drafts. This is also the only module that reads
:class:`Settings` to build them: every part below gets plain values, not the settings object.

For Telegram, :func:`build_telegram` builds the PTB ``Application`` around a runtime, starts
the runtime's background work in ``post_init`` and closes the runtime in ``post_shutdown``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from aiohttp import web

from bot.channels.telegram.admin import AdminHandlers, register_admin_menu
from bot.channels.telegram.albums import AlbumCollector
from bot.channels.telegram.application import (
    TelegramOptions,
    Webhook,
    build_application,
    register_commands,
    running,
    webhook_secret,
)
from bot.channels.telegram.handlers import TelegramHandlers
from bot.channels.telegram.outage_notice import FaultNotice
from bot.channels.telegram.purge_notice import PURGED, PurgeNotice
from bot.channels.telegram.timed_jobs import start_reminders, start_staff_chat
from bot.channels.telegram.updates import AnyApplication, private_chat_of, update_source
from bot.channels.web.channel_state import WebOptions
from bot.channels.web.server import STATE, build_web_app, serving
from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation.context import Limits
from bot.i18n import catalogs, formats
from bot.mail.headers import address_domain
from bot.mail.notify import ChatNotifier, SendText
from bot.mail.outbox import OutboxWorker
from bot.mail.transport import FileTransport, SmtpTransport, Transport, forget_copies
from bot.ops.clock import utc_now
from bot.ops.settings import Settings
from bot.ops.stopping import exit_after, until_stopped
from bot.service.abuse_limits import AbuseLimits
from bot.service.back_office import BackOffice
from bot.service.conversations import ConversationService
from bot.storage import Store
from bot.storage.outage import is_outage

log = logging.getLogger(__name__)

PURGE_INTERVAL_SECONDS = 24 * 3600
"""How often the running bot deletes drafts older than ``DRAFT_RETENTION_DAYS``."""


def make_transport(settings: Settings) -> Transport:
    """The transport ``MAIL_TRANSPORT`` asks for, configured from ``SMTP_*`` or ``OUTBOX_DIR``."""
    if settings.mail_transport == "smtp":
        return SmtpTransport(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            security=settings.smtp_security,
            timeout=settings.smtp_timeout,
            tls_context=(
                ssl.create_default_context(cafile=str(settings.smtp_ca_file))
                if settings.smtp_ca_file
                else None
            ),
        )
    return FileTransport(settings.outbox_dir)


@dataclass
class Runtime:
    """Everything a front end needs, opened together and closed together."""

    settings: Settings
    consultation: Consultation
    store: Store
    service: ConversationService
    worker: OutboxWorker
    notifier: ChatNotifier = field(default_factory=ChatNotifier)
    """Tells people (and staff, via ``add_staff_alert``) about mail that cannot be delivered."""
    clock: Callable[[], datetime] = utc_now
    submitted_hooks: list[Callable[[], None]] = field(default_factory=list)
    """Called after each new submission is stored (the worker's wake-up comes first)."""
    purge_interval_seconds: float = PURGE_INTERVAL_SECONDS
    senders: dict[str, SendText] = field(default_factory=dict)
    """How each running front end reaches its people, by key prefix (``tg``, ``web``)."""
    _purger: asyncio.Task[None] | None = field(default=None, repr=False)

    @classmethod
    async def open(cls, settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Runtime:
        """Load the consultation, open the database and build the service and worker.

        ``clock`` is the time the conversation and the staff chat go by (tests set it).
        """
        hooks: list[Callable[[], None]] = []

        def submitted() -> None:
            for hook in hooks:
                hook()

        consultation = load_consultation(settings.conversation_file)
        # Every catalog and babel's locale data now, so no channel's first step reads a file.
        catalogs.warm_up()
        formats.warm_up(clock().date())
        store = await Store.open(settings.database_path)
        notifier = ChatNotifier()
        transport = make_transport(settings)
        worker = OutboxWorker(
            store,
            transport,
            mail_from=settings.mail_from,
            recipient_override=settings.recipient_override,
            poll_seconds=settings.outbox_poll_seconds,
            consultation=consultation,
            notifier=notifier,
            clock=clock,
        )
        service = ConversationService(
            consultation,
            store,
            limits=Limits(
                max_submission_bytes=settings.max_submission_bytes,
                draft_retention_days=settings.draft_retention_days,
                send_receipts=settings.send_receipts,
                operator_name=settings.operator_name or "",
                operator_contact=settings.operator_contact or "",
            ),
            mail_domain=address_domain(settings.mail_from),
            send_receipts=settings.send_receipts,
            receipts_per_address_per_day=settings.receipts_per_address_per_day,
            clock=clock,
            on_submitted=submitted,
            forget_copies=partial(forget_copies, transport),
            abuse_limits=AbuseLimits(
                submissions_per_hour=settings.max_submissions_per_hour,
                uploads_per_hour=settings.max_uploads_per_hour,
            ),
        )
        hooks.append(worker.notify)
        runtime = cls(settings, consultation, store, service, worker, notifier, clock, hooks)
        notifier.attach(runtime.tell)
        return runtime

    async def tell(self, user_id: str, text: str) -> None:
        """Tell a person something (a failed delivery) through the front end they use."""
        send = self.senders.get(user_id.partition(":")[0])
        if send is None:
            log.warning("no running front end can tell this person (%s)", user_id[:3])
            return
        await send(user_id, text)

    async def start_background(self) -> None:
        """Start delivering mail and purge drafts nobody has touched for too long."""
        await self.purge_abandoned_drafts()
        await self.worker.start()
        if self._purger is None:
            self._purger = asyncio.create_task(self._purge_daily(), name="draft-purger")

    async def _purge_daily(self) -> None:
        while True:
            await asyncio.sleep(self.purge_interval_seconds)
            try:
                await self.purge_abandoned_drafts()
            except Exception as error:
                if not is_outage(error):  # an outage is logged once, by storage
                    log.exception("purging abandoned drafts failed; trying again later")

    async def purge_abandoned_drafts(self) -> int:
        """Delete drafts older than ``DRAFT_RETENTION_DAYS``; return how many.

        Whose drafts went is noted (``purged:<user>``, kept for as long as a draft would be)
        so each person is told why when they come back (:mod:`bot.channels.telegram.purge_notice`).
        """
        now = self.clock()
        cutoff = now - timedelta(days=self.settings.draft_retention_days)
        users = await self.store.jobs.stale_drafts(self.consultation.id, cutoff)
        purged = await self.store.purge_abandoned_drafts(cutoff)
        await self.store.jobs.forget_before(PURGED, cutoff)
        await self.store.jobs.mark_all([PURGED + user for user in users], now)
        if purged:
            log.info("purged %d abandoned draft(s)", purged)
        return purged

    async def close(self) -> None:
        """Stop the worker (letting a send in flight finish briefly) and close the database.

        Safe to call more than once. The database is closed whatever the worker did: its
        thread would keep the process alive.
        """
        try:
            if self._purger is not None:
                self._purger.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._purger
                self._purger = None
            await self.worker.stop()
        finally:
            await self.store.close()


def build_telegram(
    settings: Settings, runtime: Runtime, *, options: TelegramOptions | None = None
) -> AnyApplication:
    """The Telegram application around ``runtime``, which it starts and closes with itself.

    ``post_init`` sets the command menu, then starts the runtime's background work (mail
    delivery, the draft purge); ``post_shutdown`` closes the runtime, so stopping the
    application releases the database too.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    options = options or TelegramOptions.from_settings(settings)
    albums = AlbumCollector(options.album_delay)
    faults = FaultNotice(runtime.store.outage)
    office = BackOffice(
        runtime.consultation, runtime.store, retry_wakes=runtime.worker.notify, clock=runtime.clock
    )

    async def post_init(app: AnyApplication) -> None:
        renamed = await runtime.store.updates.adopt_legacy_keys(update_source(app.bot.id))
        if renamed:
            log.info("gave %d update key(s) from before this version the bot id", renamed)
        await register_commands(app.bot)
        await register_admin_menu(app.bot, settings.admin_user_ids)

        async def tell(user_id: str, text: str) -> None:
            chat = private_chat_of(user_id)
            if chat is not None:
                await app.bot.send_message(chat_id=chat, text=text)

        runtime.senders["tg"] = tell
        await runtime.start_background()
        await start_reminders(app, office, settings.draft_retention_days)
        if settings.staff_chat_id is not None:
            await start_staff_chat(
                app,
                office,
                settings.staff_chat_id,
                settings.digest_time,
                submitted_hooks=runtime.submitted_hooks,
                notifier=runtime.notifier,
            )

    async def post_shutdown(_app: AnyApplication) -> None:
        runtime.senders.pop("tg", None)
        await runtime.close()

    app = build_application(
        token=settings.telegram_bot_token.get_secret_value(),
        api_url=settings.telegram_api_url,
        albums=albums,
        journal=runtime.store.updates,
        faults=faults,
        outage=runtime.store.outage,
        options=options,
        post_init=post_init,
        post_shutdown=post_shutdown,
    )
    # Handlers: admin commands and staff buttons first (they only match admins' updates),
    # then the conversation's, sharing the album collector with the update processor above.
    AdminHandlers(office, frozenset(settings.admin_user_ids)).register(app)
    TelegramHandlers(
        runtime.service,
        albums,
        download_limit=options.download_limit,
        journal=runtime.store.updates,
        faults=faults,
    ).register(app)
    # Before all of them (group -1): why a purged draft is gone, then the update goes on.
    PurgeNotice(office, settings.draft_retention_days).register(app)
    return app


def webhook_for(
    settings: Settings,
    *,
    url: str | None = None,
    listen: str | None = None,
    port: int | None = None,
) -> Webhook | None:
    """Webhook mode when ``url`` (or ``WEBHOOK_URL``) is set; ``None`` means long polling."""
    url = url or settings.webhook_url
    if not url:
        return None
    configured = settings.webhook_secret
    return Webhook(
        url=url,
        listen=listen or settings.webhook_listen,
        port=port or settings.webhook_port,
        secret=webhook_secret(configured.get_secret_value() if configured else None),
    )


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
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    options = options or TelegramOptions.from_settings(settings)
    webhook = webhook_for(settings, url=webhook_url, listen=listen, port=port)
    runtime = await Runtime.open(settings)
    try:
        app = build_telegram(settings, runtime, options=options)
    except BaseException:
        await runtime.close()
        raise
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(running(app, options=options, webhook=webhook))
        if settings.web_enabled:
            # The same runtime: one database, one outbox worker, one service for both.
            await stack.enter_async_context(web_serving(settings, runtime))
        mode = "webhook" if webhook else "long polling"
        log.info("Telegram bot @%s is running (%s)", app.bot.username, mode)
        await until_stopped(stop)
        if stop is None:  # a signal: the process must end within the grace, come what may
            exit_after(options.stop_grace)


def build_web(settings: Settings, runtime: Runtime) -> web.Application:
    """The web chat around ``runtime``'s service and store (it does not start the runtime)."""
    return build_web_app(
        runtime.service,
        runtime.consultation,
        runtime.store.web,
        WebOptions.from_settings(settings),
        clock=runtime.clock,
    )


@contextlib.asynccontextmanager
async def web_serving(
    settings: Settings,
    runtime: Runtime,
    *,
    listen: str | None = None,
    port: int | None = None,
) -> AsyncIterator[int]:
    """Serve the web chat while the block runs; yields the port it listens on."""
    app = build_web(settings, runtime)
    runtime.senders["web"] = app[STATE].tell
    async with serving(
        app, listen or settings.web_listen, settings.web_port if port is None else port
    ) as bound:
        yield bound


async def run_web(
    settings: Settings,
    *,
    listen: str | None = None,
    port: int | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """The web chat alone until SIGINT/SIGTERM (or ``stop``): ``innspill web``."""
    runtime = await Runtime.open(settings)
    try:
        await runtime.start_background()
        async with web_serving(settings, runtime, listen=listen, port=port) as bound:
            log.info("web chat is running (port %s)", bound)
            await until_stopped(stop)
            if stop is None:  # a signal: the process must end within the grace, come what may
                exit_after(settings.stop_grace_seconds)
    finally:
        await runtime.close()
