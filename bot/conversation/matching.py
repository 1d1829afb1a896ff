"""Matching what a person typed ("2", "privatperson", "Ferdig ➡️") to one of the choices."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.conversation.events import Choice


def fold(text: str) -> str:
    """Lower case without emoji and punctuation, spaces collapsed: how labels are compared."""
    kept = "".join(
        ch for ch in unicodedata.normalize("NFC", text.lower()) if ch.isalnum() or ch.isspace()
    )
    return " ".join(kept.split())


def match_choice(typed: str, choices: Sequence[Choice]) -> Choice | None:
    """The choice a typed number (1-based), label or id stands for, if any."""
    folded = fold(typed)
    if not folded:
        return None
    if folded.isdigit() and 1 <= int(folded) <= len(choices):
        return choices[int(folded) - 1]
    return next((c for c in choices if folded in {fold(c.label), c.id.lower()}), None)
