"""The callback data on inline buttons: short, versioned, and carrying the step it belongs to.

A button stays pressable long after its question was answered. Putting the step in the data
lets the engine tell an old button from a current one, so a late press is answered politely
instead of changing an answer the person has moved past.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "a"
"""Version of the format; a future format gets a new prefix and old buttons stay readable."""
MAX_BYTES = 64
"""Telegram refuses callback data longer than this (in UTF-8 bytes)."""


@dataclass(frozen=True)
class ButtonPress:
    """What a button says: the step it was offered at and the choice it stands for."""

    step: str
    choice: str


def encode(step: str, choice: str) -> str:
    """``a:<step>:<choice>``; raises ``ValueError`` if it would not fit Telegram's 64 bytes."""
    if ":" in step:
        raise ValueError(f"a step id must not contain ':' ({step!r})")
    data = f"{PREFIX}:{step}:{choice}"
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> ButtonPress | None:
    """The press a button stands for, or ``None`` for data this version does not know."""
    if not data:
        return None
    prefix, sep, rest = data.partition(":")
    if prefix != PREFIX or not sep:
        return None
    step, sep, choice = rest.partition(":")
    if not sep or not step or not choice:
        return None
    return ButtonPress(step, choice)
