"""What the outbox worker reads and writes in storage, as a small interface.

:class:`bot.storage.Store` satisfies it; the worker (:mod:`bot.mail.outbox`) knows nothing
of SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.conversation.submission import Submission


class ClaimedMessage(Protocol):
    """What the worker reads from a claimed outbox row (``bot.storage.OutboxRecord`` has it)."""

    @property
    def id(self) -> int:
        """The row's id, to mark it sent, retried or failed."""
        ...

    @property
    def kind(self) -> str:
        """``"ministry"`` or ``"receipt"``."""
        ...

    @property
    def reference(self) -> str:
        """The submission the message belongs to."""
        ...

    @property
    def recipient(self) -> str:
        """Where a receipt goes (the ministry's address comes from the submission)."""
        ...

    @property
    def message_id(self) -> str:
        """Fixed per message, so a resend is recognisable as the same message."""
        ...

    @property
    def attempts(self) -> int:
        """Attempts so far, including the current claim."""
        ...


class OutboxStore(Protocol):
    """The part of storage the worker needs (``bot.storage.Store`` satisfies it)."""

    async def claim_due_outbox(
        self,
        now: datetime,
        *,
        limit: int = 10,
        lease_seconds: float = 300,
        ignore_backoff: bool = False,
        exclude: Sequence[int] = (),
        owner: str | None = None,
    ) -> Sequence[ClaimedMessage]:
        """Lease due rows (pending and due, or sending with an expired lease); counts an attempt."""
        ...

    async def reclaim_interrupted_outbox(
        self, now: datetime, gone: Callable[[str | None], bool]
    ) -> int:
        """Make rows leased by a sender that is ``gone`` due now; return how many."""
        ...

    async def renew_outbox_lease(self, outbox_id: int, owner: str, until: datetime) -> bool:
        """Keep ``owner``'s lease on a row it still sends; ``False`` if it was taken over."""
        ...

    async def submission_owner(self, reference: str) -> str | None:
        """The user id the submission came from."""
        ...

    async def mark_outbox_sent(self, outbox_id: int, now: datetime) -> Sequence[str]:
        """The server accepted the message; Message-IDs of a submission erased with it."""
        ...

    async def mark_outbox_retry(
        self, outbox_id: int, error: str, next_attempt_at: datetime
    ) -> None:
        """Failed for now; due again at ``next_attempt_at``."""
        ...

    async def mark_outbox_failed(self, outbox_id: int, error: str) -> Sequence[str]:
        """Failed for good until staff retry it; Message-IDs of a submission erased with it."""
        ...

    async def get_submission(self, reference: str) -> Submission | None:
        """The stored submission, or ``None`` if it is gone."""
        ...

    async def attachment(self, attachment_id: str) -> tuple[str, str, bytes] | None:
        """A stored document as (file name, MIME type, bytes)."""
        ...
