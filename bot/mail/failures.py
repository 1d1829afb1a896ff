"""A permanent delivery failure, and who is told about it.

The outbox worker reports each one to a :class:`DeliveryNotifier`; :mod:`bot.mail.notify`
tells the person and staff in the chat, :class:`LogNotifier` serves where there is no chat.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryFailure:
    """A message that will not be delivered unless staff act (``innspill outbox retry``)."""

    outbox_id: int
    kind: str
    """``"ministry"`` (the person must be told) or ``"receipt"`` (only staff care)."""
    reference: str
    error: str
    user_id: str | None
    """Who sent the submission (front-end id such as ``tg:123``), if it is still stored."""
    language: str
    """The person's language, for the chat notice."""


class DeliveryNotifier(Protocol):
    """Told about every permanent delivery failure (implemented in :mod:`bot.app`)."""

    async def on_permanent_failure(self, failure: DeliveryFailure) -> None:
        """Tell the person (ministry copy) and, if configured, alert staff."""
        ...


class LogNotifier:
    """The notifier without a chat to write to (terminal, command line): it only logs."""

    async def on_permanent_failure(self, failure: DeliveryFailure) -> None:
        """The ERROR line is logged by the worker already; say that nobody could be told."""
        log.warning(
            "outbox %d (%s, %s): no chat to tell the sender about the failure",
            failure.outbox_id,
            failure.kind,
            failure.reference,
        )
