"""Carrying out «slett alt» after its step: erase, forget kept e-mail copies, say what went.

The engine only asks and hands over a ``DeleteAllData`` effect; what was deleted is known
once storage has erased it, so the notice is written here, from storage's report and from
whether there was a draft (:func:`bot.conversation.steps.confirmations.deletion_notice`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from bot.conversation.steps.confirmations import deletion_notice
from bot.storage import DuplicateUpdateError, SessionStore

log = logging.getLogger(__name__)

ForgetCopies = Callable[[Sequence[str]], Awaitable[object]]
"""Deletes copies of erased submissions' e-mails kept outside the database (``.eml``)."""


async def erase_person(
    store: SessionStore,
    user_id: str,
    keys: Sequence[str],
    *,
    at: datetime,
    lang: str,
    had_draft: bool,
    forget_copies: ForgetCopies | None,
) -> str | None:
    """Erase everything about ``user_id``; the notice of what went (``None``: done before)."""
    try:
        report = await store.delete_user_data(user_id, update_key=keys, at=at)
    except DuplicateUpdateError:
        return None
    if report.message_ids and forget_copies is not None:
        await forget_copies(report.message_ids)
    log.info(
        "deleted data for a user on request: %d session(s), %d submission(s), %d awaiting delivery",
        report.sessions,
        report.submissions,
        report.pending_deliveries,
    )
    return deletion_notice(
        lang,
        erased_submissions=report.submissions,
        awaiting_delivery=report.pending_deliveries,
        had_draft=had_draft,
    )
