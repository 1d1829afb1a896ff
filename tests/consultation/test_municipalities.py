"""A person names their municipality however they like and the bot still knows which one."""

from __future__ import annotations

import time
import unicodedata

import pytest

from bot.consultation.municipalities import (
    Lookup,
    Municipality,
    all_municipalities,
    by_number,
    lookup,
)

EVERY = all_municipalities()


def one(number: str) -> Municipality:
    found = by_number(number)
    assert found is not None, number
    return found


def numbers(found: tuple[Municipality, ...]) -> list[str]:
    return [m.number for m in found]


def plain(text: str) -> str:
    """How someone without a Norwegian or Sami keyboard types a name."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    text = text.replace("ŋ", "n").replace("Ŋ", "N").replace("đ", "d").replace("ŧ", "t")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- The register itself ---------------------------------------------------------------------


def test_the_register_has_every_municipality_once() -> None:
    assert len(EVERY) == 357
    assert len({m.number for m in EVERY}) == 357
    assert len({m.county_number for m in EVERY}) == 15
    assert all(m.number[:2] == m.county_number for m in EVERY)
    assert one("5503") == next(m for m in EVERY if m.name == "Harstad")


def test_shared_names_are_shown_with_their_county() -> None:
    assert {m.display_name for m in EVERY if m.name.startswith("Herøy")} == {
        "Herøy (Møre og Romsdal)",
        "Herøy (Nordland)",
    }
    assert one("5503").display_name == "Harstad – Hárstták"


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("5612", "Guovdageaidnu – Kautokeino"),  # the Sami name first, as in the official name
        ("5622", "Porsanger – Porsáŋgu – Porsanki"),  # Norwegian, Northern Sami and Kven
        ("5041", "Snåase – Snåsa"),  # Southern Sami
        ("3114", "Våler (Østfold)"),  # a former name is not an official parallel name
        ("0301", "Oslo"),  # an unconfirmed 2026 form is accepted as input, not shown
        ("1101", "Eigersund"),
    ],
)
def test_municipalities_with_several_official_names_are_shown_with_all(
    number: str, shown: str
) -> None:
    assert one(number).display_name == shown


def test_every_part_of_an_official_name_is_a_name_of_that_municipality() -> None:
    for m in EVERY:
        if m.official_name:
            parts = set(m.official_name.split(" – "))
            assert parts <= {m.name, *m.other_names}, m.number
            assert m.name in parts


@pytest.mark.parametrize(
    ("number", "name"),
    [("0301", "Oslo"), ("5503", "Harstad"), ("1818", "Herøy (Nordland)"), (" 5612 ", "Kautokeino")],
)
def test_by_number_finds_current_numbers(number: str, name: str) -> None:
    found = by_number(number)
    assert found is not None
    assert found.name == name


@pytest.mark.parametrize("number", ["1903", "5402", "9999", "301", "", "Harstad"])
def test_by_number_knows_no_old_or_made_up_numbers(number: str) -> None:
    # 1903 and 5402 were Harstad's numbers before 2020 and in 2020-2023.
    assert by_number(number) is None


# --- One municipality found --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # Names as people type them.
        ("Harstad", "5503"),
        ("harstad", "5503"),
        ("  HARSTAD  ", "5503"),
        ("harstad kommune", "5503"),
        ("Harstad kommune.", "5503"),
        ("Kommune: Harstad", "5503"),
        ("kommune Harstad", "5503"),
        ("Harstad!", "5503"),
        ("Harstad 🙂", "5503"),
        ("Fra Harstad", "5503"),
        ("i Oslo", "0301"),
        ("Oslo kommune", "0301"),
        ("Kristiansand", "4204"),
        ("Kristiansand S", "4204"),
        ("Kristiansund N", "1505"),
        ("Municipality of Bergen", "4601"),
        ("Nord-Fron", "3436"),
        ("Nord Fron", "3436"),
        ("nordfron", "3436"),
        ("Sør Varanger kommune", "5605"),
        ("Evje og Hornnes", "4219"),
        ("Nore og Uvdal kommune", "3338"),
        # Without æ, ø, å.
        ("Tromso", "5501"),
        ("Tromsoe", "5501"),
        ("Tromsö", "5501"),
        ("Bodo", "1804"),
        ("Alesund", "1508"),
        ("Aalesund", "1508"),
        ("Baerum", "3201"),
        ("BÆRUM", "3201"),
        ("Aurskog Holand", "3226"),
        ("Raade", "3112"),
        ("Aal", "3328"),
        ("Bo", "1867"),
        ("As", "3218"),
        ("Os", "3430"),
        # Sami and Kven names, and the words for "municipality" in those languages.
        ("Guovdageaidnu", "5612"),
        ("Aarborte", "1826"),
        ("Porsáŋgu", "5622"),
        ("Porsangu", "5622"),
        ("Porsanki", "5622"),
        ("Kárášjohka", "5610"),
        ("Karasjohka", "5610"),
        ("Hárstták suohkan", "5503"),
        ("Unjarga gielda", "5636"),
        ("Snåase tjïelte", "5041"),
        ("Snaase tjielte", "5041"),
        ("Raisi kommuuni", "5544"),
        ("Stientje", "5006"),
        ("Evenassi", "1853"),
        # The register's multilingual form and similar lists of one municipality's names.
        ("Porsanger - Porsáŋgu - Porsanki", "5622"),
        ("Lyngen - Ivgu - Yykeä", "5536"),
        ("Hammerfest (Hámmerfeasta)", "5603"),
        ("Hattfjelldal/Aarborte", "1826"),
        # Numbers, also next to a name.
        ("5503", "5503"),
        ("0301", "0301"),
        ("301", "0301"),
        ("kommunenummer 5503", "5503"),
        ("9405 Harstad", "5503"),
    ],
)
def test_what_a_person_types_finds_their_municipality(text: str, number: str) -> None:
    assert lookup(text) == Lookup((one(number),), ())


# --- Shared names and counties -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Herøy", ["1515", "1818"]),
        ("heroy kommune", ["1515", "1818"]),
        ("Våler", ["3114", "3419"]),
        ("Valer", ["3114", "3419"]),
    ],
)
def test_a_shared_name_gives_both_for_the_person_to_choose(text: str, expected: list[str]) -> None:
    result = lookup(text)
    assert numbers(result.matches) == expected
    assert result.suggestions == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Herøy (Nordland)", "1818"),
        ("Herøy i Nordland", "1818"),
        ("herøy nordland", "1818"),
        ("Heroy, Nordland", "1818"),
        ("Nordland, Herøy", "1818"),
        ("Herøy kommune i Nordland", "1818"),
        ("Herøy på Helgeland", "1818"),
        ("Herøy (Møre og Romsdal)", "1515"),
        ("Herøy Møre og Romsdal", "1515"),
        ("Herøy på Sunnmøre", "1515"),
        ("Våler (Østfold)", "3114"),
        ("Våler i Østfold", "3114"),
        ("Våler i Viken", "3114"),
        ("Våler (Viken)", "3114"),
        ("Våler (Innlandet)", "3419"),
        ("Våler i Hedmark", "3419"),
        ("Valer i Solor", "3419"),
        ("1818 Herøy", "1818"),
        ("Herøy 1515", "1515"),
        ("Trondheim i Sør-Trøndelag", "5001"),
        ("Moss kommune, Østfold", "3103"),
    ],
)
def test_a_county_picks_one_of_the_shared_names(text: str, number: str) -> None:
    assert numbers(lookup(text).matches) == [number]


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        # Bø i Telemark was merged into Midt-Telemark in 2020; Bø today is in Nordland.
        ("Bø i Telemark", "1867"),
        ("Harstad i Nordland", "5503"),
        ("Sande i Vestfold", "1514"),
        ("Os i Østerdalen", "3430"),
    ],
)
def test_a_name_in_the_wrong_county_is_only_suggested(text: str, suggested: str) -> None:
    result = lookup(text)
    assert result.matches == ()
    assert numbers(result.suggestions)[0] == suggested


# --- Misspellings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Harsatd", "5503"),
        ("Hrastad", "5503"),
        ("Trondhjem", "5001"),
        ("Lilehamer", "3405"),
        ("Fredriksta", "3107"),
        ("Hagebostad", "4226"),
        ("Stavangr kommune", "1103"),
        ("Guovdageainnu suohkan", "5612"),
        ("Kárášjoga gielda", "5610"),
        ("Heroy Nordlan", "1818"),
    ],
)
def test_a_misspelt_name_is_suggested(text: str, first: str) -> None:
    result = lookup(text)
    assert result.matches == ()
    assert numbers(result.suggestions)[0] == first
    assert len(result.suggestions) <= 5


def test_two_municipalities_named_together_are_both_suggested() -> None:
    assert lookup("Ørsta/Volda") == Lookup((), (one("1520"), one("1577")))


def test_a_postcode_that_equals_a_municipality_number_does_not_decide() -> None:
    # 1103 is a postcode in Oslo and Stavanger's municipality number; the name is misspelt.
    result = lookup("1103 Hrastad")
    assert result.matches == ()
    assert "5503" in numbers(result.suggestions)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "???",
        "🙂",
        "kommune",
        "asdfghjkl",
        "qwerty uiop",
        "Jeg vet ikke",
        "Nordland",
        "Møre og Romsdal",
        "1234",
        "x" * 4000,
    ],
)
def test_nonsense_finds_nothing(text: str) -> None:
    assert lookup(text) == Lookup((), ())


# --- Every name in the register ----------------------------------------------------------------


@pytest.mark.parametrize("municipality", EVERY, ids=lambda m: m.number)
def test_every_municipality_is_found_by_each_of_its_names(municipality: Municipality) -> None:
    for name in (municipality.name, *municipality.other_names):
        for typed in (name, name.upper(), plain(name), f"{plain(name).lower()} kommune"):
            assert lookup(typed) == Lookup((municipality,), ()), typed
    assert lookup(municipality.number) == Lookup((municipality,), ())


def test_lookups_are_fast() -> None:
    typed = [plain(m.name)[::-1] for m in EVERY]  # reversed: no exact match, full fuzzy search
    started = time.perf_counter()
    for text in typed:
        lookup(text)
    # About 1.5 ms each on a laptop; the bound leaves room for a busy CI machine.
    assert time.perf_counter() - started < 3.0
