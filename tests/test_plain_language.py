"""Residents are not civil servants: the conversation as a whole reads at LIX 35 or lower."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÁáŊŋŠšŽžČčĐđŦŧ]+")


def lix(texts: list[str]) -> float:
    """LIX: words per sentence plus the percentage of words longer than six letters."""
    words: list[str] = []
    sentences = 0
    for text in texts:
        text = re.sub(r"\{[a-z_]+\}", "X", text)
        words += WORD.findall(text)
        sentences += max(1, len(re.findall(r"[.!?:]+(?:\s|$)", text)))
    long_words = sum(len(w) > 6 for w in words)
    return len(words) / sentences + 100 * long_words / len(words)


def bokmal_texts(data: Any, skip: frozenset[str] = frozenset({"original"})) -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        if isinstance(data.get("nb"), str):
            return [data["nb"]]
        for key, value in data.items():
            if key not in skip:
                found += bokmal_texts(value, skip)
    elif isinstance(data, list):
        for value in data:
            found += bokmal_texts(value, skip)
    return found


def test_lix_of_the_whole_conversation_is_at_most_35() -> None:
    with (ROOT / "locales" / "messages.pot").open("rb") as fp:
        ui = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fp) if m.id]
    with (ROOT / "conversations" / "strategi-for-smabyer.toml").open("rb") as fp:
        consultation = bokmal_texts(tomllib.load(fp))
    assert len(ui) > 100
    assert len(consultation) > 30
    score = lix(ui + consultation)
    assert score <= 35, f"LIX {score:.1f}"


def test_the_lix_measure_tells_hard_text_from_easy() -> None:
    easy = ["Hva heter du? Skriv navnet ditt."]
    hard = [
        "Regjeringen ønsker innspill vedrørende samordningsutfordringer mellom "
        "fylkeskommunale myndigheter, statlige etater og distriktskommunene."
    ]
    assert lix(easy) < 30 < 60 < lix(hard)
