"""What the staff tools read beside the submissions: documents' text, erased rows, channels."""

from __future__ import annotations

import hashlib
from typing import Any

import aiosqlite

from bot.storage import figures
from bot.storage.connection import Database, all_rows
from bot.storage.db import from_db_time
from bot.storage.erasure import CHANNEL
from bot.storage.types import ErasedSubmission, StoredDocument


async def stored_documents(
    db: aiosqlite.Connection, consultation_id: str
) -> dict[str, StoredDocument]:
    """The text and checksum of each document a submission of the consultation carries.

    A document stored before checksums were kept has its bytes read once here to compute it.
    """
    rows = await all_rows(
        db,
        "SELECT a.id, a.sha256, a.text_content, a.text_state,"
        " CASE WHEN a.sha256 IS NULL THEN a.data END AS data"
        " FROM attachments AS a JOIN submission_attachments AS l ON l.attachment_id = a.id"
        " JOIN submissions AS s ON s.reference = l.reference WHERE s.consultation_id = ?",
        (consultation_id,),
    )
    found: dict[str, StoredDocument] = {}
    for row in rows:
        checksum = row["sha256"]
        if checksum is None and row["data"] is not None:
            checksum = hashlib.sha256(bytes(row["data"])).hexdigest()
        found[row["id"]] = StoredDocument(
            attachment_id=row["id"],
            sha256=checksum,
            text=row["text_content"],
            text_state=row["text_state"],
        )
    return found


async def erased_submissions(
    db: aiosqlite.Connection, consultation_id: str
) -> list[ErasedSubmission]:
    """Delivered submissions their senders deleted, in the order they were received."""
    rows = await all_rows(
        db,
        "SELECT reference, received_at, channel FROM erased_submissions"
        " WHERE consultation_id = ? ORDER BY received_at, reference",
        (consultation_id,),
    )
    return [
        ErasedSubmission(row["reference"], from_db_time(row["received_at"]), row["channel"])
        for row in rows
    ]


async def channels(db: aiosqlite.Connection, consultation_id: str) -> dict[str, str]:
    """Reference → channel of every submission, kept or erased."""
    rows = await all_rows(
        db,
        f"SELECT reference, {CHANNEL} AS channel FROM submissions WHERE consultation_id = ?"
        " UNION ALL SELECT reference, channel FROM erased_submissions WHERE consultation_id = ?",
        (consultation_id, consultation_id),
    )
    return {row["reference"]: row["channel"] for row in rows}


class StaffReads:
    """The staff tools' reads, as one facade on the store (``store.staff``)."""

    def __init__(self, database: Database) -> None:
        """Use the store's open database."""
        self._db = database

    async def stored_documents(self, consultation_id: str) -> dict[str, StoredDocument]:
        """The kept text and checksum of every submitted document, by attachment id."""
        async with self._db.read() as db:
            return await stored_documents(db, consultation_id)

    async def erased_submissions(self, consultation_id: str) -> list[ErasedSubmission]:
        """Delivered submissions their senders deleted, oldest first (see ``erase_submission``)."""
        async with self._db.read() as db:
            return await erased_submissions(db, consultation_id)

    async def channels(self, consultation_id: str) -> dict[str, str]:
        """The channel each submission came by, by reference (erased ones included)."""
        async with self._db.read() as db:
            return await channels(db, consultation_id)

    async def stats(self, consultation_id: str) -> dict[str, Any]:
        """Counts staff ask for, without reading anyone's answers.

        Returns a dict with ``submissions`` (total, including ``erased_after_delivery``:
        delivered submissions their senders deleted, counted in ``by_day`` but in no other
        breakdown, since nothing else of them is kept), ``by_respondent_type``,
        ``by_municipality`` (kommunenummer), ``by_county`` (fylkesnummer), ``by_language``,
        ``by_flow``, ``by_day`` (ISO dates in Europe/Oslo, oldest first),
        ``drafts_in_progress`` and ``outbox`` (count per status, all statuses present).
        Submissions without a municipality are left out of ``by_municipality``/``by_county``.
        """
        async with self._db.read() as db:
            return await figures.stats(db, consultation_id)
