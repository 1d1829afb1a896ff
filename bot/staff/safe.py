"""Keeping text a person typed from running as a formula when staff open a spreadsheet."""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or DDE command)."""
    return text.startswith(_FORMULA_START)


def csv_cell(text: str) -> str:
    """``text`` for a CSV cell: a leading apostrophe makes Excel and Calc treat it as text."""
    return "'" + text if looks_like_formula(text) else text


def xml_text(text: str) -> str:
    """``text`` without control characters that XML (XLSX, DOCX) cannot hold."""
    return _XML_UNSAFE.sub("", text)
