"""Which fetched updates were applied already: the poller asks for a whole batch at once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.storage import Store
from bot.storage.sessions import SEQUENCE_RESTART_GAP

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def test_a_batch_is_told_apart_into_applied_and_new_updates(store: Store) -> None:
    await store.record_updates(["tg:7:500", "tg:7:501"], AT)
    batch = ["tg:7:500", "tg:7:501", "tg:7:502", "tg:8:500"]
    assert await store.processed_updates(batch) == {"tg:7:500", "tg:7:501"}
    assert await store.processed_updates([]) == set()


async def test_an_id_far_below_the_newest_is_a_new_sequence_not_a_redelivery(
    store: Store,
) -> None:
    newest = 10 + SEQUENCE_RESTART_GAP + 1
    await store.record_updates(["tg:7:10", f"tg:7:{newest}"], AT)
    # Telegram started over: update 10 of the new sequence must be handled.
    assert await store.processed_updates(["tg:7:10", f"tg:7:{newest}"]) == {f"tg:7:{newest}"}
