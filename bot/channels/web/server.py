"""The web chat's aiohttp application: middlewares, routes, and starting and stopping it.

The one place the web channel is wired (``bot.app`` calls :func:`build_web_app` with the
runtime's service and store). Middlewares, outermost first:

1. ``safety``: every response gets the security headers (a Content-Security-Policy with
   ``default-src 'self'`` and no inline script, ``frame-ancestors`` from ``WEB_EMBED_ORIGINS``,
   ``X-Content-Type-Options``, ``Referrer-Policy``), pages are never cached (they hold a
   person's answers), and an error becomes a page in the person's language, not a traceback.
2. ``sized``: a post must say its length, and one longer than the largest upload is refused
   before a byte of it is read.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.channels.web.channel_state import UPLOAD_OVERHEAD, ChannelState, WebOptions
from bot.channels.web.info_routes import InfoRoutes
from bot.channels.web.routes import ChatRoutes
from bot.channels.web.static_files import load_static, static_handler
from bot.channels.web.visitors import Visitor, VisitorBook
from bot.consultation.model import Consultation
from bot.ops.clock import utc_now
from bot.service.conversations import ConversationService
from bot.storage.outage import is_outage
from bot.storage.web_visitors import WebVisitors

log = logging.getLogger(__name__)

STATE = web.AppKey("state", ChannelState)


def content_security_policy(embed_origins: tuple[str, ...]) -> str:
    """Our own files only, no inline script or style; framed only by the named sites."""
    ancestors = " ".join(embed_origins) if embed_origins else "'none'"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
        f"frame-ancestors {ancestors}"
    )


def _safety(state: ChannelState) -> Middleware:
    policy = content_security_policy(state.options.embed_origins)
    framing = {} if state.options.embed_origins else {"X-Frame-Options": "DENY"}

    @web.middleware
    async def safety(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as error:
            if error.status in (404, 405) and error.content_type != "text/html":
                response = state.refuse(request, Visitor("", "", new=True), 404)
            else:
                response = web.Response(status=error.status, text=error.text, headers=error.headers)
        except Exception as error:
            if is_outage(error):  # storage cannot write now: it logs the outage once itself
                response = state.refuse(request, Visitor("", "", new=True), 503)
            else:
                log.exception("web request failed: %s %s", request.method, request.path)
                response = state.refuse(request, Visitor("", "", new=True), 500)
        headers = response.headers
        headers["Content-Security-Policy"] = policy
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers.update(framing)
        if not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        return response

    return safety


def _sized(state: ChannelState) -> Middleware:
    largest = state.options.max_upload_bytes + UPLOAD_OVERHEAD

    @web.middleware
    async def sized(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method == "POST":
            length = request.content_length
            if length is None:
                return state.refuse(request, Visitor("", "", new=True), 411)
            if length > largest and request.path != "/vedlegg":
                return state.refuse(request, Visitor("", "", new=True), 413)
        response: web.StreamResponse = await handler(request)
        return response

    return sized


def build_web_app(
    service: ConversationService,
    consultation: Consultation,
    visitors: WebVisitors,
    options: WebOptions,
    *,
    clock: Callable[[], datetime] = utc_now,
) -> web.Application:
    """The web chat as an aiohttp application (serve it with :func:`serving`)."""
    state = ChannelState(
        service=service,
        consultation=consultation,
        visitors=VisitorBook(visitors),
        options=options,
        static=load_static(),
        clock=clock,
    )
    app = web.Application(
        middlewares=[_safety(state), _sized(state)],
        client_max_size=options.max_upload_bytes + UPLOAD_OVERHEAD,
    )
    app[STATE] = state
    ChatRoutes(state).register(app)
    InfoRoutes(state).register(app)
    app.router.add_get("/static/{name}", static_handler(state.static))
    app.router.add_get("/robots.txt", _robots)
    return app


async def _robots(_request: web.Request) -> web.StreamResponse:
    """Search engines need not index people's chats (each visit opens one)."""
    return web.Response(text="User-agent: *\nDisallow: /\n")


@contextlib.asynccontextmanager
async def serving(app: web.Application, host: str, port: int) -> AsyncIterator[int]:
    """Serve ``app`` on ``host:port`` until the block ends; yields the port (0: a free one)."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port, shutdown_timeout=5.0)
    try:
        await site.start()
        bound = runner.addresses[0][1] if runner.addresses else port
        log.info("web chat is listening on %s:%s", host, bound)
        yield int(bound)
    finally:
        await runner.cleanup()
