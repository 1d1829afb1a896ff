"""The routes beside the chat: privacy, accessibility, resume code, deletion, health."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.channels.web.channel_state import ChannelState
from bot.channels.web.info_pages import (
    accessibility_page,
    delete_page,
    privacy_page,
    resume_page,
)
from bot.channels.web.visitors import Visitor
from bot.consultation.model import pick

log = logging.getLogger(__name__)


class InfoRoutes:
    """Pages that tell, and the resume code form."""

    def __init__(self, state: ChannelState) -> None:
        """Share the channel's state."""
        self.state = state

    def register(self, app: web.Application) -> None:
        """Add the routes."""
        app.router.add_get("/personvern", self.privacy)
        app.router.add_get("/tilgjengelighet", self.accessibility)
        app.router.add_get("/fortsett", self.resume_form)
        app.router.add_post("/fortsett", self.resume)
        app.router.add_get("/slett", self.delete)
        app.router.add_get("/helse", self.health)

    def _html(self, visitor: Visitor, page: str) -> web.StreamResponse:
        response = web.Response(text=page, content_type="text/html")
        return self.state.keep(response, visitor) if visitor.new else response

    async def privacy(self, request: web.Request) -> web.StreamResponse:
        """``/personvern``: what the web chat stores, and for how long."""
        state = self.state
        visitor = await state.visitor(request)
        lang = state.page_language(request, visitor)
        options = state.options
        page = privacy_page(
            state.info_view(lang, visitor),
            days=options.draft_retention_days,
            ministry=pick(state.consultation.ministry, lang),
            operator_name=options.operator_name,
            operator_contact=options.operator_contact,
        )
        return self._html(visitor, page)

    async def accessibility(self, request: web.Request) -> web.StreamResponse:
        """``/tilgjengelighet``: the accessibility statement."""
        state = self.state
        visitor = await state.visitor(request)
        lang = state.page_language(request, visitor)
        page = accessibility_page(
            state.info_view(lang, visitor), contact=state.options.operator_contact
        )
        return self._html(visitor, page)

    async def delete(self, request: web.Request) -> web.StreamResponse:
        """``/slett``: what deleting does; its button asks the chat to delete (it confirms)."""
        state = self.state
        visitor = await state.visitor(request)
        lang = state.page_language(request, visitor)
        return self._html(visitor, delete_page(state.info_view(lang, visitor)))

    async def resume_form(self, request: web.Request) -> web.StreamResponse:
        """``/fortsett``: type the code from another device."""
        state = self.state
        visitor = await state.visitor(request)
        lang = state.page_language(request, visitor)
        own = visitor.resume_code if state.visitors.has_code(visitor) else None
        page = resume_page(state.info_view(lang, visitor), own_code=own, problem=None)
        return self._html(visitor, page)

    async def resume(self, request: web.Request) -> web.StreamResponse:
        """A resume code: this device continues as its owner, or the person is told why not.

        Wrong codes are counted per client address and in all, and the form refuses
        before looking a code up once either count is reached, so codes cannot be guessed.
        """
        state = self.state
        posted = await state.posted(request)
        visitor = posted.visitor
        address = state.address(request)
        lang = state.page_language(request, visitor)
        problem = None
        if not state.throttle.may_guess_code(address):
            problem = "too_many"
        else:
            owner = await state.visitors.join(visitor, posted.text("kode"), state.clock())
            if owner is None:
                state.throttle.wrong_code(address)
                problem = "wrong"
            else:
                log.info("a web visitor continued a conversation on another device")
                state.transcripts.forget(visitor.user_key)
                return state.back_to_chat(visitor)
        page = resume_page(state.info_view(lang, visitor), own_code=None, problem=problem)
        status = 429 if problem == "too_many" else 200
        return web.Response(text=page, status=status, content_type="text/html")

    async def health(self, _request: web.Request) -> web.StreamResponse:
        """``/helse``: the web chat answers (``innspill health`` asks it)."""
        return web.Response(text="ok\n", headers={"Cache-Control": "no-store"})
