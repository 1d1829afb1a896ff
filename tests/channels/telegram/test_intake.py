"""The update queue: chats in turn, a chat's backlog of texts folded before it is decoded."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Bot, Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram.flood import last_message_id, merged_ids
from bot.channels.telegram.intake import FairUpdateQueue, RawUpdate
from bot.channels.telegram.ledger import UpdateLedger
from bot.channels.telegram.polling import ConfirmingProcessor
from tests.channels.telegram.conftest import TOKEN


def text(update_id: int, chat: int, words: str) -> dict[str, Any]:
    person = {"id": chat, "is_bot": False, "first_name": "Kari"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private", "first_name": "Kari"},
            "from": person,
            "text": words,
        },
    }


def queue(per_chat: int = 2) -> FairUpdateQueue:
    q = FairUpdateQueue(per_chat)
    q.bot = Bot(TOKEN)
    return q


def drain(q: FairUpdateQueue) -> list[Update]:
    out = []
    while not q.empty():
        item = q.get_nowait()
        assert isinstance(item, Update)
        out.append(item)
    return out


def texts(updates: list[Update]) -> list[tuple[int, str | None]]:
    return [
        (u.effective_chat.id, u.message.text) for u in updates if u.message and u.effective_chat
    ]


async def test_a_flooding_chat_does_not_go_before_the_others() -> None:
    q = queue(per_chat=100)
    for n in range(10):
        q.put_nowait(RawUpdate(text(n, 1, f"flom {n}")))
    q.put_nowait(RawUpdate(text(10, 2, "hei")))
    q.put_nowait(RawUpdate(text(11, 3, "hallo")))
    handed = texts(drain(q))
    # One update per chat in turn: the two others come second and third, not after ten.
    assert handed[:3] == [(1, "flom 0"), (2, "hei"), (3, "hallo")]
    # Within the flooding chat, the order is kept.
    assert [t for c, t in handed if c == 1] == [f"flom {n}" for n in range(10)]


async def test_a_backlog_of_texts_is_folded_into_the_last_waiting_one() -> None:
    q = queue(per_chat=2)
    for n in range(6):
        q.put_nowait(RawUpdate(text(n, 1, f"bit {n}")))
    assert q.qsize() == 2
    assert q.folded == 4
    first, last = drain(q)
    assert first.message is not None
    assert first.message.text == "bit 0"
    assert last.message is not None
    assert last.message.text == "bit 1\nbit 2\nbit 3\nbit 4\nbit 5"
    # The joined updates' ids travel with it, so they are recorded as applied with it.
    assert merged_ids(last) == (2, 3, 4, 5)
    # The joined text is stored under its last message, so the person's next message (which
    # follows that one) is taken as more of the same answer, not as a new one.
    assert last_message_id(last) == 5
    assert last_message_id(first) == 0
    # PTB marks each handed-out update done; join() does not wait for the folded ones.
    q.task_done()
    q.task_done()
    async with asyncio.timeout(1):
        await q.join()


async def test_commands_are_never_folded() -> None:
    q = queue(per_chat=1)
    q.put_nowait(RawUpdate(text(1, 1, "tekst")))
    q.put_nowait(RawUpdate(text(2, 1, "/status")))
    q.put_nowait(RawUpdate(text(3, 1, "mer")))
    assert texts(drain(q)) == [(1, "tekst"), (1, "/status"), (1, "mer")]


async def test_anything_without_a_chat_waits_until_the_chats_are_served() -> None:
    q = queue()
    stop = object()  # like PTB's stop signal
    q.put_nowait(RawUpdate(text(1, 1, "a")))
    q.put_nowait(stop)
    q.put_nowait(RawUpdate(text(2, 2, "b")))
    handed = [q.get_nowait() for _ in range(3)]
    assert handed[-1] is stop


async def test_a_folded_update_is_confirmed_with_the_one_it_joined() -> None:
    """Telegram (or the inbox) may forget a folded text only once the joined update is done."""
    ledger = UpdateLedger()

    class RunAtOnce(BaseUpdateProcessor):
        async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
            await coroutine

        async def initialize(self) -> None:
            pass

        async def shutdown(self) -> None:
            pass

    processor = ConfirmingProcessor(RunAtOnce(1), ledger)
    q = queue(per_chat=1)
    for n in (7, 8, 9):
        assert ledger.take(n)
        q.put_nowait(RawUpdate(text(n, 1, f"bit {n}")))
    (update,) = drain(q)
    assert ledger.unfinished == 3

    async def handled() -> None:
        return None

    await processor.do_process_update(update, handled())
    assert ledger.unfinished == 0
