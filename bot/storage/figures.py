"""Counts staff ask for, without reading anyone's answers."""

from __future__ import annotations

from typing import Any

import aiosqlite

from bot.ops.clock import OSLO
from bot.storage.connection import all_rows, one
from bot.storage.db import from_db_time
from bot.storage.types import OUTBOX_STATUSES

_STAT_COLUMNS = {
    "by_respondent_type": "respondent_type",
    "by_municipality": "municipality_number",
    "by_county": "county_number",
    "by_language": "language",
    "by_flow": "flow",
    "by_channel": "channel",
}
"""Statistics key → submissions column to count by (fixed names, never user input)."""


async def stats(db: aiosqlite.Connection, consultation_id: str) -> dict[str, Any]:
    """The counts for one consultation (see :meth:`bot.storage.Store.stats` for the keys)."""
    result: dict[str, Any] = {"consultation_id": consultation_id}
    total = await one(
        db, "SELECT COUNT(*) AS n FROM submissions WHERE consultation_id = ?", (consultation_id,)
    )
    erased = await one(
        db,
        "SELECT COUNT(*) AS n FROM erased_submissions WHERE consultation_id = ?",
        (consultation_id,),
    )
    # A delivered submission its sender deleted is still in the ministry's mailbox: count it.
    result["erased_after_delivery"] = int(erased["n"]) if erased else 0
    result["submissions"] = (int(total["n"]) if total else 0) + result["erased_after_delivery"]
    for key, column in _STAT_COLUMNS.items():
        rows = await all_rows(
            db,
            f"SELECT {column} AS value, COUNT(*) AS n FROM submissions"
            f" WHERE consultation_id = ? AND {column} IS NOT NULL"
            f" GROUP BY {column} ORDER BY {column}",
            (consultation_id,),
        )
        result[key] = {row["value"]: int(row["n"]) for row in rows}
    received = await all_rows(
        db,
        "SELECT received_at FROM submissions WHERE consultation_id = ?"
        " UNION ALL SELECT received_at FROM erased_submissions WHERE consultation_id = ?",
        (consultation_id, consultation_id),
    )
    drafts = await one(
        db,
        "SELECT COUNT(*) AS n FROM sessions WHERE consultation_id = ? AND status = 'draft'",
        (consultation_id,),
    )
    outbox = await all_rows(
        db,
        "SELECT o.status AS status, COUNT(*) AS n FROM outbox AS o"
        " JOIN submissions AS s ON s.reference = o.reference"
        " WHERE s.consultation_id = ? GROUP BY o.status",
        (consultation_id,),
    )
    by_day: dict[str, int] = {}
    for row in received:
        day = from_db_time(row["received_at"]).astimezone(OSLO).date().isoformat()
        by_day[day] = by_day.get(day, 0) + 1
    result["by_day"] = by_day
    result["drafts_in_progress"] = int(drafts["n"]) if drafts else 0
    counts = {row["status"]: int(row["n"]) for row in outbox}
    result["outbox"] = {status: counts.get(status, 0) for status in OUTBOX_STATUSES}
    return result
