"""What each sender of a template letter changed, in words a clerk can scan."""

from __future__ import annotations

from bot.staff.likeness import describe_changes

TEMPLATE = "Toget er livsnerven for Harstad. Vi ber om flere avganger om kvelden."


def test_a_changed_town_an_own_sentence_and_a_typo_are_named() -> None:
    text = "Toget er livsnerven for Narvik. Vi ber om flere avgnager om kvelden. Jeg pendler."
    assert describe_changes(TEMPLATE, text) == (
        "Byttet «Harstad.» med «Narvik.»; byttet «avganger» med «avgnager»;"
        " la til «Jeg pendler.»."
    )


def test_the_same_text_has_no_changes() -> None:
    assert describe_changes(TEMPLATE, TEMPLATE) == "Ingen endringer."


def test_a_dropped_sentence_and_long_changes_are_cut() -> None:
    text = "Toget er livsnerven for Harstad."
    assert describe_changes(TEMPLATE, text) == "Tok bort «Vi ber om flere avganger om kvelden.»."
    long = TEMPLATE + " " + "ord " * 100
    change = describe_changes(TEMPLATE, long)
    assert change.startswith("La til «ord ord")
    assert "…»" in change
