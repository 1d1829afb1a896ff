"""A real SMTP server on loopback whose answers a scenario scripts, one per message."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, Literal

Mode = Literal["accept", "4xx", "5xx", "drop", "stall", "hold", "slow"]


@dataclass(frozen=True)
class Accepted:
    """One message the server took (answered 250, or would have after a stall)."""

    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        return "" if body is None else str(body.get_content())


@dataclass
class ScriptedHandler:
    """aiosmtpd handler: each DATA takes the next mode from :attr:`script` (then accepts).

    ``stall`` and ``hold`` block the server's thread until :attr:`release` is set, as a hung
    server does; ``hold`` has the message already (so a kill then is a kill after 250), and a
    stalled message counts as taken too, so a retry after it must reuse its Message-ID.
    ``slow`` takes :attr:`slow_seconds` to accept, serving other connections meanwhile.
    """

    script: list[Mode] = field(default_factory=list)
    accepted: list[Accepted] = field(default_factory=list)
    attempts: int = 0
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    slow_seconds: float = 4.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        mode: Mode = self.script.pop(0) if self.script else "accept"
        data = bytes(envelope.original_content or envelope.content)
        if mode == "4xx":
            return "451 4.3.0 Try again later"
        if mode == "5xx":
            return "554 5.7.1 Message refused"
        if mode == "drop":
            server.transport.close()
            return "421 4.4.2 Connection dropped"
        if mode == "slow":
            self.holding.set()
            await asyncio.sleep(self.slow_seconds)  # a server slow to answer, not a hung one
            self.accepted.append(Accepted(data))
            return "250 2.0.0 Accepted (slowly)"
        if mode in {"stall", "hold"}:
            self.accepted.append(Accepted(data))
            self.holding.set()
            self.release.wait(timeout=60)
            return "250 2.0.0 Accepted (late)"
        self.accepted.append(Accepted(data))
        return "250 2.0.0 Accepted"

    def ministry_mail(self, needle: str) -> list[Accepted]:
        """Every accepted message to the ministry whose text contains ``needle``."""
        return [
            a for a in self.accepted if "kmd.dep.no" in str(a.message["To"]) and needle in a.text
        ]
