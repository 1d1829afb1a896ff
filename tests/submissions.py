"""A real submission on file, made through the service: for tests of what staff and operators run.

Short on purpose (the quick path, as a municipality); the staff tests in ``tests/staff`` make
richer ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.consultation.loader import load_consultation
from bot.conversation import flow
from bot.service.conversations import ConversationService
from bot.storage import Store
from tests.conftest import SEED


async def submit(
    db: Path, user: str, text: str = "Innspill", *, at: datetime | None = None
) -> None:
    """``user`` sends ``text`` by the quick path ``at`` (default now); ``"draft"`` stops short.

    A sent submission queues its e-mail at the same time.
    """
    consultation = load_consultation(SEED)
    async with await Store.open(db) as store:
        clock = (lambda: at) if at else (lambda: datetime.now(UTC))
        service = ConversationService(consultation, store, clock=clock)
        await service.handle_command(user, "start", "rask")
        await service.handle_choice(user, flow.TYPE, "kommune")
        await service.handle_text(user, "Harstad kommune")
        await service.handle_text(user, "Per Hansen")
        await service.handle_text(user, text)
        if text != "draft":
            # The quick path leaves the municipality to the summary ("Endre noe").
            await service.handle_choice(user, flow.SUMMARY, "edit")
            await service.handle_choice(user, flow.EDIT, flow.MUNICIPALITY)
            await service.handle_text(user, "Harstad")
            await service.handle_choice(user, flow.SUMMARY, "send")
