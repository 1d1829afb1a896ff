"""Everything the staff tools read about one consultation, loaded once.

The submissions themselves, the text kept from their documents, the rows that stand for
delivered submissions their senders deleted (so totals match the ministry's mailbox), the
channel each came by, and the «Like innspill» groups, computed on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot.conversation.submission import AttachmentInfo, Submission
from bot.storage.types import ErasedSubmission, StoredDocument

if TYPE_CHECKING:
    from bot.staff.likeness import Likeness
    from bot.storage import Store

ERASED_LABEL = "Slettet av innsender etter levering"
"""How a delivered submission its sender deleted reads wherever staff count or list it."""


@dataclass(frozen=True)
class Material:
    """The submissions (oldest first) and what goes with them."""

    submissions: list[Submission]
    documents: Mapping[str, StoredDocument] = field(default_factory=dict)
    """Kept text and checksum by attachment id (missing: not loaded, as in quick tests)."""
    erased: list[ErasedSubmission] = field(default_factory=list)
    channels: Mapping[str, str] = field(default_factory=dict)
    """Reference → ``telegram``, ``web`` or ``terminal``."""

    @cached_property
    def likeness(self) -> Likeness:
        """The «Like innspill» groups (computed once, on first use)."""
        from bot.staff.likeness import find_likeness

        return find_likeness(self.submissions, self.document_text)

    def document_text(self, attachment: AttachmentInfo) -> str | None:
        """The kept text of one submitted document, if any was found in it."""
        stored = self.documents.get(attachment.id)
        return stored.text if stored is not None else None

    @property
    def total(self) -> int:
        """Every delivered or waiting submission, the deleted ones included."""
        return len(self.submissions) + len(self.erased)


def material_of(source: Material | Sequence[Submission]) -> Material:
    """Staff functions take the whole material or just the submissions (tests, old callers)."""
    return source if isinstance(source, Material) else Material(list(source))


async def load_material(store: Store, consultation_id: str) -> Material:
    """Read all of it from the store, for an export, a compilation or the figures."""
    return Material(
        submissions=await store.list_submissions(consultation_id),
        documents=await store.staff.stored_documents(consultation_id),
        erased=await store.staff.erased_submissions(consultation_id),
        channels=await store.staff.channels(consultation_id),
    )
