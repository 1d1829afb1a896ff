"""What staff commands and timed messages need, behind one service instead of the database.

The Telegram adapter's admin commands, staff group, deadline reminders and purge notices ask
for figures, files, delivery state and drafts, and remember what they sent once; this service
answers for the one consultation the bot runs, so none of them touches :class:`Store` (its
SQL, its other tables) directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime

from bot.consultation.model import Consultation
from bot.conversation.session import Session
from bot.conversation.submission import Submission
from bot.ops.clock import utc_now
from bot.staff.compilation import build_compilation
from bot.staff.compile_docx import compilation_docx
from bot.staff.exports import export_bytes
from bot.staff.material import Material, load_material
from bot.staff.statistics import content_stats, render_stats
from bot.storage import OutboxRecord, OutboxStatus, Store


class BackOffice:
    """Staff's view of one consultation, and the log of messages sent once."""

    def __init__(
        self,
        consultation: Consultation,
        store: Store,
        *,
        retry_wakes: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """``retry_wakes`` is called after a failed e-mail is queued again (the outbox worker)."""
        self.consultation = consultation
        self._store = store
        self._retry_wakes = retry_wakes
        self.clock = clock

    # -- figures and files --------------------------------------------------------------------

    async def statistics(self) -> str:
        """The figures of ``innspill stats``, in words."""
        stats = await self._store.staff.stats(self.consultation.id)
        stats.update(content_stats(self.consultation, await self.material()))
        return render_stats(stats, self.consultation)

    async def material(self) -> Material:
        """Everything the staff tools read: submissions, documents' text, deleted rows."""
        return await load_material(self._store, self.consultation.id)

    async def submissions(self) -> list[Submission]:
        """Every submission to the consultation, in the order they arrived."""
        return await self._store.list_submissions(self.consultation.id)

    async def submission(self, reference: str) -> Submission | None:
        """One submission by its reference."""
        return await self._store.get_submission(reference)

    async def export(self) -> tuple[bytes, int]:
        """Every submission as an Excel workbook, and how many there are (deleted ones too)."""
        material = await self.material()
        data = await asyncio.to_thread(export_bytes, self.consultation, material, "xlsx")
        return data, material.total

    async def compilation(self) -> tuple[bytes, int]:
        """Every answer under its theme and question as a Word document, and how many sent."""
        material = await self.material()
        compiled = await asyncio.to_thread(build_compilation, self.consultation, material)
        return await asyncio.to_thread(compilation_docx, compiled), material.total

    # -- delivery ---------------------------------------------------------------------------------

    async def outbox(self, status: OutboxStatus | None = None) -> list[OutboxRecord]:
        """E-mails by delivery state, failed first."""
        return await self._store.list_outbox(status)

    async def outbox_row(self, outbox_id: int) -> OutboxRecord | None:
        """One e-mail's delivery state."""
        return await self._store.outbox_row(outbox_id)

    async def retry(self, outbox_id: int) -> bool:
        """Queue a failed e-mail again and wake the sender; ``False`` if it had not failed."""
        queued = await self._store.retry_outbox(outbox_id, self.clock())
        if queued:
            self._retry_wakes()
        return queued

    # -- messages sent once (cards, alerts, digests, reminders, notices) ------------------------

    async def claim(self, key: str) -> bool:
        """Note ``key`` as sent now; ``False`` if it was already (then do not send)."""
        return await self._store.jobs.claim(key, self.clock())

    async def release(self, key: str) -> None:
        """Forget a claim whose message could not be sent, so it is tried again."""
        await self._store.jobs.release(key)

    async def was_sent(self, key: str) -> bool:
        """Whether ``key`` was claimed."""
        return await self._store.jobs.was_sent(key)

    async def mark_sent(self, keys: Iterable[str]) -> None:
        """Note ``keys`` as sent without sending (what existed before, or is not due)."""
        await self._store.jobs.mark_all(keys, self.clock())

    async def not_yet_told(self) -> tuple[list[str], list[int]]:
        """Submissions without a staff card, and failed e-mails without an alert."""
        return await self._store.jobs.not_yet(self.consultation.id)

    # -- people's drafts ------------------------------------------------------------------------

    async def drafts_to_remind(self, untouched_since: datetime) -> list[Session]:
        """Drafts whose owners asked for reminders, or untouched since ``untouched_since``."""
        return await self._store.jobs.drafts(self.consultation.id, untouched_since)

    async def session_of(self, user_id: str) -> Session | None:
        """A person's conversation, if any."""
        return await self._store.load_session(user_id, self.consultation.id)
