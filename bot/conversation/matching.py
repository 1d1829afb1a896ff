"""Matching what a person typed ("2", "privatperson", "Ferdig ➡️") to one of the choices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.conversation.events import Choice


def fold(text: str) -> str:
    """Lower case without emoji and punctuation, spaces collapsed: how labels are compared."""
    kept = "".join(
        ch for ch in unicodedata.normalize("NFC", text.lower()) if ch.isalnum() or ch.isspace()
    )
    return " ".join(kept.split())


_NUMBER = re.compile(r"\d+")
_NUMBER_LIKE = re.compile(r"[+\-\u2212\u2013]?\s*\d+(?:[.,/]\d*)*[.)]?")
"""A sign, a fraction or a decimal: looks like a number, but is not one of the choices."""


def match_choice(typed: str, choices: Sequence[Choice]) -> Choice | None:
    """The choice a typed number (1-based), label or id stands for, if any.

    Only a plain number in range picks by number (``2``, ``02``); ``-1``, ``1.5`` or ``0,1``
    pick nothing, so the person is asked again instead of getting a choice they did not mean.
    """
    plain = typed.strip()
    if _NUMBER.fullmatch(plain):
        number = int(plain)
        return choices[number - 1] if 1 <= number <= len(choices) else None
    if _NUMBER_LIKE.fullmatch(plain):
        return None
    folded = fold(typed)
    if not folded:
        return None
    return next((c for c in choices if folded in {fold(c.label), c.id.lower()}), None)
