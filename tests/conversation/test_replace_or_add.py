"""Back at an answered question, typed text replaces the answer (people retype the whole
corrected answer); «Legg til» adds to it instead, and the screen says which one typing does."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.names import Pick
from tests.conversation.talk import Talk

THEME = flow.theme_step("tjenester")
Q1 = flow.question_step("q1")

WORDS = {
    "nb": ("Erstatt svaret", "Legg til", "erstatter det svaret over", "Skriv det du vil legge til"),
    "nn": ("Byt ut svaret", "Legg til", "byter det ut svaret over", "Skriv det du vil leggje til"),
    "en": ("Replace the answer", "Add to it", "it replaces the answer above", "Write what you"),
}


def answered_a_theme(c: Consultation, lang: str = "nb") -> Talk:
    """The guided path to the theme Tjenester, answered: the first question is shown."""
    t = Talk(c, lang)
    t.command("start")
    t.press(flow.START, Pick.GUIDED)
    t.press(flow.TYPE, "privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.press(flow.EMAIL, Pick.SKIP)
    t.press(flow.THEMES, "tjenester")
    t.press(flow.THEMES, Pick.DONE)
    t.send("Bussen går for sjelden.", ref="1")
    assert t.session.step == Q1
    return t


def labels(t: Talk) -> list[str]:
    return [choice.label for choice in t.buttons().choices]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_back_at_an_answer_typing_replaces_it_and_the_screen_says_so(
    c: Consultation, lang: str
) -> None:
    replace, add, replaces, _adds = WORDS[lang]
    t = answered_a_theme(c, lang)
    t.command("back")
    assert t.session.step == THEME
    assert replaces in t.text
    assert replace in labels(t)
    assert add in labels(t)
    t.send("Bussen går for sjelden, særlig om kvelden.")
    assert t.session.answers[THEME].text == "Bussen går for sjelden, særlig om kvelden."
    assert t.session.step == Q1, "on to the next question, as after any answer"


def test_the_receipt_says_the_answer_was_replaced(c: Consultation) -> None:
    t = answered_a_theme(c)
    t.command("back")
    t.send("Et helt nytt svar.")
    assert t.text.startswith("Nytt svar lagret ✅")
    t.command("summary")
    assert "Et helt nytt svar." in t.text
    assert "Bussen går for sjelden." not in t.text, "one version, not both"


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_legg_til_makes_typing_add_and_the_screen_says_so(c: Consultation, lang: str) -> None:
    _replace, add, replaces, adds = WORDS[lang]
    t = answered_a_theme(c, lang)
    t.command("back")
    t.click(add)
    assert adds in t.text
    assert replaces not in t.text
    t.send("Og den er ofte full.")
    assert t.session.answers[THEME].text == "Bussen går for sjelden.\n\nOg den er ofte full."


def test_adding_holds_only_until_the_person_leaves_the_answer(c: Consultation) -> None:
    t = answered_a_theme(c)
    t.command("back")
    t.click("Legg til")
    t.click("Neste")
    t.command("back")
    assert "erstatter det svaret over" in t.text, "back again: typing replaces again"
    t.send("Nytt svar.")
    assert t.session.answers[THEME].text == "Nytt svar."


def test_erstatt_svaret_removes_the_answer_and_asks_again(c: Consultation) -> None:
    t = answered_a_theme(c)
    t.command("back")
    t.click("Erstatt svaret")
    assert THEME not in t.session.answers
    assert "Svaret er fjernet. Skriv det nye svaret." in t.text
    assert "Hopp over" in labels(t), "asked again, with the ways to go on without"
    t.send("Nytt svar.")
    assert t.session.answers[THEME].text == "Nytt svar."


def test_more_on_the_previous_answer_still_adds(c: Consultation) -> None:
    t = answered_a_theme(c)
    t.click("Legg til mer på forrige svar")
    assert t.session.step == THEME
    assert "Skriv det du vil legge til" in t.text
    t.send("Og den er ofte full.")
    assert t.session.answers[THEME].text == "Bussen går for sjelden.\n\nOg den er ofte full."
    assert t.text.startswith("Lagt til ✅ Svaret har nå 2 deler.")


def test_a_replacement_split_by_the_app_joins_as_one_answer(c: Consultation) -> None:
    t = answered_a_theme(c)
    t.command("back")
    t.send("Første del av det nye svaret.", ref="10")
    t.send("Andre del, sendt før neste spørsmål kom.", ref="11", follows="10")
    assert t.session.answers[THEME].text == (
        "Første del av det nye svaret.\n\nAndre del, sendt før neste spørsmål kom."
    )
    assert Q1 not in t.session.answers


def test_changed_from_the_summary_typing_replaces_and_returns_to_the_summary(
    c: Consultation,
) -> None:
    t = answered_a_theme(c)
    t.command("summary")
    t.click("Endre noe")
    t.press(flow.EDIT, THEME)
    assert "erstatter det svaret over" in t.text
    t.send("Rettet svar.")
    assert t.session.answers[THEME].text == "Rettet svar."
    assert t.session.step == flow.SUMMARY


# --- the quick path ----------------------------------------------------------------------


def quick_with_text(c: Consultation) -> Talk:
    t = Talk(c)
    t.command("start", "rask")
    t.press(flow.TYPE, "privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.send("Vi vil ha flere tog mellom byene.")
    assert t.session.step == flow.SUMMARY
    return t


def test_the_quick_paths_text_opened_again_is_replaced_by_typing_and_says_so(
    c: Consultation,
) -> None:
    t = quick_with_text(c)
    t.click("Endre noe")
    t.press(flow.EDIT, flow.QUICK)
    assert "erstatter det teksten over" in t.text
    assert "velg «Legg til mer tekst»" in t.text
    t.send("Vi vil ha tog hver time.")
    assert t.session.answers[flow.QUICK].text == "Vi vil ha tog hver time."


def test_more_text_from_the_quick_summary_still_adds(c: Consultation) -> None:
    t = quick_with_text(c)
    t.send("Og bussene må gå til toget.")  # five words or more, typed at the summary
    assert t.session.answers[flow.QUICK].text.endswith("byene.\n\nOg bussene må gå til toget.")
    t.click("Legg til mer tekst")
    t.send("Og om kvelden.")
    assert t.session.answers[flow.QUICK].text.endswith("toget.\n\nOg om kvelden.")
