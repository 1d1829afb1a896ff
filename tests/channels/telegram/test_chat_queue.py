"""The chat queue: chats in turn, each in order, floods folded before decoding, albums as one."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, Update

from bot.channels.telegram.chat_queue import ChatQueue, RawUpdate, Undecodable
from bot.channels.telegram.flood import last_message_id, merged_ids
from tests.channels.telegram.conftest import TOKEN


def text(update_id: int, chat: int, words: str, **extra: Any) -> dict[str, Any]:
    person = {"id": chat, "is_bot": False, "first_name": "Kari"}
    message = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": chat, "type": "private", "first_name": "Kari"},
        "from": person,
        "text": words,
        **extra,
    }
    return {"update_id": update_id, "message": message}


def queue(per_chat: int = 2) -> ChatQueue:
    q = ChatQueue(per_chat)
    q.bot = Bot(TOKEN)
    return q


def put(q: ChatQueue, data: dict[str, Any]) -> None:
    assert q.take(int(data["update_id"]))
    q.put_nowait(RawUpdate(data))


def drain(q: ChatQueue) -> list[Update]:
    """Hand out everything, finishing each update at once (one at a time per chat)."""
    out = []
    while not q.empty():
        item = q.get_nowait()
        assert isinstance(item, Update)
        out.append(item)
        q.finish(item)
    return out


def texts(updates: list[Update]) -> list[tuple[int, str | None]]:
    return [
        (u.effective_chat.id, u.message.text) for u in updates if u.message and u.effective_chat
    ]


async def consume(
    q: ChatQueue, handle: Callable[[Update], Awaitable[None]], count: int
) -> list[asyncio.Task[None]]:
    """What PTB's update fetcher does: take the next update, handle it in a task of its own."""
    tasks = []

    async def run(update: Update) -> None:
        try:
            await handle(update)
        finally:
            q.finish(update)

    for _ in range(count):
        item = await q.get()
        assert isinstance(item, Update)
        tasks.append(asyncio.create_task(run(item)))
    return tasks


async def test_a_flooding_chat_does_not_go_before_the_others() -> None:
    q = queue(per_chat=100)
    for n in range(10):
        put(q, text(n, 1, f"flom {n}"))
    put(q, text(10, 2, "hei"))
    put(q, text(11, 3, "hallo"))
    handed = texts(drain(q))
    # One update per chat in turn: the two others come second and third, not after ten.
    assert handed[:3] == [(1, "flom 0"), (2, "hei"), (3, "hallo")]
    # Within the flooding chat, the order is kept.
    assert [t for c, t in handed if c == 1] == [f"flom {n}" for n in range(10)]


async def test_each_chat_keeps_its_order_while_chats_run_side_by_side() -> None:
    q = queue(per_chat=100)
    seen: dict[int, list[int]] = {1: [], 2: [], 3: []}
    running = overlap = 0
    rng = random.Random(7)

    async def handle(update: Update) -> None:
        nonlocal overlap, running
        running += 1
        overlap = max(overlap, running)
        await asyncio.sleep(rng.random() * 0.005)
        assert update.effective_chat is not None
        assert update.message is not None
        seen[update.effective_chat.id].append(int(update.message.text or "-1"))
        running -= 1

    for n in range(30):
        for chat in seen:
            put(q, text(n * 10 + chat, chat, f"{n}"))
    await asyncio.gather(*await consume(q, handle, 90))
    assert all(order == list(range(30)) for order in seen.values())
    assert overlap == 3, "the three chats were handled at the same time"
    assert q.in_hand == 0


async def test_a_flooding_chat_holds_one_turn_and_its_texts_are_joined() -> None:
    q = queue(per_chat=3)
    release = asyncio.Event()
    handled: list[str] = []

    async def handle(update: Update) -> None:
        assert update.effective_chat is not None
        assert update.message is not None
        if update.effective_chat.id == 1:
            await release.wait()
        handled.append(update.message.text or "")

    for n in range(300):
        put(q, text(n, 1, f"del {n}"))
    for chat in (2, 3):
        put(q, text(1000 + chat, chat, f"hei fra {chat}"))
    # The flooder's first update runs (and waits); both others are handed out meanwhile.
    first = await consume(q, handle, 3)
    await asyncio.gather(*first[1:])
    assert handled == ["hei fra 2", "hei fra 3"]
    assert q.empty(), "the flooder's next update waits for its first"
    release.set()
    await asyncio.gather(first[0], *await consume(q, handle, 3))
    flooder = handled[2:]
    assert len(flooder) == 4, "one running and three waiting; the rest joined the last one"
    assert flooder[:3] == ["del 0", "del 1", "del 2"]
    assert flooder[3] == "\n".join(f"del {n}" for n in range(3, 300))
    assert (q.folded, q.dropped) == (296, 0)
    assert q.in_hand == 0, "the joined updates are finished with the one they joined"


async def test_a_backlog_of_texts_is_folded_into_the_last_waiting_one() -> None:
    q = queue(per_chat=1)
    for n in range(6):
        put(q, text(n, 1, f"bit {n}"))
    assert q.qsize() == 2, "the first (about to run) and one waiting"
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


async def test_commands_are_never_folded_and_the_rest_of_a_flood_is_dropped() -> None:
    q = queue(per_chat=1)
    put(q, text(1, 1, "tekst"))
    put(q, text(2, 1, "/status"))  # waits behind the first
    put(q, text(3, 1, "mer"))
    assert texts(drain(q)) == [(1, "tekst"), (1, "/status")]
    assert q.dropped == 1, "a text cannot join a command: the lane was full"
    assert q.in_hand == 0, "what was dropped is finished, so Telegram may forget it"


async def test_anything_without_a_chat_waits_until_the_chats_are_served() -> None:
    q = queue()
    stop = object()  # like PTB's stop signal
    put(q, text(1, 1, "a"))
    q.put_nowait(stop)
    put(q, text(2, 2, "b"))
    handed = [q.get_nowait() for _ in range(3)]
    assert handed[-1] is stop


async def test_an_album_goes_to_its_first_part_while_later_messages_wait() -> None:
    q = queue(per_chat=10)
    put(q, text(1, 1, "", media_group_id="album"))
    put(q, text(2, 1, "etter albumet"))
    put(q, text(3, 1, "", media_group_id="album"))
    leader = q.get_nowait()
    part = q.get_nowait()  # let through to the album while its first part holds the chat
    assert isinstance(part, Update)
    assert part.update_id == 3
    assert q.empty(), "the text after the album waits until the album is handled"
    q.finish(part)
    assert q.empty()
    q.finish(leader)
    after = q.get_nowait()
    assert isinstance(after, Update)
    assert after.update_id == 2


async def test_an_update_that_cannot_be_decoded_comes_out_as_such_and_others_go_on() -> None:
    q = queue()
    put(q, {"update_id": 1, "message": {"chat": {"id": 1, "type": "private"}, "date": "i går"}})
    put(q, {"update_id": 2, "message": ["ikke", "en", "melding"]})
    put(q, text(3, 1, "neste"))
    put(q, text(4, 2, "en annen"))
    handed = []
    while not q.empty():
        item = q.get_nowait()
        handed.append(item)
        q.finish(item)
    assert [h.update_id for h in handed if isinstance(h, Undecodable)] == [1, 2]
    assert all("i går" not in h.error for h in handed if isinstance(h, Undecodable))
    assert sorted(h.update_id for h in handed if isinstance(h, Update)) == [3, 4]
    assert q.in_hand == 0


async def test_an_update_held_by_a_storage_failure_goes_first_once_storage_works() -> None:
    q = queue(per_chat=10)
    put(q, text(1, 1, "svar"))
    put(q, text(2, 1, "mer"))
    put(q, text(3, 2, "en annen"))
    first = q.get_nowait()
    q.hold(first)  # its step could not be stored
    assert q.paused
    assert q.empty(), "nothing goes out while storage is down"
    assert q.in_hand == 3, "the held update is still in hand: it was not handled"
    q.resume(storage_works=True)
    again = q.get_nowait()
    assert isinstance(again, Update)
    assert again.update_id == 1, "the held update goes first, before the chat's next one"
    q.finish(again)
    assert sorted(u.update_id for u in drain(q)) == [2, 3]
    assert q.in_hand == 0


async def test_held_updates_are_tried_again_after_a_pause_that_grows() -> None:
    q = queue()
    put(q, text(1, 1, "svar"))
    q.hold(q.get_nowait())
    assert q.retry_after == 2.0, "the next pause is longer"
    async with asyncio.timeout(3):
        retried = await q.get()  # tried again after the first pause, without storage news
    assert isinstance(retried, Update)
    assert retried.update_id == 1
    q.hold(retried)
    q.resume(storage_works=True)
    assert q.retry_after == 1.0, "storage works: the pauses start short again"
    await q.close()
