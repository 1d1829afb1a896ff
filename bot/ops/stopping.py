"""How the long-running commands stop: on SIGINT/SIGTERM, and within the grace whatever hangs.

``innspill run`` and ``innspill web`` wait in :func:`until_stopped`; once a signal came, the
stop closes everything in turn, each step bounded, and :func:`exit_after` is the guarantee
behind it (Docker sends SIGKILL after its own grace, and a process that never ends would hold
the database and never be restarted).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading

log = logging.getLogger(__name__)


async def until_stopped(stop: asyncio.Event | None) -> None:
    """Wait for ``stop``, or for SIGINT/SIGTERM when no event is given."""
    event = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    if stop is None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, event.set)
                installed.append(signum)
    try:
        await event.wait()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


def exit_after(seconds: float) -> None:
    """End the process after ``seconds`` if it has not ended by then (a daemon thread).

    The stop closes everything in turn and is bounded step by step; this is the guarantee
    behind it, for what no step can bound (a thread that does not end, a blocked loop).
    """

    def force() -> None:
        log.error("stopping: not done after %.0f s (STOP_GRACE_SECONDS); exiting now", seconds)
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(1)

    timer = threading.Timer(seconds, force)
    timer.daemon = True
    timer.start()
