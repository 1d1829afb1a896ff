"""Input as front ends pass it on, unread: the engine alone decides what it means."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.commands import OPEN
from tests.conftest import EXAMPLE, SEED
from tests.conversation.talk import Talk


def at_first_theme(c: Consultation) -> Talk:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.click("Nei takk")
    t.click("Tilgjengelighet")
    t.click("Ferdig")
    return t


def test_a_typed_number_is_a_choice_where_choices_are_numbered(c: Consultation) -> None:
    t = at_first_theme(c)
    t.send("1", numbered=True)  # "1) Hopp over" in the terminal
    assert t.session.step == flow.question_step("q1")
    assert flow.theme_step("tilgjengelighet") in t.session.skipped


def test_a_typed_number_is_part_of_the_answer_where_buttons_are_shown(c: Consultation) -> None:
    t = at_first_theme(c)
    t.send("1")  # on Telegram, "1" under a question is what the person means to say
    assert t.session.answers[flow.theme_step("tilgjengelighet")].text == "1"
    assert t.session.step == flow.question_step("q1")


def test_a_command_typed_as_text_is_a_command(c: Consultation) -> None:
    t = at_first_theme(c)
    t.send("/tilbake@innspill_bot")
    assert t.session.step == flow.THEMES


def test_opening_the_chat_welcomes_someone_new(c: Consultation) -> None:
    t = Talk(c)
    t.command(OPEN)
    assert "Strategi for småbyer" in t.replies[0].text
    assert t.session.step == flow.START


def test_opening_the_chat_continues_a_draft(c: Consultation) -> None:
    t = at_first_theme(c)
    t.command(OPEN)
    assert "Velkommen tilbake! Du fortsetter der du slapp." in t.text
    assert t.session.step == flow.theme_step("tilgjengelighet")


def test_opening_the_chat_in_another_language_switches_first(c: Consultation) -> None:
    t = at_first_theme(c)
    t.command(OPEN, "nn")
    assert t.session.lang == "nn"
    assert t.session.step == flow.theme_step("tilgjengelighet")


def test_opening_the_chat_after_sending_shows_the_reference(c: Consultation) -> None:
    t = at_first_theme(c)
    t.send("Flere busser.")  # an empty submission is refused (#12)
    t.command("summary")
    t.click("send inn")
    t.command(OPEN)
    assert t.session.reference is not None
    assert t.session.reference in t.text


@pytest.mark.parametrize(
    "typed", ["-1", "-2", "+1", "1.5", "0,1", "1/2", "\u2212 1", "2 takk", "1 2"]
)
def test_only_a_plain_number_picks_a_numbered_choice(c: Consultation, typed: str) -> None:
    t = Talk(c)
    t.command("start")
    t.send(typed, numbered=True)  # at the welcome: «1) Svar på spørsmålene» …
    assert t.session.step == flow.START, f"{typed!r} began a path"
    t.click("Svar på spørsmålene")
    t.send(typed, numbered=True)  # «Hvem svarer du for?»: «1) Privatperson», «2) Organisasjon»
    assert t.session.step == flow.TYPE, f"{typed!r} was taken as a choice"
    assert t.session.respondent.type is None
    assert "Velg et av alternativene" in t.text  # the same friendly refusal as for 1.5


@pytest.mark.parametrize(("typed", "chosen"), [("1", "privatperson"), ("02", "organisasjon")])
def test_a_plain_number_in_range_picks_its_choice(c: Consultation, typed: str, chosen: str) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.send(typed, numbered=True)
    assert t.session.respondent.type == chosen


@pytest.mark.parametrize(
    ("file", "lang", "label"),
    [
        (SEED, "nb", "Svar på spørsmålene (ca. 10 min)"),
        (SEED, "nn", "Svar på spørsmåla (ca. 10 min)"),
        (EXAMPLE, "nb", "Svar på spørsmålene (ca. 5 min)"),  # its intro says «fem minutter»
        (EXAMPLE, "en", "Answer the questions (about 5 min)"),
    ],
)
def test_the_guided_path_says_the_time_its_file_gives(file: Path, lang: str, label: str) -> None:
    t = Talk(load_consultation(file), lang=lang)
    t.command("start")
    assert label in [choice.label for choice in t.buttons().choices]
