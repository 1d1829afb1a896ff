"""One event costs one trip to the database thread: the hand-offs, not SQLite, bound throughput."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.consultation.model import Consultation
from bot.service.conversations import ConversationService, Handled
from bot.storage import Store


class _CountingQueue:
    """Passes every job on to aiosqlite's own queue and counts them (one job = one trip)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.jobs = 0

    def put_nowait(self, item: Any) -> None:
        self.jobs += 1
        self.inner.put_nowait(item)

    def put(self, item: Any, *args: Any, **kwargs: Any) -> None:
        self.jobs += 1
        self.inner.put(item, *args, **kwargs)


def _count_trips(store: Store) -> _CountingQueue:
    connection = store._db._db  # the aiosqlite connection; its worker keeps the original queue
    counter = _CountingQueue(connection._tx)
    connection._tx = counter  # type: ignore[assignment]
    return counter


async def test_each_answer_is_stored_in_one_trip_to_the_database(
    store: Store, consultation: Consultation
) -> None:
    service = ConversationService(consultation, store)
    trips = _count_trips(store)

    steps: list[Callable[[], Awaitable[Handled]]] = [
        lambda: service.handle_command("u1", "start", update_key="tg:1"),
        lambda: service.handle_choice("u1", "start", "guided", update_key="tg:2"),
        lambda: service.handle_choice("u1", "r.type", "privatperson", update_key="tg:3"),
        lambda: service.handle_text("u1", "Kari Nordmann", update_key="tg:4"),
    ]
    for send in steps:
        before = trips.jobs
        handled = await send()
        assert handled.replies, "the person got no answer"
        assert trips.jobs - before == 1

    before = trips.jobs
    again = await service.handle_text("u1", "Kari Nordmann", update_key="tg:4")
    assert again.replies == [], "a redelivered update was applied twice"
    assert trips.jobs - before == 1

    session = await service.session_of("u1")
    assert session is not None
    assert session.respondent.name == "Kari Nordmann"


async def test_people_answering_at_once_share_trips_and_every_answer_is_kept(
    store: Store, consultation: Consultation, db_path: Path
) -> None:
    service = ConversationService(consultation, store)
    people = [f"p{n}" for n in range(20)]
    await asyncio.gather(*(service.handle_command(p, "start") for p in people))
    await asyncio.gather(*(service.handle_choice(p, "start", "guided") for p in people))
    await asyncio.gather(*(service.handle_choice(p, "r.type", "privatperson") for p in people))
    trips = _count_trips(store)

    await asyncio.gather(*(service.handle_text(p, f"Navn {p}") for p in people))

    assert 1 <= trips.jobs < len(people), "each answer took its own commit"
    reopened = await Store.open(db_path)  # what a restart would find on disk
    try:
        for p in people:
            session = await reopened.load_session(p, consultation.id)
            assert session is not None
            assert session.respondent.name == f"Navn {p}"
    finally:
        await reopened.close()
