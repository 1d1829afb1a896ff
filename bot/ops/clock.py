"""The one real clock, and the one time zone people here read times in.

Everything that needs the time takes it as a parameter, so tests can set it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
"""Dates and times shown to people and staff are Norwegian local time."""


def utc_now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)
