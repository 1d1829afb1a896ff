"""The update processor: each chat in order, chats side by side, a flooder holds one slot."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.channels.telegram.ordering import AlbumCollector, ChatOrderedProcessor

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def text_update(update_id: int, chat_id: int, text: str) -> Update:
    user = User(chat_id, "Kari", is_bot=False)
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, NOW, chat, from_user=user, text=text)
    return Update(update_id, message=message)


async def test_each_chat_keeps_its_order_while_chats_run_side_by_side() -> None:
    processor = ChatOrderedProcessor(AlbumCollector(), max_concurrent_updates=8, chat_queue=100)
    seen: dict[int, list[int]] = {1: [], 2: [], 3: []}
    overlap = 0
    running = 0
    rng = random.Random(7)

    async def handle(chat_id: int, n: int) -> None:
        nonlocal overlap, running
        running += 1
        overlap = max(overlap, running)
        await asyncio.sleep(rng.random() * 0.005)
        seen[chat_id].append(n)
        running -= 1

    tasks = []
    for n in range(30):
        for chat_id in seen:
            update = text_update(n * 10 + chat_id, chat_id, f"{n}")
            tasks.append(asyncio.create_task(processor.process_update(update, handle(chat_id, n))))
    await asyncio.gather(*tasks)
    assert all(order == list(range(30)) for order in seen.values())
    assert overlap == 3, "the three chats were handled at the same time"
    assert processor.chats_in_flight == 0


async def test_a_flooding_chat_holds_one_slot_and_its_texts_are_joined() -> None:
    processor = ChatOrderedProcessor(AlbumCollector(), max_concurrent_updates=2, chat_queue=3)
    release = asyncio.Event()
    handled: list[str] = []

    async def slow(update: Update) -> None:
        await release.wait()
        assert update.message is not None
        handled.append(update.message.text or "")

    async def fast(update: Update) -> None:
        assert update.message is not None
        handled.append(update.message.text or "")

    flood = []
    for n in range(300):
        update = text_update(n, 1, f"del {n}")
        flood.append(asyncio.create_task(processor.process_update(update, slow(update))))
    await asyncio.sleep(0)
    # Another person, then a third: both are answered while the flooder's first update waits.
    for chat_id in (2, 3):
        other = text_update(1000 + chat_id, chat_id, f"hei fra {chat_id}")
        await asyncio.wait_for(processor.process_update(other, fast(other)), 1.0)
    assert handled == ["hei fra 2", "hei fra 3"]
    assert processor.running == 1

    release.set()
    await asyncio.gather(*flood)
    flooder = handled[2:]
    assert len(flooder) == 4, "one running and three waiting; the rest joined the last one"
    assert flooder[:3] == ["del 0", "del 1", "del 2"]
    assert flooder[3] == "\n".join(f"del {n}" for n in range(3, 300))
    assert processor.coalesced == 296
    assert processor.dropped == 0
