"""What every web route shares: the service, the visitors, the pages and the limits.

Also how a request becomes a visitor, a checked form, and a redirect back to the chat.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from aiohttp import web
from multidict import MultiDictProxy

from bot.channels.web.info_pages import InfoView, error_page
from bot.channels.web.page_shell import Assets
from bot.channels.web.static_files import StaticFile, assets_of
from bot.channels.web.throttle import Network, Throttle, client_address, trusted_networks
from bot.channels.web.transcript import Page, Transcripts
from bot.channels.web.visitors import COOKIE, Visitor, VisitorBook, csrf_matches
from bot.consultation.model import Consultation, pick
from bot.conversation.events import Reply
from bot.i18n.languages import is_known, resolve_language
from bot.ops.settings import Settings
from bot.service.conversations import ConversationService, Handled

TEXT_LIMIT = 1024 * 1024
"""Largest form post other than an upload (a long text pasted on the quick path fits)."""
UPLOAD_OVERHEAD = 64 * 1024
"""Room for the multipart headers and the other fields around the files."""


def see_other(location: str) -> web.Response:
    """``303 See Other``: after a post, the browser loads ``location`` with a GET."""
    return web.Response(status=303, headers={"Location": location})


@dataclass(frozen=True)
class WebOptions:
    """The web chat's settings, as plain values, read once from ``Settings``."""

    public_url: str | None = None
    trusted_proxies: tuple[Network, ...] = ()
    embed_origins: tuple[str, ...] = ()
    posts_per_minute: int = 120
    new_people_per_hour: int = 200
    resume_attempts_per_hour: int = 10
    max_upload_bytes: int = 20 * 1024 * 1024
    cookie_days: int = 31
    operator_name: str = ""
    operator_contact: str = ""
    draft_retention_days: int = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> WebOptions:
        """What the operator configured (``WEB_*`` and the privacy settings)."""
        return cls(
            public_url=settings.web_public_url,
            trusted_proxies=trusted_networks(settings.web_trusted_proxy),
            embed_origins=tuple(settings.web_embed_origins),
            posts_per_minute=settings.web_posts_per_minute,
            new_people_per_hour=settings.web_new_people_per_hour,
            resume_attempts_per_hour=settings.web_resume_attempts_per_hour,
            max_upload_bytes=settings.web_max_upload_bytes,
            # The cookie outlives an untouched draft by a day, so a person who comes back in
            # time finds it; after that there is nothing left to find.
            cookie_days=settings.draft_retention_days + 1,
            operator_name=settings.operator_name or "",
            operator_contact=settings.operator_contact or "",
            draft_retention_days=settings.draft_retention_days,
        )

    @property
    def https(self) -> bool:
        """Whether people reach the chat over HTTPS (the cookie is then ``Secure``)."""
        return bool(self.public_url and self.public_url.lower().startswith("https://"))


@dataclass(frozen=True)
class Posted:
    """A form post that passed every check: who sent it, its fields, and its update key."""

    visitor: Visitor
    form: MultiDictProxy[str | bytes | bytearray | web.FileField]
    update_key: str | None

    def text(self, name: str) -> str:
        """A text field ('' when missing or a file)."""
        value = self.form.get(name, "")
        return value if isinstance(value, str) else ""


@dataclass
class ChannelState:
    """Everything the routes share, built once per application."""

    service: ConversationService
    consultation: Consultation
    visitors: VisitorBook
    options: WebOptions
    static: dict[str, StaticFile]
    clock: Callable[[], datetime]
    transcripts: Transcripts = field(default_factory=Transcripts)
    throttle: Throttle = field(init=False)

    def __post_init__(self) -> None:
        self.throttle = Throttle(
            self.options.posts_per_minute,
            self.options.new_people_per_hour,
            self.options.resume_attempts_per_hour,
        )

    @property
    def assets(self) -> Assets:
        """Where the pages find our script and style sheet."""
        return assets_of(self.static)

    def site(self, lang: str) -> str:
        """The name in the page header: the consultation's title."""
        return pick(self.consultation.title, lang)

    # --- who is asking --------------------------------------------------------------------

    async def visitor(self, request: web.Request) -> Visitor:
        """The visitor behind the request's cookie (a new one without a valid cookie)."""
        return await self.visitors.visitor(request.cookies.get(COOKIE))

    def address(self, request: web.Request) -> str:
        """The client's address (through a trusted proxy's ``X-Forwarded-For``)."""
        return client_address(
            request.remote, request.headers.get("X-Forwarded-For"), self.options.trusted_proxies
        )

    @staticmethod
    def language_code(request: web.Request) -> str | None:
        """The first language of ``Accept-Language`` we speak, as the browser wrote it."""
        ranked = []
        for index, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
            tag, _, params = part.strip().partition(";")
            weight = 1.0
            if params.strip().startswith("q="):
                try:
                    weight = float(params.strip()[2:])
                except ValueError:
                    weight = 0.0
            if tag and weight > 0:
                ranked.append((-weight, index, tag.strip()))
        for _weight, _index, tag in sorted(ranked):
            if resolve_language(tag)[1]:
                return tag
        return None

    def page_language(self, request: web.Request, visitor: Visitor) -> str:
        """The language of a page that is not the chat: ``?lang=``, the chat's, the browser's."""
        asked = request.query.get("lang")
        if asked is not None and is_known(asked):
            return asked
        page = self.transcripts.get(visitor.user_key)
        if page is not None:
            return page.lang
        return resolve_language(self.language_code(request))[0]

    def info_view(self, lang: str, visitor: Visitor) -> InfoView:
        """What an info page needs."""
        return InfoView(lang, self.site(lang), self.assets, visitor.csrf)

    # --- responses ------------------------------------------------------------------------

    def keep(self, response: web.StreamResponse, visitor: Visitor) -> web.StreamResponse:
        """Give the visitor their cookie (again, so it lasts while they use the chat)."""
        embedded = bool(self.options.embed_origins) and self.options.https
        parts = [
            f"{COOKIE}={visitor.token}",
            f"Max-Age={self.options.cookie_days * 24 * 3600}",
            "Path=/",
            "HttpOnly",
            # In another site's iframe a Lax cookie is never sent; there it must be None
            # (which browsers allow only with Secure), partitioned by the embedding site.
            "SameSite=None" if embedded else "SameSite=Lax",
        ]
        if self.options.https:
            parts.append("Secure")
        if embedded:
            parts.append("Partitioned")
        # Written by hand: Python 3.11's cookie module knows no Partitioned attribute.
        response.headers.add("Set-Cookie", "; ".join(parts))
        return response

    def back_to_chat(self, visitor: Visitor, *, problem: bool = False) -> web.StreamResponse:
        """303 to the chat, at the question (or at the problem to fix)."""
        return self.keep(see_other("/#problem" if problem else "/#sporsmal"), visitor)

    def refuse(self, request: web.Request, visitor: Visitor, status: int) -> web.Response:
        """An error page in the visitor's language; nothing was changed."""
        framed = request.headers.get("Sec-Fetch-Dest") == "iframe"
        lang = self.page_language(request, visitor)
        body = error_page(self.info_view(lang, visitor), status, framed=framed)
        headers = {}
        if status in (429, 503):
            headers["Retry-After"] = "60"
        return web.Response(text=body, status=status, content_type="text/html", headers=headers)

    # --- form posts -----------------------------------------------------------------------

    async def posted(self, request: web.Request, *, limit: int = TEXT_LIMIT) -> Posted:
        """Check a form post before it touches anything: size, cookie, CSRF token, rate.

        Raises an HTTP error page (``web.HTTPException``) when a check fails.
        """
        if request.content_length is None:
            raise self._error(request, None, 411)
        if request.content_length > limit:
            raise self._error(request, None, 413)
        visitor = await self.visitor(request)
        if visitor.new:  # no cookie: refused before the body is read
            raise self._error(request, visitor, 403)
        if not self.throttle.posts.allow(self.address(request)):
            raise self._error(request, visitor, 429)
        form = await request.post()
        sent = form.get("csrf")
        if not csrf_matches(visitor.token, sent if isinstance(sent, str) else None):
            raise self._error(request, visitor, 403)
        turn = form.get("turn")
        key = f"web:t{turn}" if isinstance(turn, str) and turn.isalnum() else None
        return Posted(visitor, form, key)

    def _error(
        self, request: web.Request, visitor: Visitor | None, status: int
    ) -> web.HTTPException:
        page = self.refuse(request, visitor or Visitor("", "", new=True), status)
        error = web.HTTPException(text=page.text, content_type="text/html")
        error.set_status(status)
        error.headers.update(page.headers)
        return error

    # --- the person's page ----------------------------------------------------------------

    def page_for_post(self, request: web.Request, visitor: Visitor) -> Page:
        """The visitor's page, or an empty one (after a restart the answer still counts)."""
        page = self.transcripts.get(visitor.user_key)
        if page is None:
            lang = resolve_language(self.language_code(request))[0]
            page = self.transcripts.open(visitor.user_key, lang)
        return page

    async def record(
        self, page: Page, visitor: Visitor, said: str | None, handled: Handled
    ) -> Page:
        """Put a handled event on the page; a duplicate post only says it was sent before."""
        if handled.forgotten:
            # Everything about the person is gone: so is their page, and their code here.
            self.transcripts.forget(visitor.user_key)
            self.visitors.forget(visitor.user_key)
            page = self.transcripts.open(visitor.user_key, handled.lang or page.lang)
            page.add_turn(None, handled.replies)
            self.transcripts.settle(visitor.user_key, page)
            return page
        if not handled.replies:
            page.show_problem("duplicate")
            return page
        if handled.lang is not None:
            page.lang = handled.lang
        page.add_turn(said, handled.replies)
        self.transcripts.settle(visitor.user_key, page)
        await self.visitors.register_code(visitor, self.clock())
        return page

    async def tell(self, user_id: str, text: str) -> None:
        """A message from outside the conversation (a failed delivery), on the person's page.

        It shows the next time they look, if this process has their page; a web page cannot
        be reached otherwise.
        """
        page = self.transcripts.get(user_id)
        if page is not None:
            page.add_turn(None, [Reply(text)])
            self.transcripts.settle(user_id, page)

    @staticmethod
    def new_turn() -> str:
        """A one-off id for the forms of one page: the update key of what they post."""
        return secrets.token_urlsafe(12).replace("-", "a").replace("_", "b")
