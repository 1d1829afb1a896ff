"""What the engine knows of a channel comes in as that channel's limits, never as Telegram's."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation.capabilities import ChannelCapabilities
from bot.conversation.context import Limits
from bot.conversation.names import MAX_ID_BYTES
from tests.conversation.talk import Talk
from tests.conversation.test_message_size_and_reading import every_screen

SEND_PROMPT = "Når du trykker «Send inn»"


def summary_with_a_long_answer(c: Consultation, limits: Limits) -> Talk:
    t = Talk(c, limits=limits)
    t.command("start", "rask")
    t.click("Privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.send("Vi trenger flere boliger for unge i sentrum av byen. " * 40)  # about 2,100 characters
    return t


def test_the_summary_and_its_send_prompt_join_while_the_channel_holds_them(
    consultation: Consultation,
) -> None:
    without = summary_with_a_long_answer(consultation, Limits())
    summary = next(r for r in without.replies if "📋 Oppsummering" in r.text)
    assert SEND_PROMPT in summary.text, "a channel without a limit gets one message"

    limit = len(summary.text) - 10
    narrow = summary_with_a_long_answer(consultation, Limits(channel=ChannelCapabilities(limit)))
    summary = next(r for r in narrow.replies if "📋 Oppsummering" in r.text)
    assert SEND_PROMPT not in summary.text, "the send prompt would not fit: a message of its own"
    assert len(summary.text) <= limit
    assert any(SEND_PROMPT in r.text for r in narrow.replies)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_step_and_choice_id_offered_is_short_for_every_channel(
    consultation: Consultation, lang: str
) -> None:
    replies = every_screen(consultation, lang)
    ids = {r.step for r in replies if r.step} | {ch.id for r in replies for ch in r.choices}
    assert len(ids) > 30
    too_long = [i for i in ids if len(i.encode("utf-8")) > MAX_ID_BYTES]
    assert too_long == []
