"""What the conversation service needs from storage, as a small interface.

:class:`bot.storage.Store` satisfies it; a test or another backend can too, without the
service knowing about SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.engine.session import Session
from bot.engine.submission import Submission
from bot.storage.types import DeletionReport, NewAttachment, OutboxItem


class SessionStore(Protocol):
    """Sessions, applied updates, uploads and submissions, as the service uses them."""

    async def load_session(self, user_id: str, consultation_id: str) -> Session | None:
        """The person's saved conversation, or ``None`` if they have none."""
        ...

    async def is_update_processed(self, update_key: str) -> bool:
        """Whether a front-end update was applied already."""
        ...

    async def save_step(
        self,
        session: Session,
        *,
        update_key: str | Sequence[str] | None = None,
        new_attachments: Sequence[NewAttachment] = (),
        forget_attachments: Sequence[str] = (),
        submission: Submission | None = None,
        submission_user_id: str | None = None,
        outbox: Sequence[OutboxItem] = (),
    ) -> None:
        """Commit everything one event produced in one transaction (see ``Store.save_step``)."""
        ...

    async def receipts_on_day(self, address: str, now: datetime) -> int:
        """Receipts queued for ``address`` on the UTC day of ``now``."""
        ...

    async def delete_user_data(self, user_id: str) -> DeletionReport:
        """Delete everything stored about a person, as far as delivery allows."""
        ...
