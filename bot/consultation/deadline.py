"""The deadline rule, decided here only: when the deadline day ends, and what that means.

The ministry's deadline is a calendar day in Norway, so it ends at 24:00 Europe/Oslo whatever
the server's time zone: 23:59 Oslo time on that day is in time, 00:01 the next day is late.
The conversation (its notices and every step that refuses or marks input), the mail and the
staff outputs all ask this module; none of them works it out again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.consultation.model import Consultation
from bot.ops.clock import OSLO

LATE_LABEL = "Mottatt etter fristen"


def is_late(received_at: datetime, deadline: date) -> bool:
    """Whether ``received_at`` is after the end of the deadline day in Europe/Oslo."""
    return received_at.astimezone(OSLO).date() > deadline


def deadline_end(c: Consultation) -> datetime:
    """The moment the deadline day ends: midnight after it, Oslo time."""
    return datetime.combine(c.deadline + timedelta(days=1), time(0), tzinfo=OSLO)


def has_passed(c: Consultation, at: datetime) -> bool:
    """Whether ``at`` is after the consultation's deadline day (in Oslo)."""
    return is_late(at, c.deadline)


def is_closed(c: Consultation, at: datetime) -> bool:
    """Whether the consultation takes no new input at ``at`` (its policy is ``closed``)."""
    return c.deadline_policy == "closed" and has_passed(c, at)
