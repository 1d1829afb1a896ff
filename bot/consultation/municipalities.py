"""Turn what a person types ("harstad kommune", "Aarborte", "Tromso") into an official municipality.

People name their municipality in many ways: with or without "kommune", in a Sami or Kven form,
without the letters æ, ø and å or Sami diacritics, with the county to tell two Herøys apart, or
misspelt. The lookup tries, in order: the 4-digit municipality number, the name as typed
(case and punctuation ignored), the same with all letters folded to plain ASCII, the name with a
county ("Herøy i Nordland"), and finally offers close spellings as suggestions.

The list is read once from ``bot/consultation/data/kommuner.csv`` (see
``bot/consultation/data/README.md``) and indexed in memory, so a lookup costs microseconds
apart from the fuzzy step.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from bot.consultation.place_names import (
    ascii_key,
    exact_key,
    keys_of_name,
    strip_filler,
    words_of,
)
from bot.ops.resources import data_dir

_CSV_NAME = "kommuner.csv"
_MAX_SUGGESTIONS = 5
_FUZZY_CUTOFF = 0.72
_MAX_FUZZY_KEY = 60
"""Longer input is prose, not a place name; comparing it with every name only costs time."""

_COUNTY_LINK_WORDS = frozenset({"i", "pa", "paa", "in"})

# Names for counties and regions a person may add after a shared name ("Herøy i Nordland",
# "Våler i Solør"), mapped to the current county numbers they cover. The current 15 county
# names are added from the data; these are the older counties (before 2020 and 2020–2023),
# Sami and Kven forms, and the regions that tell the two Herøys and two Vålers apart.
_EXTRA_COUNTY_NAMES: Mapping[str, frozenset[str]] = {
    "Viken": frozenset({"31", "32", "33"}),
    "Vestfold og Telemark": frozenset({"39", "40"}),
    "Troms og Finnmark": frozenset({"55", "56"}),
    "Romsa ja Finnmárku": frozenset({"55", "56"}),
    "Romsa": frozenset({"55"}),
    "Tromssa": frozenset({"55"}),
    "Finnmárku": frozenset({"56"}),
    "Finmarkku": frozenset({"56"}),
    "Nordlánnda": frozenset({"18"}),
    "Trööndelage": frozenset({"50"}),
    "Hordaland": frozenset({"46"}),
    "Sogn og Fjordane": frozenset({"46"}),
    "Sør-Trøndelag": frozenset({"50"}),
    "Nord-Trøndelag": frozenset({"50"}),
    "Hedmark": frozenset({"34"}),
    "Oppland": frozenset({"34"}),
    "Aust-Agder": frozenset({"42"}),
    "Vest-Agder": frozenset({"42"}),
    "Møre": frozenset({"15"}),
    "Sunnmøre": frozenset({"15"}),
    "Nordmøre": frozenset({"15"}),
    "Romsdal": frozenset({"15"}),
    "Helgeland": frozenset({"18"}),
    "Solør": frozenset({"34"}),
}

_NAME_SEPARATORS = re.compile(r"\s+[-–—]\s+|[/|;,()]")

_Fold = Callable[[Sequence[str]], str]
"""Turns a name's words into an index key."""


@dataclass(frozen=True)
class Municipality:
    """One municipality as in the register (current structure, from 1 January 2024)."""

    number: str
    """Four digits, e.g. ``"5503"``."""
    name: str
    """The Norwegian name as the register writes it, e.g. ``"Herøy (Nordland)"``."""
    other_names: tuple[str, ...]
    """Official Sami and Kven names, and ``"Våler (Viken)"`` for 3114."""
    county_number: str
    county: str

    @property
    def display_name(self) -> str:
        """The name to show people; shared names keep their county, e.g. "Herøy (Nordland)"."""
        return self.name


@dataclass(frozen=True)
class Lookup:
    """What a lookup found: at most one of the two fields is non-empty."""

    matches: tuple[Municipality, ...]
    """Exact matches: one means found, two or more mean the caller must ask which."""
    suggestions: tuple[Municipality, ...]
    """Up to five close spellings, best first, given only when nothing matched exactly."""


@dataclass(frozen=True)
class _Index:
    municipalities: tuple[Municipality, ...]
    by_number: Mapping[str, Municipality]
    exact: Mapping[str, tuple[Municipality, ...]]
    ascii: Mapping[str, tuple[Municipality, ...]]
    counties_exact: Mapping[str, frozenset[str]]
    counties_ascii: Mapping[str, frozenset[str]]
    longest_county: int
    """The most words any county name has, to bound the search for one."""


def load_municipalities() -> None:
    """Read and index the register now (at start-up), so no conversation step reads a file."""
    _index()


def all_municipalities() -> tuple[Municipality, ...]:
    """All 357 municipalities in register order (by number)."""
    return _index().municipalities


def by_number(number: str) -> Municipality | None:
    """The municipality with this 4-digit number, or None (numbers from before 2024 are unknown)."""
    return _index().by_number.get(number.strip())


def lookup(text: str) -> Lookup:
    """Find the municipality a person means by what they typed.

    Args:
        text: Free text such as "Harstad kommune", "herøy nordland", "Porsangu" or "5503".

    Returns:
        The exact matches (one, or several for a shared name such as "Herøy"), or when there are
        none, up to five suggestions for a misspelt name.
    """
    index = _index()
    tokens = strip_filler(words_of(text))
    if not tokens:
        return Lookup((), ())

    numbers = [token for token in tokens if token.isdigit()]
    words = [token for token in tokens if not token.isdigit()]
    numbered = [m for m in (_from_number(index, n) for n in numbers) if m is not None]
    if not words:
        return Lookup(tuple(dict.fromkeys(numbered)), ())

    matches = _match(index, words)
    named_parts = () if matches else _match_parts(index, text)
    if len(set(named_parts)) == 1 and len(named_parts[0]) == 1:
        matches = named_parts[0]
    if matches:
        # "9405 Harstad" (postcode) or "5503 Harstad": a number only narrows, never overrides.
        narrowed = tuple(m for m in matches if m in numbered)
        return Lookup(narrowed or matches, ())
    # A number next to words that match nothing may be a postcode that happens to equal some
    # municipality's number ("1103 Hrastad"), so it is only offered as a suggestion. Names of
    # different municipalities ("Ørsta/Volda") are offered too, for the person to pick one.
    mentioned = [m for part in named_parts for m in part]
    suggestions = dict.fromkeys([*numbered, *mentioned, *_suggest(index, words)])
    return Lookup((), tuple(suggestions)[:_MAX_SUGGESTIONS])


def _from_number(index: _Index, digits: str) -> Municipality | None:
    # "301" for Oslo: people and spreadsheets drop the leading zero.
    if len(digits) in (3, 4):
        return index.by_number.get(digits.zfill(4))
    return None


def _match(index: _Index, words: Sequence[str]) -> tuple[Municipality, ...]:
    for names, counties, fold in (
        (index.exact, index.counties_exact, exact_key),
        (index.ascii, index.counties_ascii, ascii_key),
    ):
        found = names.get(fold(words))
        if found:
            return found
        for name_words, county_numbers in _county_splits(index, words, counties, fold):
            in_county = tuple(
                m for m in names.get(fold(name_words), ()) if m.county_number in county_numbers
            )
            if in_county:
                return in_county
    return ()


def _match_parts(index: _Index, text: str) -> tuple[tuple[Municipality, ...], ...]:
    """Matches for each name in a list such as "Porsanger - Porsáŋgu - Porsanki".

    The register's multilingual form lists one municipality's names; "Ørsta/Volda" names two.
    Text that is not such a list (one part only) gives nothing.
    """
    parts = [strip_filler(words_of(part)) for part in _NAME_SEPARATORS.split(text)]
    words = [[token for token in part if not token.isdigit()] for part in parts]
    words = [part for part in words if part]
    if len(words) < 2:
        return ()
    return tuple(_match(index, part) for part in words)


def _county_splits(
    index: _Index,
    words: Sequence[str],
    counties: Mapping[str, frozenset[str]],
    fold: _Fold,
) -> Iterable[tuple[Sequence[str], frozenset[str]]]:
    """Ways to read the words as a name plus a county: "herøy i nordland", "nordland, herøy"."""
    for size in range(1, min(index.longest_county, len(words) - 1) + 1):
        tail = counties.get(fold(words[-size:]))
        if tail is not None:
            name = list(words[:-size])
            while len(name) > 1 and ascii_key([name[-1]]) in _COUNTY_LINK_WORDS:
                name.pop()
            yield name, tail
        head = counties.get(fold(words[:size]))
        if head is not None:
            yield words[size:], head


def _suggest(index: _Index, words: Sequence[str]) -> tuple[Municipality, ...]:
    """Close spellings, best first; a right name in the wrong county comes before those."""
    found: dict[Municipality, None] = {}
    if ascii_key(words) in index.counties_ascii:
        # A county alone ("Nordland") names no municipality, and guesses would only mislead.
        return ()
    name_parts = [name for name, _ in _county_splits(index, words, index.counties_ascii, ascii_key)]
    # "Os i Østerdalen": a place we have no county name for; the part before "i" may be right.
    links = [i for i, word in enumerate(words) if i > 0 and ascii_key([word]) in _COUNTY_LINK_WORDS]
    if links:
        name_parts.append(words[: links[-1]])
    # "Bø i Telemark": Bø exists, only not in Telemark (Bø i Telemark is now Midt-Telemark).
    for name_words in name_parts:
        for municipality in index.ascii.get(ascii_key(name_words), ()):
            found.setdefault(municipality)
    scored: list[tuple[float, int, Municipality]] = []
    for candidate in [words, *name_parts]:
        key = ascii_key(candidate)
        if not key or len(key) > _MAX_FUZZY_KEY:
            continue
        matcher = difflib.SequenceMatcher(b=key, autojunk=False)
        for name_key, municipalities in index.ascii.items():
            matcher.set_seq1(name_key)
            if matcher.real_quick_ratio() < _FUZZY_CUTOFF or matcher.quick_ratio() < _FUZZY_CUTOFF:
                continue
            score = matcher.ratio()
            if score >= _FUZZY_CUTOFF:
                scored.extend((score, len(scored), m) for m in municipalities)
    for _, _, municipality in sorted(scored, key=lambda item: (-item[0], item[1])):
        found.setdefault(municipality)
    return tuple(found)[:_MAX_SUGGESTIONS]


def _group(pairs: Iterable[tuple[str, Municipality]]) -> dict[str, tuple[Municipality, ...]]:
    grouped: dict[str, dict[Municipality, None]] = {}
    for key, municipality in pairs:
        grouped.setdefault(key, {}).setdefault(municipality)
    return {key: tuple(found) for key, found in grouped.items()}


@cache
def _index() -> _Index:
    municipalities = _read_csv()
    names = [
        (words, m)
        for m in municipalities
        for name in (m.name, *m.other_names)
        for words in keys_of_name(name)
    ]
    county_names: dict[str, frozenset[str]] = {
        m.county: frozenset({m.county_number}) for m in municipalities
    }
    county_names.update(_EXTRA_COUNTY_NAMES)
    county_words = [(words_of(name), numbers) for name, numbers in county_names.items()]
    return _Index(
        municipalities=municipalities,
        by_number={m.number: m for m in municipalities},
        exact=_group((exact_key(words), m) for words, m in names),
        ascii=_group((ascii_key(words), m) for words, m in names),
        counties_exact={exact_key(words): numbers for words, numbers in county_words},
        counties_ascii={ascii_key(words): numbers for words, numbers in county_words},
        longest_county=max(len(words) for words, _ in county_words),
    )


def _read_csv() -> tuple[Municipality, ...]:
    path = data_dir() / _CSV_NAME
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Municipality(
            number=row["kommunenummer"],
            name=row["navn"],
            other_names=tuple(name for name in row["andre_navn"].split("|") if name),
            county_number=row["fylkesnummer"],
            county=row["fylke"],
        )
        for row in rows
    )
