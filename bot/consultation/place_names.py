"""How place names are compared: split into words, filler words dropped, letters folded.

"Nord-Fron", "Nord Fron" and "nordfron" meet under one exact key; "Tromso", "Tromsoe" and
"Tromsø" meet under one ASCII key. Pure string work, used to build and search the index in
:mod:`bot.consultation.municipalities`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Words that say "municipality" (bokmål, nynorsk, English, Northern/Lule/Southern Sami, Kven) and
# small words around a name. They are compared after folding, so "tjïelte" and "tjielte" both go.
MUNICIPALITY_WORDS = frozenset(
    {
        "kommune",
        "kommunen",
        "kommunes",
        "kommuna",
        "kommun",
        "municipality",
        "suohkan",
        "suohkana",
        "suohkanat",
        "gielda",
        "gieldda",
        "tjielte",
        "kommuuni",
        "kommunenummer",
        "kommunenr",
        "knr",
        "nr",
        "nummer",
    }
)
LEADING_WORDS = frozenset({"i", "fra", "pa", "paa", "in", "from", "of", "the"})
# Letters that Unicode does not decompose into a base letter plus a mark.
ASCII_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss"})
ASCII_DIGRAPHS = (("aa", "a"), ("oe", "o"))
PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def words_of(text: str) -> list[str]:
    """Lower-case words: punctuation, symbols and spacing all separate words."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    cleaned = "".join(char if unicodedata.category(char)[0] in "LMN" else " " for char in folded)
    return cleaned.split()


def strip_filler(tokens: Sequence[str]) -> list[str]:
    """Drop "kommune" and its kin anywhere, "i"/"fra"/"of" before the name, a lone letter after."""
    words = [token for token in tokens if ascii_key([token]) not in MUNICIPALITY_WORDS]
    while len(words) > 1 and ascii_key([words[0]]) in LEADING_WORDS:
        words.pop(0)
    # "Kristiansund N", "Kristiansand S": postal places end in a letter no municipality has.
    while len(words) > 1 and len(words[-1]) == 1 and not words[-1].isdigit():
        words.pop()
    return words


def exact_key(words: Sequence[str]) -> str:
    """Words joined without spaces, so "Nord-Fron", "Nord Fron" and "Nordfron" meet."""
    return unicodedata.normalize("NFC", "".join(words))


def ascii_key(words: Sequence[str]) -> str:
    """Like the exact key, with æ/ø/å and Sami letters folded so "Tromso" meets "Tromsø".

    "Aalesund" and "Ålesund" both become "alesund", "Tromsoe" and "Tromsø" both "tromso",
    "Porsáŋgu" becomes "porsangu".
    """
    decomposed = unicodedata.normalize("NFKD", "".join(words).translate(ASCII_LETTERS))
    key = "".join(char for char in decomposed if not unicodedata.combining(char))
    for digraph, single in ASCII_DIGRAPHS:
        key = key.replace(digraph, single)
    return key


def keys_of_name(name: str) -> list[list[str]]:
    """The words of a register name, and of its short form without "(county)"."""
    full = words_of(name)
    short = words_of(PARENTHESIS.sub("", name))
    return [full] if short == full else [full, short]
