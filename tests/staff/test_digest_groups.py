"""The staff digest counts the «Like innspill» groups the day's submissions joined."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.consultation.model import Consultation
from bot.conversation.submission import RespondentInfo, Submission, SubmissionAnswer
from bot.staff.cards import digest_text
from bot.staff.material import Material
from tests.staff.letters import CAMPAIGNS, campaign_letter, distinct_letter

DAY = datetime(2021, 2, 2, 7, 0, tzinfo=UTC)


def submission(n: int, text: str, at: datetime) -> Submission:
    return Submission(
        reference=f"SMB-{n:04d}",
        consultation_id="smabyer",
        case_number="20/6204",
        title="t",
        subject="s",
        recipient="postmottak@example.no",
        received_at=at,
        language="nb",
        flow="quick",
        respondent=RespondentInfo(type_id="privatperson", type_label="Privatperson", name=f"P{n}"),
        answers=[SubmissionAnswer(key="quick", kind="free_text", heading="Innspill", answer=text)],
    )


def test_the_digest_counts_the_campaign_across_days(c: Consultation) -> None:
    rng = random.Random(4)
    yesterday = [submission(n, campaign_letter(rng, CAMPAIGNS[0]), DAY - timedelta(days=1))
                 for n in range(5)]  # fmt: skip
    today = [submission(10 + n, campaign_letter(rng, CAMPAIGNS[0]), DAY) for n in range(3)]
    today.append(submission(20, distinct_letter(rng), DAY))
    likeness = Material(yesterday + today).likeness
    text = digest_text(c, today, DAY - timedelta(days=1), DAY + timedelta(hours=1), likeness)
    assert "Dagens innspill" in text
    assert "Like innspill: 3 av dagens i 1 gruppe (8 innspill i alt)" in text
    assert "Like innspill" not in digest_text(c, today[-1:], DAY, DAY, likeness)
