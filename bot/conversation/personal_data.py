"""The check before sending: does a text seem to hold personal data about someone?

Submissions to a ministry are public. Nothing is blocked here; the engine shows the findings with
the summary so the person can confirm or go back and edit. The patterns are tuned so that
ordinary consultation text (years, amounts, dates, case and organisation numbers, postal codes,
population figures) gives no warning: a warning on every submission would teach people to ignore it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from stdnum.no import fodselsnummer

FindingKind = Literal["national_id", "phone", "email"]

GENERIC_MAILBOXES = frozenset(
    {"postmottak", "post", "postkasse", "firmapost", "kontakt", "info", "servicetorget"}
)
"""Local parts of shared mailboxes of public bodies and firms: not anyone's personal address."""

_SPACE = "[ \u00a0\u202f]"
"""What people put between digit groups: space, no-break space, narrow no-break space."""
_NEIGHBOUR = "[ \u00a0\u202f.,\\-]"
"""A separator that, with a digit on its far side, makes a number part of a longer one."""

# A number must stand alone: not glued to a word, an address or a longer number on either side.
_ALONE_BEFORE = rf"(?<![\w+@/])(?<![0-9]{_NEIGHBOUR})"
_ALONE_AFTER = rf"(?![\w@]|{_NEIGHBOUR}[0-9])"

_NATIONAL_ID = re.compile(
    _ALONE_BEFORE
    + r"(?P<birth>[0-9]{6})(?P<sep>[ \u00a0\u202f-]?)(?P<rest>[0-9]{5})"
    + _ALONE_AFTER
)
_PHONE = re.compile(
    _ALONE_BEFORE
    + rf"(?P<prefix>\(?(?:\+|00)47\)?{_SPACE}?)?"
    + "(?P<number>"
    + "[2-9][0-9]{7}"  # 91234567
    + rf"|[2-9][0-9]{{2}}{_SPACE}[0-9]{{2}}{_SPACE}[0-9]{{3}}"  # 912 34 567
    + rf"|[2-9][0-9]{_SPACE}[0-9]{{2}}{_SPACE}[0-9]{{2}}{_SPACE}[0-9]{{2}}"  # 91 23 45 67
    + ")"
    + _ALONE_AFTER
)
_EMAIL = re.compile(
    r"(?<![\w.%+-])"
    r"(?P<local>[\w%+-]+(?:\.[\w%+-]+)*)"
    r"@(?P<domain>(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,})"
    r"(?![\w-])"
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

_AMOUNT_BEFORE = re.compile(r"(?:\bkr\.?|\bnok|\bkroner|\bbeløp(?:et)?(?:\s+på)?)\s*$", re.I)
_AMOUNT_AFTER = re.compile(
    r"^\s*(?:kr\b|kroner|nok\b|,-|mill|mrd|milliard|%|prosent|innbyggere|personer|"
    r"husstander|arbeidsplasser|kvadratmeter|m2|m²|km|tonn)",
    re.I,
)


@dataclass(frozen=True)
class Finding:
    """One piece of what looks like personal data, safe to show back to the person."""

    kind: FindingKind
    excerpt: str
    """The matched text with most digits or letters masked, e.g. ``912 ** ***``."""


def find_personal_data(text: str, *, own_email: str | None = None) -> list[Finding]:
    """Find national identity numbers, phone numbers and other people's e-mail addresses.

    Args:
        text: Everything the person is about to send, joined.
        own_email: The sender's own address, which they gave us to be contacted on; it is not
            a finding.

    Returns:
        Findings in order of appearance, each number or address once.
    """
    found: list[tuple[int, str, Finding]] = []
    taken: list[tuple[int, int]] = [m.span() for m in _URL.finditer(text)]

    own = own_email.strip().casefold() if own_email else None
    for match in _EMAIL.finditer(text):
        taken.append(match.span())
        address = match.group(0)
        if address.casefold() == own or match["local"].casefold() in GENERIC_MAILBOXES:
            continue
        masked = f"{match['local'][0]}***@{match['domain']}"
        found.append((match.start(), "email:" + address.casefold(), Finding("email", masked)))

    for match in _NATIONAL_ID.finditer(text):
        if _overlaps(match.span(), taken):
            continue
        digits = match["birth"] + match["rest"]
        if not fodselsnummer.is_valid(digits):
            continue
        taken.append(match.span())
        masked = f"{match['birth']}{match['sep']}*****"
        found.append((match.start(), "national_id:" + digits, Finding("national_id", masked)))

    for match in _PHONE.finditer(text):
        if _overlaps(match.span(), taken) or not _is_phone(text, match):
            continue
        digits = re.sub("[^0-9]", "", match["number"])
        masked = (match["prefix"] or "") + _mask_digits(match["number"], keep=3)
        found.append((match.start(), "phone:" + digits, Finding("phone", masked)))

    found.sort(key=lambda item: item[0])
    seen: set[str] = set()
    findings: list[Finding] = []
    for _, key, finding in found:
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    return findings


def _is_phone(text: str, match: re.Match[str]) -> bool:
    """Whether a phone-shaped match is not really an amount, a count or a compact date."""
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 16]
    if _AMOUNT_BEFORE.search(before) or _AMOUNT_AFTER.search(after):
        return False
    number = match["number"]
    if match["prefix"] or not number.isdigit():
        return True
    # Written as one run of eight digits without a country code: a round sum or a date?
    return not (number.endswith("00000") or _is_compact_date(number))


def _is_compact_date(digits: str) -> bool:
    """Whether eight digits read as a plausible YYYYMMDD date (e.g. 20210301)."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _mask_digits(written: str, *, keep: int) -> str:
    """Mask all digits after the first ``keep``, keeping the person's own spacing."""
    out: list[str] = []
    seen = 0
    for char in written:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= keep else "*")
        else:
            out.append(char)
    return "".join(out)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """Whether ``span`` overlaps any span already claimed by an address or a URL."""
    start, end = span
    return any(start < t_end and t_start < end for t_start, t_end in taken)
