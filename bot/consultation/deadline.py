"""Whether a submission came in after the consultation's deadline, judged in Norwegian time."""

from __future__ import annotations

from datetime import date, datetime

from bot.ops.clock import OSLO

LATE_LABEL = "Mottatt etter fristen"


def is_late(received_at: datetime, deadline: date) -> bool:
    """Late means received after the end of the deadline day in Europe/Oslo.

    The ministry's deadline is a calendar day in Norway, so 23:59 Oslo time on that day is in
    time and 00:01 the next day is late, whatever the server's time zone.
    """
    return received_at.astimezone(OSLO).date() > deadline
