"""The deadline on every way into the conversation, judged in Oslo time, under both policies.

The clock is set per test: 23:59 on the deadline day (Oslo) is in time, 00:01 the next day is
after it, whatever the UTC date says.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.consultation.model import Consultation
from bot.conversation.events import Submit
from tests.conversation.talk import Talk

DEADLINE = date(2026, 12, 1)
BEFORE_MIDNIGHT = datetime(2026, 12, 1, 22, 59, tzinfo=UTC)  # 23:59 Oslo on the deadline day
AFTER_MIDNIGHT = datetime(2026, 12, 1, 23, 1, tzinfo=UTC)  # 00:01 Oslo the day after
A_WEEK_BEFORE = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 6 days 11 hours left
LONG_BEFORE = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)

PASSED = "Fristen gikk ut 1. desember 2026"
CLOSED = "Du kan ikke sende nye innspill lenger"
LATE = "innspillet blir merket som sent"
HEAR_FROM_YOU = "vil høre fra deg"


@pytest.fixture
def c(consultation: Consultation) -> Consultation:
    """The seed consultation (its deadline and policy are replaced per test)."""
    return consultation


def with_policy(c: Consultation, policy: str) -> Consultation:
    return c.model_copy(update={"deadline": DEADLINE, "deadline_policy": policy})


def talk_at(c: Consultation, at: datetime, policy: str = "late") -> Talk:
    t = Talk(with_policy(c, policy))
    t.now = at
    return t


def quick_draft(t: Talk) -> None:
    t.command("start", "rask")
    t.click("Privatperson")
    t.send("Kari Nordmann")
    t.send("harstad kommune")
    t.send("Vi trenger flere bussavganger om kvelden.")


def test_long_before_the_deadline_the_welcome_gives_only_the_date(c: Consultation) -> None:
    t = talk_at(c, LONG_BEFORE)
    t.command("start")
    assert "Frist: 1. desember 2026." in t.text
    assert HEAR_FROM_YOU in t.text
    assert "igjen" not in t.text


def test_near_the_deadline_the_welcome_says_how_many_days_are_left(c: Consultation) -> None:
    t = talk_at(c, A_WEEK_BEFORE)
    t.command("start")
    assert "Det er 6 dager igjen." in t.text


def test_on_the_deadline_day_at_2359_oslo_it_is_still_open(c: Consultation) -> None:
    t = talk_at(c, BEFORE_MIDNIGHT, "closed")
    t.command("start")
    assert "Fristen går ut i dag kl. 23.59. Det er under 1 time igjen." in t.text
    assert PASSED not in t.text
    assert t.button("Svar på spørsmålene")


@pytest.mark.parametrize("policy", ["late", "closed"])
def test_at_0001_oslo_the_next_day_the_welcome_says_it_has_passed(
    c: Consultation, policy: str
) -> None:
    t = talk_at(c, AFTER_MIDNIGHT, policy)
    t.command("start")
    assert PASSED in t.text
    assert (CLOSED if policy == "closed" else LATE) in t.text
    assert HEAR_FROM_YOU not in t.text  # the after-deadline intro


def test_closed_welcome_offers_no_way_to_begin(c: Consultation) -> None:
    t = talk_at(c, AFTER_MIDNIGHT, "closed")
    t.command("start")
    assert [choice.label for choice in t.buttons().choices] == ["Språk / Language"]


@pytest.mark.parametrize("policy", ["late", "closed"])
def test_the_deep_link_to_the_quick_path_tells_the_deadline(c: Consultation, policy: str) -> None:
    t = talk_at(c, AFTER_MIDNIGHT, policy)
    t.command("start", "rask")
    assert PASSED in t.text
    if policy == "closed":
        assert CLOSED in t.text
        assert [choice.label for choice in t.buttons().choices] == ["Språk / Language"]
    else:
        assert LATE in t.text
        assert t.button("Privatperson")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_late_notice_keeps_first_contact_one_short_message(c: Consultation, lang: str) -> None:
    # The longest welcome: the late notice and the hint for an unconfirmed language.
    t = Talk(with_policy(c, "late"), lang)
    t.now = AFTER_MIDNIGHT
    t.session.lang_confirmed = False
    t.command("start")
    assert len(t.replies) == 1
    assert "Nynorsk? English?" in t.text
    assert len(t.text) <= 600


@pytest.mark.parametrize("policy", ["late", "closed"])
def test_resuming_a_draft_after_the_deadline_tells_it(c: Consultation, policy: str) -> None:
    t = talk_at(c, BEFORE_MIDNIGHT - (AFTER_MIDNIGHT - BEFORE_MIDNIGHT) * 30, policy)
    quick_draft(t)
    t.now = AFTER_MIDNIGHT
    t.command("start")
    assert "Velkommen tilbake" in t.text
    assert PASSED in t.text
    t.now = AFTER_MIDNIGHT
    t.command("continue")
    assert PASSED in t.text


def test_late_policy_summary_warns_and_still_sends(c: Consultation) -> None:
    t = talk_at(c, BEFORE_MIDNIGHT - (AFTER_MIDNIGHT - BEFORE_MIDNIGHT) * 30, "late")
    quick_draft(t)
    t.now = AFTER_MIDNIGHT
    t.command("summary")
    assert LATE in t.text
    t.click("send inn")
    assert len(t.submissions) == 1
    submission = t.submissions[0].submission
    assert submission.received_at > AFTER_MIDNIGHT


def test_closed_policy_summary_can_be_read_and_deleted_but_not_sent(c: Consultation) -> None:
    t = talk_at(c, BEFORE_MIDNIGHT - (AFTER_MIDNIGHT - BEFORE_MIDNIGHT) * 30, "closed")
    quick_draft(t)
    t.command("summary")
    send_button = t.button("send inn")  # shown before midnight
    t.now = AFTER_MIDNIGHT
    t.press(*send_button)  # pressed after midnight: refused
    assert not [e for e in t.effects if isinstance(e, Submit)]
    assert "bussavganger" in t.text  # the draft is shown again
    assert CLOSED in t.text
    assert [choice.label for choice in t.buttons().choices] == ["🗑 Avbryt og slett utkastet"]
    t.click("Avbryt og slett")
    t.click("Ja")
    assert not t.session.has_content


def test_the_deadline_is_read_in_the_persons_language(c: Consultation) -> None:
    t = Talk(with_policy(c, "late"), lang="en")
    t.now = AFTER_MIDNIGHT
    t.command("start")
    late = (
        "The deadline was 1 December 2026. "
        "You can still send, but your input will be marked as late."
    )
    assert late in t.text


def test_a_person_with_a_draft_can_ask_for_a_reminder_once(c: Consultation) -> None:
    t = talk_at(c, LONG_BEFORE)
    quick_draft(t)
    t.command("start")
    t.click("Minn meg på fristen")
    assert t.session.remind_deadline
    assert "Jeg minner deg på fristen 7 dager og 1 dag før" in t.text
    assert "Minn meg" not in " ".join(choice.label for choice in t.buttons().choices)


def test_no_reminder_is_offered_on_the_last_day(c: Consultation) -> None:
    t = talk_at(c, BEFORE_MIDNIGHT - (AFTER_MIDNIGHT - BEFORE_MIDNIGHT) * 30)
    quick_draft(t)
    t.command("start")
    assert "Minn meg" not in " ".join(choice.label for choice in t.buttons().choices)
