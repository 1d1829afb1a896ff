"""The overview's words: what stands out in one section's answers against the others."""

from __future__ import annotations

from collections import Counter

from bot.staff.overview import distinctive, term_counts, terms

FERRY = [
    "Fergen går for sjelden, og fergekaia trenger nytt venterom.",
    "Vi trenger flere fergeavganger om kvelden; fergen er ofte innstilt.",
    "Fergen er livsnerven, men fergekaia er forfallen.",
    "Fergen bør gå hver halvtime, også i helgene.",
]
SCHOOL = [
    "Videregående skole i byen er viktig for ungdommen.",
    "Ungdommen må kunne gå på videregående skole hjemme.",
    "Høgskolen og videregående skole bør samarbeide mer.",
    "Skolen og høgskolen gir byen fagfolk.",
]


def test_the_words_of_one_section_stand_out_against_the_others() -> None:
    ferry, school = term_counts(FERRY), term_counts(SCHOOL)
    everywhere = ferry + school
    found = distinctive(ferry, everywhere)
    assert found.compared
    assert found.words[0] == "fergen"
    assert not {"skole", "ungdommen"} & set(found.words)
    other = distinctive(school, everywhere)
    assert "videregående skole" in other.phrases
    assert "fergen" not in other.words


def test_a_term_from_one_answer_alone_is_not_a_topic() -> None:
    ferry = term_counts([*FERRY, "Brobygging over Langsundet er det eneste som hjelper."])
    found = distinctive(ferry, ferry + term_counts(SCHOOL))
    assert "langsundet" not in found.words, "one person's word (or name) is not shown"


def test_stop_words_greetings_and_names_are_left_out() -> None:
    found = terms("Hei! Vi trenger ferge. Hilsen Kari Nordmann, Harstad")
    assert "ferge" in found
    assert not {"hei", "vi", "hilsen", "kari nordmann"} & found
    assert "kari" in found, "single words stay: a town's name is a topic"


def test_with_nothing_to_compare_with_the_recurring_words_are_shown() -> None:
    ferry = term_counts(FERRY)
    found = distinctive(ferry, Counter(ferry))
    assert not found.compared
    assert found.words[0] == "fergen"
