"""The late mark follows the deadline day in Norwegian time, in winter and in summer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.consultation.deadline import is_late


@pytest.mark.parametrize(
    ("deadline", "received", "late"),
    [
        (date(2021, 3, 1), datetime(2021, 3, 1, 22, 59, tzinfo=UTC), False),  # 23:59 CET
        (date(2021, 3, 1), datetime(2021, 3, 1, 23, 1, tzinfo=UTC), True),  # 00:01 CET
        (date(2021, 6, 1), datetime(2021, 6, 1, 21, 59, tzinfo=UTC), False),  # 23:59 CEST
        (date(2021, 6, 1), datetime(2021, 6, 1, 22, 1, tzinfo=UTC), True),  # 00:01 CEST
        (date(2021, 6, 1), datetime(2021, 5, 31, 23, 30, tzinfo=UTC), False),
    ],
)
def test_late_means_after_the_deadline_day_in_oslo(
    deadline: date, received: datetime, late: bool
) -> None:
    assert is_late(received, deadline) is late
