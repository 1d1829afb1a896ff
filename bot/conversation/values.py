"""Checks and normalisation for the short values a person types: names, e-mail, dates, numbers.

Each function returns the clean value or ``None``; the engine turns ``None`` into a friendly
"try again" in the person's language, keeping everything already given.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from email_validator import EmailNotValidError, validate_email
from stdnum.no import orgnr

from bot.conversation.characters import remove_invisible

MAX_SHORT_VALUE = 200
"""Names and organisations longer than this are surely a pasted answer, not a name."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters and line breaks: a space in a one-line value."""
_ANSWER_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters an answer drops (tabs and line breaks stay)."""
_MONTHS = {
    "januar": 1,
    "jan": 1,
    "january": 1,
    "februar": 2,
    "feb": 2,
    "february": 2,
    "mars": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "desember": 12,
    "des": 12,
    "december": 12,
    "dec": 12,
}


def clean_line(text: str) -> str:
    """One line of text: invisible characters removed, line breaks folded into single spaces."""
    text = remove_invisible(unicodedata.normalize("NFC", text))
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_answer(text: str) -> str:
    """A free-text answer: keep line breaks, drop other control characters, trim."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSWER_CONTROL.sub("", remove_invisible(text))
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def person_or_org_name(text: str) -> str | None:
    """A name: at least two letters, at most :data:`MAX_SHORT_VALUE` characters."""
    value = clean_line(text)
    letters = sum(ch.isalpha() for ch in value)
    if letters < 2 or len(value) > MAX_SHORT_VALUE:
        return None
    return value


def email_address(text: str) -> str | None:
    """A syntactically valid e-mail address, normalised; ``None`` if it is not one."""
    value = clean_line(text).strip("<>").strip()
    try:
        # ASCII local parts only: the mailer must be able to send the receipt over plain SMTP.
        result = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None
    return result.normalized


def organisation_number(text: str) -> str | None:
    """A Norwegian organisation number with a valid check digit, as nine digits."""
    digits = re.sub(r"[\s.\-]", "", clean_line(text)).removeprefix("NO").removesuffix("MVA")
    if not orgnr.is_valid(digits):
        return None
    return str(orgnr.compact(digits))


def board_date(text: str, *, today: date) -> date | None:
    """A date like "12.2.2021", "2021-02-12" or "12. februar 2021", not in the future."""
    value = clean_line(text).lower().rstrip(".")
    parsed: date | None = None
    if m := re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})", value):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        parsed = _safe_date(_full_year(year, today), month, day)
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        parsed = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})", value):
        month_number = _MONTHS.get(m[2])
        if month_number:
            parsed = _safe_date(int(m[3]), month_number, int(m[1]))
    if parsed is None or parsed > today or parsed.year < 1900:
        return None
    return parsed


def _full_year(year: int, today: date) -> int:
    if year >= 100:
        return year
    century = today.year // 100 * 100
    return century + year if century + year <= today.year else century - 100 + year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
