"""Process-wide event counters and the periodic INFO line that reports them.

Other modules call ``count("submissions")`` where the event happens (cheap: a dict increment,
no I/O); ``report_periodically`` logs the totals and the change since the last line, so an
operator can see at a glance that the bot is taking updates and delivering mail.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

log = logging.getLogger(__name__)

UPDATES = "updates"
"""Events a person sent (a message, a button, a document) that the service handled."""
SUBMISSIONS = "submissions"
"""Submissions stored with their e-mail queued."""
DELIVERIES = "deliveries"
"""E-mails the mail server (or the ``.eml`` folder) accepted."""
DELIVERY_FAILURES = "delivery_failures"
"""E-mails given up on until staff retry them."""
NAMES = (UPDATES, SUBMISSIONS, DELIVERIES, DELIVERY_FAILURES)

_counts: Counter[str] = Counter()


def count(name: str, amount: int = 1) -> None:
    """Add ``amount`` to the counter ``name``."""
    _counts[name] += amount


def snapshot() -> dict[str, int]:
    """The totals since the process started, every known counter included."""
    return {name: _counts[name] for name in (*NAMES, *sorted(set(_counts) - set(NAMES)))}


def log_counts(previous: dict[str, int] | None = None) -> dict[str, int]:
    """Log one INFO line with the totals (and the change since ``previous``); return them."""
    now = snapshot()
    fields: dict[str, int] = dict(now)
    if previous is not None:
        fields.update({f"{name}_new": now[name] - previous.get(name, 0) for name in now})
    log.info("counts", extra={"fields": fields})
    return now


async def report_periodically(interval: float) -> None:
    """Log the counts every ``interval`` seconds until cancelled (0 or less: never)."""
    if interval <= 0:
        return
    previous: dict[str, int] | None = None
    while True:
        await asyncio.sleep(interval)
        previous = log_counts(previous)
