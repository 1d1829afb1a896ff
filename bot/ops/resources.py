"""Where the files that ship with the package live, in a checkout and when installed."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
"""The ``bot`` package folder."""


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def conversations_dir() -> Path:
    """The folder with the consultation files (``conversations/`` in a checkout)."""
    return _first_existing(_PACKAGE.parent / "conversations", _PACKAGE / "_conversations")


def locales_dir() -> Path:
    """The folder with the gettext catalogs (``locales/`` in a checkout)."""
    return _first_existing(_PACKAGE.parent / "locales", _PACKAGE / "_locales")


def data_dir() -> Path:
    """Reference data shipped inside the package (the list of municipalities)."""
    return _PACKAGE / "consultation" / "data"
