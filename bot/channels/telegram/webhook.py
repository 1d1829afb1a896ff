"""The webhook server: answers Telegram 200 only once the update is handled.

PTB's webhook server answers 200 as soon as an update is queued, and Telegram then forgets
it: a crash before the handler ran loses it. This server holds the request open until the
update is handled and its effects are committed. If that takes longer than
``answer_within`` seconds, or the bot is stopping, it answers 503 and Telegram sends the
update again later; the update journal recognises it if it was handled meanwhile. Updates are
queued as the JSON Telegram sent, like polled ones: the chat queue decodes them in turn and
sets aside one that cannot be decoded (and Telegram then gets its 200).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Sequence
from json import JSONDecodeError
from typing import Any

from aiohttp import web
from telegram import Bot

from bot.channels.telegram.chat_queue import ChatQueue, RawUpdate

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class ConfirmingWebhook:
    """A small aiohttp server for Telegram's webhook posts."""

    def __init__(
        self,
        bot: Bot,
        queue: ChatQueue,
        *,
        url: str,
        path: str,
        listen: str,
        port: int,
        secret: str,
        allowed_updates: Sequence[str],
        answer_within: float = 50.0,
    ) -> None:
        self.bot = bot
        self.queue = queue
        self.url = url
        self.path = "/" + path.strip("/")
        self.listen = listen
        self.port = port
        self.secret = secret
        self.allowed_updates = list(allowed_updates)
        self.answer_within = answer_within
        self._runner: web.AppRunner | None = None
        self._accepting = True
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Listen, then tell Telegram where to post (an ``OSError`` if the port is taken)."""
        app = web.Application()
        app.router.add_post(self.path, self._post)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.listen, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        await self.bot.set_webhook(
            url=self.url, allowed_updates=self.allowed_updates, secret_token=self.secret
        )

    def stop_accepting(self) -> None:
        """Answer new posts with 503: Telegram keeps them for the restart."""
        self._accepting = False

    async def close(self) -> None:
        """Answer the posts still waiting with 503 and stop the server."""
        self._stopping.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _post(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403)
        if not self._accepting:
            return web.Response(status=503)
        try:
            data: Any = await request.json()
        except (JSONDecodeError, ValueError):
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            log.info("ignoring a webhook post that is not an update")
            return web.Response(status=400)
        update_id = int(data["update_id"])
        if self.queue.take(update_id):
            self.queue.put_nowait(RawUpdate(data))
        handled = await self._wait_handled(update_id)
        return web.Response(status=200 if handled else 503)

    async def _wait_handled(self, update_id: int) -> bool:
        finished = asyncio.ensure_future(self.queue.finished(update_id))
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait(
                {finished, stopping},
                timeout=self.answer_within,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            stopping.cancel()
            if not finished.done():
                finished.cancel()
        return finished.done() and not finished.cancelled()
