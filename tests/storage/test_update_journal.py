"""The update journal: fetched updates, how their handling ended, and what the last release left.

The journal replaced three records of updates (the inbox of fetched ones, the keys of applied
ones, and the newest id per source); a database written by the release before it must keep
working: redeliveries still recognised, stored updates still handed over.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.storage import Store
from bot.storage.db import migrations, split_statements
from bot.storage.journal import MAX_HANDOVERS, SEQUENCE_RESTART_GAP

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SOURCE = "tg:7"


def update(update_id: int, text: str = "hei") -> tuple[int, str]:
    chat = {"id": 5, "type": "private"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "text": text}
    return update_id, json.dumps({"update_id": update_id, "message": message})


async def test_a_batch_is_told_apart_into_applied_and_new_updates(store: Store) -> None:
    await store.record_updates(["tg:7:500", "tg:7:501"], AT)
    batch = ["tg:7:500", "tg:7:501", "tg:7:502", "tg:8:500"]
    assert await store.updates.handled(batch) == {"tg:7:500", "tg:7:501"}
    assert await store.updates.handled([]) == set()


async def test_an_id_far_below_the_newest_is_a_new_sequence_not_a_redelivery(
    store: Store,
) -> None:
    newest = 10 + SEQUENCE_RESTART_GAP + 1
    await store.record_updates(["tg:7:10", f"tg:7:{newest}"], AT)
    # Telegram started over: update 10 of the new sequence must be handled.
    assert await store.updates.handled(["tg:7:10", f"tg:7:{newest}"]) == {f"tg:7:{newest}"}


async def test_a_fetched_batch_returns_what_is_still_to_handle(store: Store) -> None:
    await store.record_updates([f"{SOURCE}:11"], AT)
    assert await store.updates.store_fetched(SOURCE, [update(10), update(11), update(12)], AT) == [
        10,
        12,
    ]
    # Served again (a restart before Telegram heard of it): still to handle, stored once.
    assert await store.updates.store_fetched(SOURCE, [update(10)], AT) == [10]
    unfinished = await store.updates.unfinished(SOURCE, AT)
    assert [json.loads(d)["update_id"] for d in unfinished.fetched] == [10, 12]


async def test_a_new_sequence_after_a_quiet_week_is_fetched_not_skipped(store: Store) -> None:
    high = 50 + SEQUENCE_RESTART_GAP + 1
    await store.record_updates([f"{SOURCE}:50", f"{SOURCE}:{high}"], AT)
    assert await store.updates.store_fetched(SOURCE, [update(50)], AT) == [50]


async def test_handling_forgets_the_text_and_settling_forgets_the_rest(
    store: Store, db_path: Path
) -> None:
    await store.updates.store_fetched(SOURCE, [update(1, "SECRET-1"), update(2, "SECRET-2")], AT)
    await store.record_updates([f"{SOURCE}:1"], AT)  # a step handled update 1
    await store.updates.settle(SOURCE, below=3)  # update 2 needed no step
    assert (await store.updates.unfinished(SOURCE, AT)).fetched == []
    with sqlite3.connect(db_path) as raw:
        kept = raw.execute("SELECT COUNT(*) FROM update_journal WHERE data IS NOT NULL")
        assert kept.fetchone() == (0,)
    assert await store.updates.state_of(f"{SOURCE}:2") == "handled"


async def test_an_update_handed_over_at_every_start_is_set_aside(store: Store) -> None:
    await store.updates.store_fetched(SOURCE, [update(1), update(2)], AT)
    await store.record_updates([f"{SOURCE}:2"], AT)
    for _ in range(MAX_HANDOVERS):
        assert len((await store.updates.unfinished(SOURCE, AT)).fetched) == 1
    last = await store.updates.unfinished(SOURCE, AT)
    assert last.fetched == []
    assert last.quarantined == 1
    assert await store.updates.state_of(f"{SOURCE}:1") == "quarantined"


async def test_a_reply_owed_at_a_stop_is_kept_until_paid(store: Store) -> None:
    await store.updates.store_fetched(SOURCE, [update(1), update(2)], AT)
    await store.record_updates([f"{SOURCE}:1"], AT)
    owed = await store.updates.owe([(f"{SOURCE}:1", '{"chat": 5}'), (f"{SOURCE}:2", None)], AT)
    assert owed == 1, "update 2 was not handled: it is handed over again, nothing is owed"
    unfinished = await store.updates.unfinished(SOURCE, AT)
    assert unfinished.owed == [(f"{SOURCE}:1", '{"chat": 5}')]
    assert len(unfinished.fetched) == 1
    await store.updates.paid(f"{SOURCE}:1")
    assert (await store.updates.unfinished(SOURCE, AT)).owed == []
    assert await store.is_update_processed(f"{SOURCE}:1")


async def test_a_quarantined_update_keeps_no_text_and_a_handled_one_stays_handled(
    store: Store, db_path: Path
) -> None:
    await store.updates.store_fetched(SOURCE, [update(1, "SECRET-Q"), update(2)], AT)
    await store.record_updates([f"{SOURCE}:2"], AT)
    assert await store.updates.quarantine(SOURCE, 1, "ValueError while decoding", AT)
    assert not await store.updates.quarantine(SOURCE, 2, "TypeError", AT)
    assert await store.updates.quarantine(SOURCE, 3, "a webhook post", AT)  # never fetched
    with sqlite3.connect(db_path) as raw:
        rows = raw.execute("SELECT update_key, state, data FROM update_journal").fetchall()
    assert sorted(rows) == [
        (f"{SOURCE}:1", "quarantined", None),
        (f"{SOURCE}:2", "handled", None),
        (f"{SOURCE}:3", "quarantined", None),
    ]


# -- a database written by the release before the journal ------------------------------------------


def previous_release(path: Path) -> None:
    """The schema as the release before the journal left it (every migration before it)."""
    before = migrations()
    journal = next(i for i, m in enumerate(before) if m.name.endswith("_update_journal.sql"))
    conn = sqlite3.connect(path, isolation_level=None)
    for step in before[:journal]:
        for statement in split_statements(step.sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {step.version}")
    conn.close()


async def test_the_journal_keeps_what_the_previous_release_stored(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    previous_release(db_path)
    at = "2026-12-01T12:00:00.000000+00:00"
    with sqlite3.connect(db_path) as old:
        old.executemany(
            "INSERT INTO processed_updates (update_key, processed_at) VALUES (?, ?)",
            [(f"{SOURCE}:10", at), (f"{SOURCE}:11", at), ("tg:500", at), ("terminal:kari", at)],
        )
        old.execute("INSERT INTO update_sequences (source, newest) VALUES (?, 11)", (SOURCE,))
        old.executemany(
            "INSERT INTO inbox (source, update_id, data, received_at) VALUES (?, ?, ?, ?)",
            [(SOURCE, n, data, at) for n, data in (update(11), update(12), update(13))],
        )

    async with await Store.open(db_path) as store:
        # Applied before the upgrade: a redelivery is still recognised.
        handled = [f"{SOURCE}:10", f"{SOURCE}:11", "terminal:kari"]
        assert await store.updates.handled([*handled, f"{SOURCE}:12"]) == set(handled)
        # Stored and not applied: handed over after the upgrade (11 was applied already).
        unfinished = await store.updates.unfinished(SOURCE, AT)
        assert [json.loads(d)["update_id"] for d in unfinished.fetched] == [12, 13]
        # Keys from before they named the bot are still renamed once the bot knows its id.
        assert await store.updates.adopt_legacy_keys(SOURCE) == 1
        assert await store.is_update_processed(f"{SOURCE}:500")
    with sqlite3.connect(db_path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not {"inbox", "processed_updates", "update_sequences"} & tables
