"""Outbox leases that know their owner: taken over only from a sender that is gone.

A bot that starts while an operator's ``innspill outbox send`` is still sending must leave
that row alone; one that starts after its own run was killed sends the row again at once. The
owner renews its lease while a slow server takes its time.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from bot.mail.lease_owner import is_gone, this_process
from bot.mail.outbox import OutboxWorker
from bot.mail.transport import Transport
from bot.storage import Store
from tests.mail.support import MAIL_FROM, RECEIVED_AT, Clock, make_submission, store_submission

GONE = f"{socket.gethostname()}:{2**22 + 17}:1"
"""A lease owner on this host whose process does not exist (pids stop below 2**22)."""


class SlowTransport:
    """A server that takes ``seconds`` to accept, counting what it took."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sent: list[EmailMessage] = []
        self.started = asyncio.Event()

    async def send(self, message: EmailMessage) -> None:
        self.started.set()
        await asyncio.sleep(self.seconds)
        self.sent.append(message)


def worker(
    store: Store,
    transport: Transport,
    clock: Clock,
    *,
    lease_seconds: float = 300,
    owner: str | None = None,
) -> OutboxWorker:
    return OutboxWorker(
        store,
        transport,
        mail_from=MAIL_FROM,
        recipient_override=None,
        clock=clock,
        lease_seconds=lease_seconds,
        owner=owner,
    )


def test_a_lease_owner_is_gone_only_when_this_host_knows_it_ended() -> None:
    assert not is_gone(this_process())
    assert is_gone(GONE)
    assert is_gone(None), "leased before owners were recorded: its sender is long gone"
    assert not is_gone(f"another-host:{os.getpid()}:1"), "another host: wait for the lease"
    host, pid, _started = this_process().split(":")
    assert is_gone(f"{host}:{pid}:0"), "the same pid, started at another time: not the owner"


async def test_a_starting_bot_leaves_a_living_senders_lease_and_takes_a_dead_ones(
    store: Store,
) -> None:
    clock = Clock(RECEIVED_AT + timedelta(seconds=5))
    await store_submission(store, make_submission())
    await store_submission(store, make_submission(reference="SMB-WXYZ-0002"))
    [alive] = await store.claim_due_outbox(clock(), limit=1, owner=this_process())
    [dead] = await store.claim_due_outbox(clock(), limit=1, owner=GONE)
    reclaimed = await store.reclaim_interrupted_outbox(clock(), is_gone)
    assert reclaimed == 1
    statuses = {r.id: r.status for r in await store.list_outbox()}
    assert statuses == {alive.id: "sending", dead.id: "pending"}


def lease_until(db_path: Path) -> str:
    with sqlite3.connect(db_path) as raw:
        return str(raw.execute("SELECT lease_until FROM outbox").fetchone()[0])


async def test_a_slow_send_keeps_its_lease_so_no_other_sender_takes_it(
    store: Store, db_path: Path
) -> None:
    clock = Clock(RECEIVED_AT + timedelta(seconds=5))
    await store_submission(store, make_submission())
    slow = SlowTransport(1.0)
    operator = worker(store, slow, clock, lease_seconds=0.3)
    sending = asyncio.create_task(operator.run_once())
    await slow.started.wait()
    first = lease_until(db_path)
    clock.now += timedelta(seconds=0.25)  # almost at the end of the first lease ...
    async with asyncio.timeout(2):  # ... and the owner renews it (every 0.1 s)
        while lease_until(db_path) == first:
            await asyncio.sleep(0.02)
    clock.now += timedelta(seconds=0.2)  # past the first lease, within the renewed one
    other = SlowTransport(0)
    assert (await worker(store, other, clock, owner=GONE).run_once()).sent == 0
    assert (await sending).sent == 1
    assert len(slow.sent) == 1
    assert other.sent == []


async def test_a_row_leased_by_the_previous_release_is_taken_over(db_path: Path) -> None:
    async with await Store.open(db_path) as store:
        await store_submission(store, make_submission())
        [row] = await store.claim_due_outbox(RECEIVED_AT, limit=1, owner=this_process())
    with sqlite3.connect(db_path) as raw:  # as the release before owners wrote it
        raw.execute("UPDATE outbox SET lease_owner = NULL WHERE id = ?", (row.id,))
    async with await Store.open(db_path) as store:
        assert await store.reclaim_interrupted_outbox(RECEIVED_AT, is_gone) == 1
