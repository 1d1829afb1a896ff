"""The chat's routes: show the page, and one route per kind of input.

Thin, like Telegram's handlers: check the post, call the service, put the replies on the page,
redirect.
Every post is answered with ``303 See Other`` to ``/`` (post/redirect/get), so reloading or
going back never sends an answer twice; the form's ``turn`` id is the update key, so even a
double click is applied once. People are known to the service as ``web:<hash>``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from functools import lru_cache

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.channels.web.channel_state import UPLOAD_OVERHEAD, ChannelState, see_other
from bot.channels.web.chat_page import ChatView, chat_page
from bot.conversation.capabilities import ChannelCapabilities, DocumentWay
from bot.conversation.commands import OPEN, parse_command
from bot.i18n.formats import format_size
from bot.i18n.languages import SOURCE, is_known
from bot.service.uploads import IncomingFile

log = logging.getLogger(__name__)

WEB = ChannelCapabilities(documents=DocumentWay.CHOOSE_FILE)
"""What the engine must know of the web chat: no message length limit, and a document is
chosen with the page's file field. Passed with every event."""
COMMANDS = frozenset({"back", "skip", "summary", "status", "help", "delete", "cancel", OPEN})
"""Commands a button may post (``language:<code>`` too); anything else is ignored."""
LANGUAGE_PREFIX = "language:"
QUICK_PATH = "rask"
_size_text = lru_cache(maxsize=16)(format_size)
"""The upload limit as people read it (babel's formatting is slow to run on every page)."""
"""``/?rask`` opens the quick path, as Telegram's ``?start=rask`` does."""


class ChatRoutes:
    """``GET /`` and the posts of the chat page."""

    def __init__(self, state: ChannelState) -> None:
        """Share the channel's state."""
        self.state = state

    def register(self, app: web.Application) -> None:
        """Add the routes."""
        app.router.add_get("/", self.show)
        app.router.add_post("/svar", self._page_for_script(self.answer))
        app.router.add_post("/valg", self._page_for_script(self.choose))
        app.router.add_post("/kommando", self._page_for_script(self.command))
        app.router.add_post("/vedlegg", self._page_for_script(self.upload))

    def _page_for_script(self, post: Handler) -> Handler:
        """Our script posts with ``X-Requested-With: fetch``: it gets the next page at once.

        Without the script the browser must follow the redirect (post/redirect/get); the
        script swaps the page in place, so it is sent the page the redirect leads to in the
        same response, one request instead of two.
        """

        async def handle(request: web.Request) -> web.StreamResponse:
            response = await post(request)
            location = response.headers.get("Location", "")
            if response.status != 303 or not location.startswith("/#"):
                return response
            if request.headers.get("X-Requested-With") != "fetch":
                return response
            page = await self.show(request)
            for cookie in response.headers.getall("Set-Cookie", []):
                page.headers.add("Set-Cookie", cookie)
            return page

        return handle

    async def show(self, request: web.Request) -> web.StreamResponse:
        """The chat page; a visitor this process has no page for is greeted by the service."""
        state = self.state
        visitor = await state.visitor(request)
        quick = QUICK_PATH in request.query
        page = state.transcripts.get(visitor.user_key)
        if page is None or quick:
            if visitor.new and not state.throttle.new_people.allow(state.address(request)):
                return state.refuse(request, visitor, 429)
            handled = await state.service.handle_command(
                visitor.user_key,
                "start" if quick else OPEN,
                QUICK_PATH if quick else "",
                language_code=state.language_code(request),
                channel=WEB,
            )
            if page is None:
                page = state.transcripts.open(visitor.user_key, handled.lang or SOURCE)
            await state.record(page, visitor, None, handled)
            if quick:
                return state.back_to_chat(visitor)
        lang = page.lang
        view = ChatView(
            site=state.site(lang),
            title=state.site(lang),
            csrf=visitor.csrf,
            turn=state.new_turn(),
            assets=state.assets,
            resume_code=visitor.resume_code if state.visitors.has_code(visitor) else None,
            upload_limit=_size_text(state.options.max_upload_bytes, lang),
        )
        html = chat_page(page, view)
        page.problem = None  # a problem is shown once, with the form it is about
        response = web.Response(text=html, content_type="text/html")
        return state.keep(response, visitor) if visitor.new else response

    async def answer(self, request: web.Request) -> web.StreamResponse:
        """Typed text (commands included: the engine parses them, as on Telegram)."""
        state = self.state
        posted = await state.posted(request)
        visitor = posted.visitor
        page = state.page_for_post(request, visitor)
        text = posted.text("tekst")
        if not text.strip():
            page.show_problem("empty")
            return state.back_to_chat(visitor, problem=True)
        command = parse_command(text)
        if command is not None and command[0] == "privacy":
            # The web has its own privacy page (it speaks of cookies, not Telegram ids).
            return state.keep(see_other("/personvern"), visitor)
        handled = await state.service.handle_text(
            visitor.user_key,
            text,
            update_key=posted.update_key,
            language_code=state.language_code(request),
            channel=WEB,
        )
        await state.record(page, visitor, text, handled)
        return state.back_to_chat(visitor)

    async def choose(self, request: web.Request) -> web.StreamResponse:
        """A choice button: shown as the person's message unless it only toggles."""
        state = self.state
        posted = await state.posted(request)
        visitor = posted.visitor
        page = state.page_for_post(request, visitor)
        step, choice = posted.text("step"), posted.text("choice")
        # An old page's button goes to the service too: the engine answers it as Telegram's.
        label = page.choice_label(step, choice)
        handled = await state.service.handle_choice(
            visitor.user_key,
            step,
            choice,
            update_key=posted.update_key,
            language_code=state.language_code(request),
            channel=WEB,
        )
        toggled = bool(handled.replies) and handled.replies[0].replace_previous
        await state.record(page, visitor, None if toggled else label, handled)
        return state.back_to_chat(visitor)

    async def command(self, request: web.Request) -> web.StreamResponse:
        """A command button: back, skip, summary, status, help, language, delete."""
        state = self.state
        posted = await state.posted(request)
        visitor = posted.visitor
        page = state.page_for_post(request, visitor)
        name = posted.text("command")
        arg = ""
        if name.startswith(LANGUAGE_PREFIX):
            name, arg = "language", name.removeprefix(LANGUAGE_PREFIX)
            if not is_known(arg):
                return state.back_to_chat(visitor)
        elif name not in COMMANDS:
            return state.back_to_chat(visitor)
        handled = await state.service.handle_command(
            visitor.user_key,
            name,
            arg,
            update_key=posted.update_key,
            language_code=state.language_code(request),
            channel=WEB,
        )
        await state.record(page, visitor, None, handled)
        return state.back_to_chat(visitor)

    async def upload(self, request: web.Request) -> web.StreamResponse:
        """Documents from the file input, checked by content as on Telegram."""
        state = self.state
        limit = state.options.max_upload_bytes
        if request.content_length is not None and request.content_length > limit + UPLOAD_OVERHEAD:
            visitor = await state.visitor(request)
            page = state.transcripts.get(visitor.user_key)
            if page is None or visitor.new:
                return state.refuse(request, visitor, 413)
            # Refused before reading a byte of it; the person is told on the page.
            page.show_problem("too_large")
            return state.back_to_chat(visitor, problem=True)
        posted = await state.posted(request, limit=limit + UPLOAD_OVERHEAD)
        visitor = posted.visitor
        page = state.page_for_post(request, visitor)
        files = await asyncio.to_thread(_files_of, posted.form.getall("dokument", []))
        if not files:
            page.show_problem("no_file")
            return state.back_to_chat(visitor, problem=True)
        handled = await state.service.handle_files(
            visitor.user_key,
            files,
            update_key=posted.update_key,
            language_code=state.language_code(request),
            channel=WEB,
        )
        names = ", ".join(file.file_name for file in files)
        await state.record(page, visitor, "📎 " + names, handled)
        return state.back_to_chat(visitor)


def _files_of(fields: Sequence[object]) -> list[IncomingFile]:
    """The chosen files (an empty file input still posts one part: no name, no bytes)."""
    files = []
    for field in fields:
        if not isinstance(field, web.FileField):
            continue
        data = field.file.read()
        if not data and not field.filename:
            continue
        files.append(
            IncomingFile(
                file_name=field.filename or "dokument",
                mime_type=field.content_type,
                size=len(data),
                data=data,
            )
        )
    return files
