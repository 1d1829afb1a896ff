"""A step that cannot be stored is held, said once, and answered in order once storage works.

Storage fails here at the SQLite layer, as a full disk makes it fail: the bot's own connection
refuses every write to the conversations (an authorizer), while fetching and storing updates
still works, so only the steps fail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from bot.app import Runtime
from bot.storage.connection import on_thread
from tests.channels.telegram.fake_bot_api import FakeBotApi
from tests.channels.telegram.test_conversation_e2e import GUIDED

pytestmark = pytest.mark.slow

NOTICE = "midlertidig feil"


def refusing_sessions(action: int, table: str | None, *_args: object) -> int:
    """An authorizer: every write to the stored conversations fails."""
    writes = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
    return sqlite3.SQLITE_DENY if action in writes and table == "sessions" else sqlite3.SQLITE_OK


async def authorize(runtime: Runtime, authorizer: Callable[..., int] | None) -> None:
    """Set the authorizer of the bot's own connection, on its database thread."""
    database = runtime.store._db  # the test reaches into the store to break its disk

    def set_it(conn: sqlite3.Connection) -> None:
        conn.set_authorizer(authorizer)

    async with database.read() as db:
        await on_thread(db, set_it)


async def test_steps_that_cannot_be_stored_wait_and_are_answered_in_order(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(5501)
    await kari.send("/start")
    await kari.wait_for_reply("Hvordan vil du svare?")
    await authorize(bot, refusing_sessions)
    mark = kari.mark()
    await kari.click(GUIDED)
    await kari.wait_for_reply(NOTICE, since=mark, timeout=10)
    assert bot.store.outage.active
    await kari.send("/status")  # waits behind the held step, in order
    await kari.send("/hjelp")
    await authorize(bot, None)  # space again
    await kari.wait_for_reply("Dette kan du skrive", since=mark, timeout=20)
    await api.settle()
    texts = [o.text for o in kari.replies_since(mark)]
    assert sum(NOTICE in t for t in texts) == 1, texts
    order = [t for t in texts if NOTICE not in t]
    assert "Hvem svarer du for?" in order[0], order  # the held step first, then the rest
    assert order[1].startswith("Du har "), order
    assert order[2].startswith("Dette kan du skrive"), order
    assert len(order) == 3, order
    assert not bot.store.outage.active
