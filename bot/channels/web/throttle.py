"""Limits per client address, and which address a request comes from.

The service's abuse limits count per person (submissions and uploads an hour). On the web a
new person costs nothing but a new cookie, so the web chat also counts per client address:
form posts a minute, new chats an hour, and wrong resume codes an hour (per address and in
all). Counts live in memory only and hold no content: a restart forgets them, which a burst
of a minute or an hour can afford.

Behind a reverse proxy every request comes from the proxy; ``X-Forwarded-For`` then names
the client, but only a proxy we trust (``WEB_TRUSTED_PROXY``) may say so: from anyone else
the header is ignored, since a client can write whatever it likes into it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network

_PRUNE_EVERY = 4096
"""Forget finished windows after this many new keys, so memory stays bounded."""


@dataclass
class WindowLimit:
    """At most ``limit`` events per key in each fixed window of ``window`` seconds."""

    limit: int
    window: float
    clock: Callable[[], float] = time.monotonic
    _counts: dict[str, tuple[float, int]] = field(default_factory=dict)
    _added: int = 0

    def allow(self, key: str) -> bool:
        """Count one event for ``key``; ``False`` (and not counted) when over the limit."""
        now = self.clock()
        start, count = self._counts.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        if count >= self.limit:
            return False
        if count == 0:
            self._added += 1
            if self._added % _PRUNE_EVERY == 0:
                self._prune(now)
        self._counts[key] = (start, count + 1)
        return True

    def would_allow(self, key: str) -> bool:
        """Whether one more event for ``key`` is within the limit, without counting it."""
        start, count = self._counts.get(key, (0.0, 0))
        return self.clock() - start >= self.window or count < self.limit

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key``'s window ends."""
        start, _count = self._counts.get(key, (self.clock(), 0))
        return max(1, int(self.window - (self.clock() - start)) + 1)

    def _prune(self, now: float) -> None:
        for key in [k for k, (start, _n) in self._counts.items() if now - start >= self.window]:
            del self._counts[key]


@dataclass
class Throttle:
    """Every per-address limit of the web chat."""

    posts_per_minute: int
    new_people_per_hour: int
    resume_attempts_per_hour: int
    clock: Callable[[], float] = time.monotonic
    posts: WindowLimit = field(init=False)
    new_people: WindowLimit = field(init=False)
    wrong_codes: WindowLimit = field(init=False)
    wrong_codes_in_all: WindowLimit = field(init=False)

    ALL = "*"
    """The key counting wrong resume codes from every address together."""
    ALL_FACTOR = 20

    def __post_init__(self) -> None:
        self.posts = WindowLimit(self.posts_per_minute, 60.0, self.clock)
        self.new_people = WindowLimit(self.new_people_per_hour, 3600.0, self.clock)
        self.wrong_codes = WindowLimit(self.resume_attempts_per_hour, 3600.0, self.clock)
        self.wrong_codes_in_all = WindowLimit(
            self.resume_attempts_per_hour * self.ALL_FACTOR, 3600.0, self.clock
        )

    def may_guess_code(self, address: str) -> bool:
        """Whether this address may try a resume code now (wrong ones are counted after)."""
        return self.wrong_codes.would_allow(address) and self.wrong_codes_in_all.would_allow(
            self.ALL
        )

    def wrong_code(self, address: str) -> None:
        """Count a wrong resume code against the address and against everyone."""
        self.wrong_codes.allow(address)
        self.wrong_codes_in_all.allow(self.ALL)


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """``WEB_TRUSTED_PROXY`` as networks (a plain address is a network of one)."""
    return tuple(ip_network(entry, strict=False) for entry in entries)


def _parse(value: str) -> Address | None:
    try:
        return ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str:
    """The client's address: the peer, or from a trusted proxy the last untrusted hop.

    ``X-Forwarded-For`` lists hops left to right, each proxy appending the address it got the
    request from; walking it from the right and skipping our own proxies finds the first
    address no trusted proxy vouches for, which a client cannot forge.
    """
    address = _parse(peer or "")
    if address is None:
        return peer or "unknown"
    if not forwarded_for or not _is_trusted(address, trusted):
        return str(address)
    for hop in reversed(forwarded_for.split(",")):
        parsed = _parse(hop)
        if parsed is None:
            break
        if not _is_trusted(parsed, trusted):
            return str(parsed)
        address = parsed
    return str(address)


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address in network for network in trusted)
