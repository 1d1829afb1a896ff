"""/start in the middle of a draft always leads back to the exact step the person was at."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.names import Step
from tests.conversation.talk import Talk

ROOT = Path(__file__).resolve().parents[2]
QUESTION_2 = flow.question_step("q2")


@pytest.fixture(scope="module")
def c() -> Consultation:
    return load_consultation(ROOT / "conversations" / "strategi-for-smabyer.toml")


def at_question_2(c: Consultation) -> Talk:
    """A guided draft with one theme answered and question 1 skipped: at "Spørsmål 2 av 6"."""
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.click("Nei takk")
    t.click("Tilgjengelighet")
    t.click("Ferdig")
    t.send("Flere busser.")
    t.click("Hopp over")
    assert t.session.step == QUESTION_2
    return t


def continue_where_i_was(t: Talk) -> None:
    assert "Du var her: Spørsmål 2." in t.text
    t.click("Fortsett der jeg var")
    assert t.session.step == QUESTION_2
    assert "Spørsmål 2 av 6" in t.text
    assert "Oppsummering" not in t.text


BEFORE_START: dict[str, list[tuple[str, str]]] = {
    "start": [("start", "")],
    "cancel": [("cancel", "")],
    "delete": [("delete", "")],
    "language": [("language", "")],
    "language and start again": [("language", ""), ("start", "")],
    "cancel then delete": [("cancel", ""), ("delete", "")],
    "help": [("help", "")],
    "status": [("status", "")],
}
"""Commands people send before /start when a reply seems lost, or on second thoughts."""


@pytest.mark.parametrize("commands", BEFORE_START.values(), ids=BEFORE_START.keys())
def test_start_after_other_commands_resumes_at_the_same_question(
    c: Consultation, commands: list[tuple[str, str]]
) -> None:
    t = at_question_2(c)
    for name, arg in commands:
        t.command(name, arg)
    t.command("start")
    assert t.session.step == Step.RESUME
    continue_where_i_was(t)


def test_start_typed_twice_then_continue(c: Consultation) -> None:
    t = at_question_2(c)
    t.send("/start")
    t.send("/start")
    continue_where_i_was(t)
    assert t.session.answers[flow.theme_step("tilgjengelighet")].text == "Flere busser."


def test_an_answer_typed_at_the_resume_screen_goes_to_the_question(c: Consultation) -> None:
    # /start sent when a reply seemed slow shows «Velkommen tilbake» after the question; the
    # person answers the question they see, and the answer must not be turned away.
    t = at_question_2(c)
    t.command("start")
    assert t.session.step == Step.RESUME
    t.send("Et sykehus i nærheten.")
    assert t.session.answers[QUESTION_2].text == "Et sykehus i nærheten."
    assert "Lagret ✅" in t.text
    assert t.session.step == flow.question_step("q3")
    assert t.session.return_step is None


def test_a_choice_typed_at_the_resume_screen_is_still_a_choice(c: Consultation) -> None:
    t = at_question_2(c)
    t.command("start")
    t.send("Fortsett der jeg var")
    assert t.session.step == QUESTION_2
    assert QUESTION_2 not in t.session.answers


def test_a_language_switch_by_name_at_the_resume_screen_keeps_the_way_back(
    c: Consultation,
) -> None:
    t = at_question_2(c)
    t.command("start")
    t.command("language", "nn")
    assert t.session.lang == "nn"
    t.command("language", "nb")
    t.command("start")
    continue_where_i_was(t)


def test_the_resume_screen_names_the_summary_in_words(c: Consultation) -> None:
    t = at_question_2(c)
    t.command("summary")
    t.command("start")
    assert "Du var her: Oppsummeringen." in t.text
    t.click("Fortsett der jeg var")
    assert t.session.step == flow.SUMMARY


@pytest.mark.parametrize("step", list(Step))
def test_no_step_is_ever_named_by_its_id(c: Consultation, step: Step) -> None:
    t = at_question_2(c)
    t.session.return_step = step
    t.session.step = Step.RESUME
    t.command("continue")
    shown = t.text.split("Du var her: ", 1)[1].split(".", 1)[0]
    assert shown != step.value
    assert "_" not in shown
