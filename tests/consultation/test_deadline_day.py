"""The one deadline rule: the day ends at midnight in Oslo; ``closed`` takes no input after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.consultation.deadline import deadline_end, has_passed, is_closed
from bot.consultation.model import Consultation

WINTER = date(2026, 12, 1)
SUMMER = date(2026, 6, 1)


def on(c: Consultation, deadline: date, policy: str = "late") -> Consultation:
    return c.model_copy(update={"deadline": deadline, "deadline_policy": policy})


@pytest.mark.parametrize(
    ("deadline", "end"),
    [
        (WINTER, datetime(2026, 12, 1, 23, 0, tzinfo=UTC)),  # CET: UTC+1
        (SUMMER, datetime(2026, 6, 1, 22, 0, tzinfo=UTC)),  # CEST: UTC+2
    ],
)
def test_the_deadline_day_ends_at_midnight_in_oslo(
    consultation: Consultation, deadline: date, end: datetime
) -> None:
    c = on(consultation, deadline)
    assert deadline_end(c) == end
    assert not has_passed(c, end - timedelta(seconds=1))
    assert has_passed(c, end)


@pytest.mark.parametrize("policy", ["late", "closed"])
def test_only_a_closed_consultation_refuses_input_after_the_day(
    consultation: Consultation, policy: str
) -> None:
    c = on(consultation, WINTER, policy)
    before = datetime(2026, 12, 1, 22, 59, tzinfo=UTC)  # 23:59 in Oslo
    after = datetime(2026, 12, 1, 23, 1, tzinfo=UTC)  # 00:01 in Oslo
    assert not is_closed(c, before)
    assert is_closed(c, after) is (policy == "closed")
