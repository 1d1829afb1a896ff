"""The short overview at the top of each section of the compilation.

How many answered, by respondent type and county, and the words and two-word phrases that
stand out in this section's answers against all the others, so a reader sees what people
talk about before reading. Everything runs here, on this machine: no model, no download.

"Stand out" is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
Quinn, *Fightin' Words*, 2008), a z-score of how much more often a term is used here than in
the other sections, with the whole compilation as the prior. Unlike raw TF-IDF over a handful
of sections, it neither crowns rare one-off words nor words every section uses. A term counts
once per answer, must come from at least :data:`MIN_ANSWERS` answers, and a «Like innspill»
group counts as one answer, so a campaign does not fill every section's words.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.conversation.submission import Submission
from bot.staff.stopwords import STOP_WORDS

MIN_ANSWERS = 2
"""Answers a term must come from: one person's pet word is not a topic (nor their name)."""
Z_STANDS_OUT = 1.0
"""The z-score above which a term stands out: used here a standard error more often than
elsewhere. Not a significance test (a section has too few answers for that), a ranking cut."""
PRIOR = 0.5
"""Weight of the whole compilation as the prior, per use of a term (Monroe et al.'s alpha)."""
TOP_WORDS, TOP_PHRASES = 8, 5
MIN_LETTERS = 3
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?:;\n]+")


def terms(text: str) -> set[str]:
    """The text's content words and two-word phrases (``"statlige arbeidsplasser"``).

    Two capitalised words in a row inside a sentence are a name («Kari Nordmann»): not a
    phrase, so a signature never shows up as what people talk about.
    """
    found: list[str | None] = []
    names: list[bool] = []
    for sentence in _SENTENCE_END.split(unicodedata.normalize("NFKC", text)):
        tokens = _WORD.findall(sentence)
        for index, token in enumerate(tokens):
            word = token.casefold()
            found.append(word if _content(word) else None)
            names.append(index > 0 and token[:1].isupper())
        found.append(None)  # no phrase across sentences
        names.append(False)
    phrases = {
        f"{a} {b}"
        for (a, b), (name_a, name_b) in zip(pairwise(found), pairwise(names), strict=True)
        if a and b and not (name_a and name_b)
    }
    return {w for w in found if w} | phrases


def _content(word: str) -> bool:
    return len(word) >= MIN_LETTERS and word.isalpha() and word not in STOP_WORDS


def term_counts(texts: Iterable[str]) -> Counter[str]:
    """In how many of ``texts`` each term occurs."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms(text))
    return counts


@dataclass(frozen=True)
class Distinctive:
    """The words and phrases that stand out (or, with nothing to compare to, recur)."""

    words: list[str]
    phrases: list[str]
    compared: bool
    """``False`` when there were no other answers to compare with: the terms just recur."""


def distinctive(here: Counter[str], everywhere: Counter[str]) -> Distinctive:
    """Terms of this section ranked against the rest (``everywhere`` includes ``here``)."""
    rest = everywhere - here
    n_here, n_rest = sum(here.values()), sum(rest.values())
    candidates = [t for t, n in here.items() if n >= MIN_ANSWERS]
    if n_rest == 0:
        ranked = sorted(candidates, key=lambda t: (-here[t], t))
        return _split(ranked, compared=False)
    prior_total = PRIOR * (n_here + n_rest)
    scores: dict[str, float] = {}
    for term in candidates:
        alpha = PRIOR * everywhere[term]
        y_here, y_rest = here[term], rest[term]
        delta = math.log((y_here + alpha) / (n_here + prior_total - y_here - alpha)) - math.log(
            (y_rest + alpha) / (n_rest + prior_total - y_rest - alpha)
        )
        z = delta / math.sqrt(1 / (y_here + alpha) + 1 / (y_rest + alpha))
        if z > Z_STANDS_OUT:
            scores[term] = z
    if not scores:
        # Too few answers elsewhere to tell: say what recurs here instead of nothing.
        return _split(sorted(candidates, key=lambda t: (-here[t], t)), compared=False)
    return _split(sorted(scores, key=lambda t: (-scores[t], t)), compared=True)


def _split(ranked: list[str], *, compared: bool) -> Distinctive:
    singles = [t for t in ranked if " " not in t][:TOP_WORDS]
    pairs = [t for t in ranked if " " in t][:TOP_PHRASES]
    return Distinctive(singles, pairs, compared)


def counted(values: Iterable[str]) -> str:
    """``Troms 12, Nordland 8``: most first, then by name."""
    counts = Counter(values)
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])))


def overview_lines(
    answering: Sequence[Submission], total: int, found: Distinctive | None
) -> list[tuple[str, str]]:
    """The overview as (label, value) lines, in the order a reader wants them."""
    if not answering:
        return []
    lines = [
        ("Svar", f"{len(answering)} av {total} innspill"),
        ("Etter innsendertype", counted(s.respondent.type_label for s in answering)),
        ("Etter fylke", counted(s.respondent.county or "ikke oppgitt" for s in answering)),
    ]
    if found is not None and found.words:
        label = "Ord som skiller seg ut" if found.compared else "Ord som går igjen"
        lines.append((label, ", ".join(found.words)))
    if found is not None and found.phrases:
        label = "Uttrykk som skiller seg ut" if found.compared else "Uttrykk som går igjen"
        lines.append((label, ", ".join(f"«{p}»" for p in found.phrases)))
    return lines
