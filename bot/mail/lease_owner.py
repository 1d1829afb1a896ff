"""Who holds an outbox lease, and whether that process is still there.

A lease names its owner as ``<host>:<pid>:<start>``, where ``start`` is when the process
started (from ``/proc``, so a pid used again by another process is not taken for the owner).
On the same host a process can tell whether the owner still runs; a lease from another host
is left until it expires (the owner renews it while it sends).
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path


def _started(pid: int) -> str:
    """When ``pid`` started, in clock ticks since boot (``?`` where ``/proc`` is not there)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii")
    except OSError:
        return "?"
    return stat.rpartition(")")[2].split()[19]  # field 22: starttime


@cache
def this_process() -> str:
    """The owner name of this process's leases."""
    return f"{socket.gethostname()}:{os.getpid()}:{_started(os.getpid())}"


def is_gone(owner: str | None) -> bool:
    """Whether a lease's owner has surely ended (its row may be taken over now).

    ``None`` (leased before owners were recorded) is gone; an owner on another host is
    never known to be gone: its lease must expire.
    """
    if not owner:
        return True
    host, _, rest = owner.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it runs, as another user
        return False
    return started not in {"?", _started(pid)}
