"""The page's memory of the conversation stays bounded, whatever people send."""

from __future__ import annotations

import pytest

from bot.channels.web import transcript
from bot.channels.web.transcript import Transcripts
from bot.conversation.events import Choice, Reply


def test_a_toggle_redraws_its_question_instead_of_adding_one() -> None:
    page = Transcripts().open("web:a", "nb")
    choices = (Choice("a", "A", selected=False), Choice("done", "Ferdig"))
    page.add_turn(None, [Reply("Hvilke tema?", choices, step="themes")])
    pressed = (Choice("a", "A", selected=True), Choice("done", "Ferdig"))
    page.add_turn(None, [Reply("Hvilke tema?", pressed, step="themes", replace_previous=True)])
    assert [m.text for m in page.messages] == ["Hvilke tema?"]
    assert page.messages[-1].choices[0].selected is True
    assert page.choice_label("themes", "done") == "Ferdig"
    assert page.choice_label("older-step", "done") is None


def test_a_long_text_is_cut_on_the_page_and_old_messages_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transcript, "PAGE_CHARS", 10_000)
    page = Transcripts().open("web:a", "nb")
    page.add_turn("x" * 50_000, [Reply("Lagret ✅")])
    assert len(page.messages[0].text) == transcript.OWN_CHARS
    for n in range(10):
        page.add_turn(None, [Reply(f"{n} " + "y" * 3_000)])
    assert page.weight <= 10_000
    assert page.messages[-1].text.startswith("9 ")
    page.add_turn(None, [Reply("z" * 20_000)])  # the newest message always stays
    assert [len(m.text) for m in page.messages] == [20_000]


def test_all_pages_together_stay_within_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transcript, "ALL_CHARS", 30_000)
    pages = Transcripts()
    for n in range(10):
        page = pages.open(f"web:{n}", "nb")
        page.add_turn(None, [Reply("y" * 9_000)])
        pages.settle(f"web:{n}", page)
    assert len(pages) == 3  # the pages idle longest were forgotten
    assert pages.get("web:9") is not None
    assert pages.get("web:0") is None
