"""What the conversation service needs from storage, as a small interface.

:class:`bot.storage.Store` satisfies it; a test or another backend can too, without the
service knowing about SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from bot.conversation.session import Session
from bot.conversation.submission import Submission
from bot.storage.stepping import Stepped, Stepper
from bot.storage.types import DeletionReport, NewAttachment, OutboxItem

T = TypeVar("T")


class SessionStore(Protocol):
    """Sessions, applied updates, uploads and submissions, as the service uses them."""

    async def load_session(self, user_id: str, consultation_id: str) -> Session | None:
        """The person's saved conversation, or ``None`` if they have none."""
        ...

    async def step_session(
        self,
        user_id: str,
        consultation_id: str,
        update_keys: Sequence[str],
        stepper: Stepper[T],
    ) -> Stepped[T]:
        """De-duplicate, load, step and save in one transaction (see ``Store.step_session``)."""
        ...

    async def is_update_processed(self, update_key: str) -> bool:
        """Whether a front-end update was applied already."""
        ...

    async def save_step(
        self,
        session: Session,
        *,
        update_key: str | Sequence[str] | None = None,
        counted: Sequence[str] = (),
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

    async def record_updates(self, update_key: str | Sequence[str], at: datetime) -> None:
        """Remember updates answered without changing anything (a refused action)."""
        ...

    async def count_actions(self, user_id: str, kind: str, since: datetime) -> int:
        """How many limited actions of ``kind`` the person took since ``since``."""
        ...

    async def delete_user_data(
        self,
        user_id: str,
        *,
        update_key: str | Sequence[str] | None = None,
        at: datetime | None = None,
    ) -> DeletionReport:
        """Delete everything stored about a person, recording the update that asked for it."""
        ...
