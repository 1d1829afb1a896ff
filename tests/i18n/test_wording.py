"""Wording reviewers stumbled on stays fixed, as patterns rather than single strings.

Nynorsk here uses e-infinitives («å sende», «kan du laste opp») and «gi», participle «gitt»;
English needs its articles («the Ministry», «the deadline») and British spelling; bokmål says
«tema» in the plural everywhere. Each rule reads what the bot says (the catalogs as the running
bot loads them, and the consultation file) and is first shown to catch the forms that were
once in the catalogs, so a rule that matches nothing cannot pass unnoticed.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot.i18n.catalogs import gettext_for
from tests.conftest import ROOT, SEED
from tests.i18n.test_catalogs import BOKMAAL_ONLY, words

TEMPLATE = ROOT / "locales" / "messages.pot"

# --- what the bot says ------------------------------------------------------------------------


def msgids() -> list[str | tuple[str, ...]]:
    """The bokmål source of every message (singular and plural of plural messages)."""
    with TEMPLATE.open("rb") as fp:
        return [m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fp) if m.id]


def catalog_texts(lang: str) -> list[str]:
    """Every message in ``lang`` as the bot says it (both plural forms of plural messages)."""
    translations = gettext_for(lang)
    said: list[str] = []
    for message_id in msgids():
        if isinstance(message_id, str):
            said.append(translations.gettext(message_id))
        else:
            singular, plural = message_id[0], message_id[1]
            said += [translations.ngettext(singular, plural, n) for n in (1, 3)]
    return said


def consultation_texts(lang: str, *, ours_only: bool = False) -> list[str]:
    """Every ``lang`` text of the shipped consultation.

    ``ours_only`` leaves out ``original`` (word for word the ministry's own wording in bokmål;
    in nynorsk and English it is our translation, so it is checked) and the ministry's name.
    """
    with SEED.open("rb") as fp:
        data = tomllib.load(fp)
    found: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if isinstance(node.get(lang), str):
                if not (ours_only and key in {"original", "ministry"}):
                    found.append(node[lang])
                return
            for child_key, value in node.items():
                walk(value, child_key)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)

    walk(data)
    return found


def everything(lang: str) -> list[str]:
    return catalog_texts(lang) + consultation_texts(lang)


# --- nynorsk ----------------------------------------------------------------------------------

MODAL = r"(?:kan|vil|skal|må|bør|treng)"
SUBJECT = r"(?:du|eg|vi|de|dei|han|ho|det|ein)"
ADVERB = r"(?:ikkje|framleis|likevel|berre|òg|også|gjerne|no|alltid|aldri|heller|snart)"
INFINITIVE = re.compile(
    rf"(?=\b(?P<marked>(?:å|{MODAL}(?:\s+{SUBJECT})?)(?:\s+{ADVERB})*\s+(?P<verb>[a-zæøå]+))\b)",
    re.IGNORECASE,
)
"""The word an infinitive marker governs: «å sende», «kan du laste», «vil du ikkje sende».
A lookahead, so «treng ikkje å senda» is read both from «treng» and from «å»."""

ENDS_IN_A = frozenset({"ha", "ta", "dra"})
"""Infinitives that really end in -a (one syllable). Anything else is an a-infinitive
(«senda», «lasta opp», «gjera»), which this catalog does not use."""

NYNORSK_SLIPS: dict[str, re.Pattern[str]] = {
    "«gje», «gjev», «gjeve»: the catalog says «gi», «gir», «gitt»": re.compile(
        r"\b(?:gje|gjev|gjeve|gjeven|gjevne)\b", re.IGNORECASE
    ),
    "«gi opp» reads as 'give up': say «oppgi» or «skrive»": re.compile(
        r"\b(?:gi|gir|gje|gjev)\s+opp\b", re.IGNORECASE
    ),
    "participle without -t: «er sendt», «blir sendt»": re.compile(
        r"\b(?:er|blir|vart|bli|har)(?:\s+(?:ikkje|allereie|no))?\s+send\b", re.IGNORECASE
    ),
}


def nynorsk_problems(texts: Iterable[str]) -> list[str]:
    problems = []
    for text in texts:
        for match in INFINITIVE.finditer(text):
            verb = match["verb"].lower()
            if verb.endswith("a") and verb not in ENDS_IN_A:
                problems.append(f"a-infinitive «{match['marked']}» (e-infinitives here): {text!r}")
        for why, pattern in NYNORSK_SLIPS.items():
            problems += [f"{why}: «{m[0]}» in {text!r}" for m in pattern.finditer(text)]
    return problems


# --- English ----------------------------------------------------------------------------------

NEEDS_AN_ARTICLE = re.compile(r"\{ministry\}|\b(?:ministry|deadline|bot|draft|summary)\b", re.I)
"""Count nouns people meet in every English message; bare, they read as telegram style."""

DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "your", "our", "their", "its", "no", "each", "every"}
)

ENGLISH_SLIPS: dict[str, re.Pattern[str]] = {
    "say what happens: «Input to the ministry is public»": re.compile(
        r"\b(?:is|are|gets?|will be) made public\b", re.IGNORECASE
    ),
    "«input» is uncountable: «Start a new submission»": re.compile(
        r"^\W*Send (?:a )?new input\b|\b(?:an|a new|another) input\b|\binputs\b", re.IGNORECASE
    ),
    "British spelling (en_GB): -ise, -our, -re, -ll-": re.compile(
        r"\b(?!(?:size|sized|sizes|seize|seized|prize|prizes)\b)[a-z]+iz(?:e|es|ed|ing|ation)\b"
        r"|\b(?:colors?|favorites?|behaviors?|honors?|neighbors?|centers?|theaters?|"
        r"canceled|canceling|traveled|traveling|enrollment)\b",
        re.IGNORECASE,
    ),
}


def english_problems(texts: Iterable[str]) -> list[str]:
    problems = []
    for text in texts:
        plain = re.sub(r"/\w+", " ", text)  # /summary is a command, not a noun
        plain = re.sub(r"\{(?!ministry\})\w+\}", " ", plain)  # nor is {deadline}
        for match in NEEDS_AN_ARTICLE.finditer(plain):
            before = re.findall(r"[\w']+", plain[: match.start()])
            if before and not DETERMINERS & {word.lower() for word in before[-2:]}:
                problems.append(f"«{match[0]}» needs an article: {text!r}")
        for why, pattern in ENGLISH_SLIPS.items():
            problems += [f"{why}: «{m[0]}» in {text!r}" for m in pattern.finditer(text)]
    return problems


# --- bokmål -----------------------------------------------------------------------------------

TEMA_PLURAL = re.compile(r"\btemaer(?:ne)?\b", re.IGNORECASE)
"""Bokmål allows «tema» and «temaer» in the plural; the bot says «tema» (as the ministry does),
so the ministry's e-mail and the receipt cannot disagree («VALGTE TEMA» / «VALGTE TEMAER»)."""


def bokmaal_problems(texts: Iterable[str]) -> list[str]:
    return [
        f"plural «tema», not «{m[0]}»: {text!r}"
        for text in texts
        for m in TEMA_PLURAL.finditer(text)
    ]


def source_strings() -> list[str]:
    """Every string literal under bot/: headings and labels not marked for translation too."""
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
    return found


# --- the rules catch the forms that were once in the catalogs -----------------------------------

Rule = Callable[[Iterable[str]], list[str]]

ONCE_IN_THE_CATALOGS: list[tuple[Rule, str]] = [
    (nynorsk_problems, "Denne e-posten er send automatisk fordi nokon oppgav denne adressa."),
    (nynorsk_problems, "Vent ein time, så kan du senda igjen."),
    (nynorsk_problems, "Vent ein time, så kan du lasta opp fleire."),
    (nynorsk_problems, "Vil du gi opp e-postadressa di?"),
    (nynorsk_problems, "Svara du har gjeve, blir borte."),
    (nynorsk_problems, "Om du gjev oss adressa, kan vi svare."),
    (nynorsk_problems, "Skriv /hjelp for å sjå kva du kan gjera."),
    (nynorsk_problems, "Vil du ikkje senda likevel?"),
    (english_problems, "When you press “Send”, your input goes to {ministry}."),
    (english_problems, "Your input goes to Ministry of Local Government and Modernisation."),
    (english_problems, "I will remind you before deadline."),
    (english_problems, "Your text seems to contain personal data. Input is made public."),
    (english_problems, "Send new input"),
    (english_problems, "Organize your thoughts, then press the center button."),
    (bokmaal_problems, "Valgte temaer"),
    (bokmaal_problems, "VALGTE TEMAER"),
]

RIGHT_AS_THEY_ARE: list[tuple[Rule, str]] = [
    (nynorsk_problems, "Du har lasta opp mange dokument. Så kan du laste opp fleire."),
    (nynorsk_problems, "Eg fekk ikkje henta fila. Prøv å sende fila igjen."),
    (nynorsk_problems, "Vil du ha ei kvittering? Vi kan ta imot det, og du kan sjå og gå vidare."),
    (nynorsk_problems, "Svara du har gitt, blir borte. Innspelet er sendt. Kva gjer du?"),
    (english_problems, "Deadline: 1 March 2021. Your input goes to the {ministry}."),
    (english_problems, "Type /summary to see your draft, or go back to the summary."),
    (english_problems, "The people who run the innspill bot. The file is too large in size."),
    (english_problems, "Start a new submission. Input to the ministry is public."),
    (bokmaal_problems, "Valgte tema. Hvilke tema vil du si noe om?"),
]


@pytest.mark.parametrize(("rule", "text"), ONCE_IN_THE_CATALOGS)
def test_each_rule_catches_the_old_wording(rule: Rule, text: str) -> None:
    assert rule([text]), f"{rule.__name__} let through {text!r}"


@pytest.mark.parametrize(("rule", "text"), RIGHT_AS_THEY_ARE)
def test_no_rule_flags_right_wording(rule: Rule, text: str) -> None:
    assert rule([text]) == []


# --- the catalogs and the consultation ---------------------------------------------------------


def test_nynorsk_uses_e_infinitives_and_gi() -> None:
    texts = everything("nn")
    assert len(texts) > 250
    problems = nynorsk_problems(texts)
    assert not problems, "\n".join(problems)


def test_the_consultations_nynorsk_has_no_bokmaal_words() -> None:
    """The catalog is checked in test_catalogs; the consultation's own nynorsk texts here."""
    problems = [
        f"bokmål {sorted(words(text) & BOKMAAL_ONLY)} in {text!r}"
        for text in consultation_texts("nn")
        if words(text) & BOKMAAL_ONLY
    ]
    assert not problems, "\n".join(problems)


def test_english_has_its_articles_and_british_spelling() -> None:
    texts = catalog_texts("en") + consultation_texts("en", ours_only=True)
    assert len(texts) > 250
    problems = english_problems(texts)
    assert not problems, "\n".join(problems)


def test_the_ministry_is_the_ministry_once_its_name_is_filled_in() -> None:
    """«goes to the Ministry of Local Government…», whichever message names it."""
    with SEED.open("rb") as fp:
        ministry = tomllib.load(fp)["ministry"]["en"]
    named = [t.format(ministry=ministry) for t in catalog_texts("en") if "{ministry}" in t]
    assert named
    for text in named:
        assert re.search(rf"\b[Tt]he {re.escape(ministry)}", text), text
        assert not re.search(rf"\bto {re.escape(ministry)}", text), text


def test_bokmaal_says_tema_in_the_plural_everywhere() -> None:
    texts = [form for m in msgids() for form in ([m] if isinstance(m, str) else m)]
    texts += consultation_texts("nb", ours_only=True) + source_strings()
    problems = bokmaal_problems(texts)
    assert not problems, "\n".join(problems)
