"""A storage outage: writes fail for a while (a full disk, a file that cannot be written).

Such a failure is about the machine, not the data, and it ends by itself once an operator (or
a log rotation) frees space. The bot treats it as one outage: one ERROR line when the first
write fails and one line when a write works again, whoever made them; in between, callers ask
:func:`is_outage` and stay quiet, and whoever waits for storage subscribes to its end.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from typing import TypeGuard

log = logging.getLogger(__name__)


def is_outage(error: object) -> TypeGuard[sqlite3.Error]:
    """Whether ``error`` says storage cannot be written now (not that the data was wrong).

    SQLite reports a full disk, an I/O error, a read-only file or a lock held too long as
    ``OperationalError`` (or a bare ``DatabaseError`` for a damaged file); constraint and
    programming errors are about the data and are not outages.
    """
    return isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


class WriteOutage:
    """Whether writes fail now; logs the start and the end of each outage once."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.active = False
        self.since = 0.0
        self.error: str | None = None
        """The last write error, in SQLite's words (it never quotes the data)."""
        self._listeners: list[Callable[[bool], None]] = []

    def subscribe(self, listener: Callable[[bool], None]) -> None:
        """Call ``listener(True)`` when an outage starts and ``listener(False)`` when it ends."""
        self._listeners.append(listener)

    def failed(self, error: BaseException) -> None:
        """A write failed; the first failure of an outage is logged (ERROR), the rest not."""
        self.error = str(error) or error.__class__.__name__
        if self.active:
            return
        self.active, self.since = True, self._clock()
        log.error(
            "storage: writes fail (%s); taking no update that cannot be stored, telling "
            "people about a temporary fault, and trying again until it works",
            self.error,
        )
        self._tell(True)

    def succeeded(self) -> None:
        """A write worked: an outage in progress is over."""
        if not self.active:
            return
        self.active = False
        log.warning("storage: writes work again after %.0f s", self._clock() - self.since)
        self._tell(False)

    def _tell(self, active: bool) -> None:
        for listener in self._listeners:
            try:
                listener(active)
            except Exception:
                log.exception("a storage outage listener failed")
