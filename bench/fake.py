"""The in-repo Bot API fake, extended with what a load driver needs.

The one place the benchmark imports the fake from: if it moves, only this import changes.
The extension counts calls by method and chat, timestamps each bot output, and wakes only
the person whose chat got output (the fake's own waiting wakes every waiter on every call,
which would make the driver, not the bot, the bottleneck at hundreds of users).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from aiohttp import web

from tests.channels.telegram.fake_bot_api import BotMessage, FakeBotApi, FakeUser

__all__ = ["BenchBotApi", "BotMessage", "FakeUser"]

JSONDict = dict[str, Any]


class BenchBotApi(FakeBotApi):
    """``FakeBotApi`` that counts calls and wakes one chat's waiter per output."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.counts: Counter[str] = Counter()
        """Calls by method (``getUpdates`` included), since the last :meth:`reset_counts`."""
        self.chat_calls = 0
        """Calls addressed to a chat (they carry ``chat_id``), since the last reset."""
        self._outputs: dict[int, asyncio.Event] = {}
        self.keep_calls = False
        """Keep every call in ``calls`` (the fake's default); off, so memory stays flat."""

    def reset_counts(self) -> None:
        """Start counting afresh (at the beginning of a measured phase)."""
        self.counts.clear()
        self.chat_calls = 0

    def output_event(self, chat_id: int) -> asyncio.Event:
        """Set whenever the bot sent or edited something in ``chat_id``."""
        event = self._outputs.get(chat_id)
        if event is None:
            event = self._outputs[chat_id] = asyncio.Event()
        return event

    def wake_everyone(self) -> None:
        """Wake every waiting person (after the bot was killed and restarted)."""
        for event in self._outputs.values():
            event.set()

    async def release_polls(self) -> None:
        """Answer long polls at once from now on, so a bot stopping need not wait them out."""
        self._closing = True
        await self._notify()

    def hold_polls(self) -> None:
        """Long polls wait for updates again (for a bot started after :meth:`release_polls`)."""
        self._closing = False

    async def _call(self, method: str, params: JSONDict, files: dict[str, bytes]) -> web.Response:
        self.counts[method] += 1
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int):
            self.chat_calls += 1
        response = await super()._call(method, params, files)
        if not self.keep_calls and len(self.calls) > 1000:
            del self.calls[:-100]
        if isinstance(chat_id, int) and chat_id in self._outputs:
            self._outputs[chat_id].set()
        return response

    def outputs_in(self, chat_id: int) -> list[BotMessage]:
        """The bot's outputs in a chat (without copying the fake's whole list each time)."""
        return self._chats[chat_id].outputs if chat_id in self._chats else []

    def now(self) -> float:
        """The driver's clock."""
        return time.perf_counter()
