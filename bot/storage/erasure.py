"""Deleting what a person asked us to forget, and drafts nobody came back to.

Callers checkpoint the WAL afterwards (see :meth:`bot.storage.connection.Database.checkpoint`)
so the deleted text leaves the disk, not only the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.storage.connection import all_rows, one, run
from bot.storage.db import to_db_time
from bot.storage.sessions import NOT_IN_SUBMISSION
from bot.storage.submissions import has_pending_delivery
from bot.storage.types import DeletionReport
from bot.storage.web_visitors import forget_stale_visitors, forget_visitor

CHANNEL_OF_USER = (
    "CASE WHEN user_id LIKE 'tg:%' THEN 'telegram' WHEN user_id LIKE 'web:%' THEN 'web'"
    " ELSE 'terminal' END"
)
"""SQL: the channel a submission came by, from its sender's key (see ``user_key`` of each
front end). A submission that records its channel itself (``$.channel``) is believed first."""

CHANNEL = f"COALESCE(json_extract(data, '$.channel'), {CHANNEL_OF_USER})"


async def erase_submission(db: aiosqlite.Connection, reference: str) -> tuple[str, ...]:
    """Delete a submission, its outbox rows and the documents only it referred to.

    A submission the ministry's server accepted stays counted (see :mod:`bot.storage.figures`)
    as a row of :class:`~bot.storage.types.ErasedSubmission`: its reference, time and
    channel, nothing else. Returns the Message-IDs of its e-mails, so the caller can delete
    copies kept outside the database (the file transport's ``.eml`` files).
    """
    await run(
        db,
        "INSERT OR IGNORE INTO erased_submissions (reference, consultation_id, received_at,"
        f" channel) SELECT reference, consultation_id, received_at, {CHANNEL} FROM submissions"
        " WHERE reference = ? AND EXISTS (SELECT 1 FROM outbox WHERE outbox.reference ="
        " submissions.reference AND kind = 'ministry' AND status = 'sent')",
        (reference,),
    )
    mails = await all_rows(db, "SELECT message_id FROM outbox WHERE reference = ?", (reference,))
    linked = await all_rows(
        db, "SELECT attachment_id FROM submission_attachments WHERE reference = ?", (reference,)
    )
    await run(db, "DELETE FROM submissions WHERE reference = ?", (reference,))
    for row in linked:
        await run(
            db,
            f"DELETE FROM attachments WHERE id = ? AND {NOT_IN_SUBMISSION}",
            (row["attachment_id"],),
        )
    return tuple(str(row["message_id"]) for row in mails)


async def erase_if_delivered(db: aiosqlite.Connection, reference: str) -> tuple[str, ...] | None:
    """Erase a submission whose owner asked for deletion once nothing is left to send.

    Returns the Message-IDs of its e-mails when it was erased (see :func:`erase_submission`),
    ``None`` when it was not.
    """
    row = await one(
        db, "SELECT erase_after_delivery FROM submissions WHERE reference = ?", (reference,)
    )
    if row is None or not row["erase_after_delivery"]:
        return None
    if await has_pending_delivery(db, reference):
        return None
    return await erase_submission(db, reference)


TELEGRAM_PERSON = re.compile(r"tg:(\d+)")
"""A person's key when they came through Telegram.

See :func:`bot.channels.telegram.updates.user_key`.
"""


def _sender(data: str) -> int | None:
    """The Telegram user a stored update came from (``from`` of its message, press, …)."""
    try:
        update: Any = json.loads(data)
    except ValueError:
        return None
    if not isinstance(update, dict):
        return None
    for value in update.values():
        sender = value.get("from") if isinstance(value, dict) else None
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None


async def forget_stored_updates(
    db: aiosqlite.Connection, user_id: str, handled: Sequence[str]
) -> int:
    """Forget the person's fetched updates up to the deletion's own update.

    The update journal keeps a fetched update (its text, the sender's name) until it is
    handled or settled; that can be after the deletion has been checkpointed, which would
    leave the text on disk. ``handled`` are the keys of the update that asked for the deletion
    (``<source>:<update id>``); the person's later updates are not handled yet and stay.
    Returns how many stored updates were forgotten (their keys stay, as handled).
    """
    person = TELEGRAM_PERSON.fullmatch(user_id)
    if person is None:
        return 0
    telegram_id = int(person.group(1))
    newest: dict[str, int] = {}
    for key in handled:
        source, _, number = key.rpartition(":")
        if source and number.isdigit():
            newest[source] = max(newest.get(source, 0), int(number))
    # A reply a stop left owed to the person holds their words too (a summary): forget it.
    deleted = await run(
        db,
        "UPDATE update_journal SET state = 'handled', reply = NULL"
        " WHERE state = 'owed' AND json_extract(reply, '$.chat') = ?",
        (telegram_id,),
    )
    for source, up_to in newest.items():
        rows = await all_rows(
            db,
            "SELECT update_id, data FROM update_journal"
            " WHERE source = ? AND state = 'fetched' AND update_id <= ?",
            (source, up_to),
        )
        for row in rows:
            if _sender(str(row["data"])) == telegram_id:
                deleted += await run(
                    db,
                    "UPDATE update_journal SET state = 'handled', data = NULL"
                    " WHERE source = ? AND update_id = ?",
                    (source, row["update_id"]),
                )
    return deleted


async def delete_user_data(
    db: aiosqlite.Connection, user_id: str, *, handled: Sequence[str] = ()
) -> DeletionReport:
    """Delete everything stored about a person, as far as delivery allows.

    Submissions still waiting to be delivered to the ministry are kept and flagged; they are
    erased as soon as nothing is left to send (see :func:`erase_if_delivered`). The person's
    fetched updates kept in the journal go too (see :func:`forget_stored_updates`; ``handled``
    are the keys of the update asking for the deletion), and so do the reminder and
    purge-notice records that name the person, and a web visitor's devices and resume codes.
    Abuse-limit counts stay: they hold only a hash of the person's key and times (see
    :mod:`bot.storage.counters`).
    """
    erased = 0
    pending = 0
    message_ids: list[str] = []
    sessions = await run(db, "DELETE FROM sessions WHERE user_id = ?", (user_id,))
    rows = await all_rows(db, "SELECT reference FROM submissions WHERE user_id = ?", (user_id,))
    for row in rows:
        reference = row["reference"]
        if await has_pending_delivery(db, reference):
            await run(
                db,
                "UPDATE submissions SET erase_after_delivery = 1 WHERE reference = ?",
                (reference,),
            )
            pending += 1
        else:
            message_ids += await erase_submission(db, reference)
            erased += 1
    await run(
        db, f"DELETE FROM attachments WHERE user_id = ? AND {NOT_IN_SUBMISSION}", (user_id,)
    )
    await forget_stored_updates(db, user_id, handled)
    # Reminders and purge notices sent or due, keyed "<job>:<person>[:…]": the person's id.
    await run(db, "DELETE FROM jobs_sent WHERE instr(key || ':', ':' || ? || ':') > 0", (user_id,))
    await forget_visitor(db, user_id)
    return DeletionReport(
        sessions=sessions,
        submissions=erased,
        pending_deliveries=pending,
        message_ids=tuple(message_ids),
    )


async def purge_abandoned_drafts(db: aiosqlite.Connection, older_than: datetime) -> int:
    """Delete drafts untouched since ``older_than``; return how many.

    Also deletes documents no draft or submission refers to any more (stored before
    ``older_than``). Finished conversations and submissions are kept.
    """
    cutoff = to_db_time(older_than)
    purged = await run(
        db, "DELETE FROM sessions WHERE status = 'draft' AND updated_at < ?", (cutoff,)
    )
    await run(
        db,
        f"DELETE FROM attachments WHERE created_at < ? AND {NOT_IN_SUBMISSION}"
        " AND NOT EXISTS (SELECT 1 FROM sessions AS s WHERE s.user_id ="
        " attachments.user_id AND s.draft_id = attachments.draft_id)",
        (cutoff,),
    )
    await forget_stale_visitors(db, older_than)
    return purged
