"""What was sent is claimed once, survives a reopen, and a failed send can be tried again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.storage import Store

AT = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


async def test_a_key_is_claimed_once_even_after_reopening(db_path: Path) -> None:
    async with await Store.open(db_path) as store:
        assert await store.jobs.claim("digest:2026-12-01", AT)
        assert not await store.jobs.claim("digest:2026-12-01", AT)
    async with await Store.open(db_path) as store:
        assert not await store.jobs.claim("digest:2026-12-01", AT)
        assert await store.jobs.with_prefix("digest:") == {"digest:2026-12-01"}


async def test_a_released_claim_can_be_claimed_again(store: Store) -> None:
    assert await store.jobs.claim("card:SMB-1", AT)
    await store.jobs.release("card:SMB-1")
    assert not await store.jobs.was_sent("card:SMB-1")
    assert await store.jobs.claim("card:SMB-1", AT)
