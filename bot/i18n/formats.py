"""Dates, times and sizes the way people read them in each language (babel, CLDR data)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal

from bot.i18n.catalogs import gettext_for
from bot.i18n.languages import codes, language
from bot.ops.clock import OSLO


@cache
def babel_locale(lang: str) -> Locale:
    """The babel locale for one of our languages (the source language's for unknown codes)."""
    return Locale.parse(language(lang).babel_locale)


@lru_cache(maxsize=4096)
def format_date(value: date, lang: str) -> str:
    """A date the way people write it, e.g. "1. mars 2021" or "1 March 2021".

    Kept for reuse: the same few dates (the deadline, today) are shown on many steps, and
    babel's formatting costs more than the rest of such a step.
    """
    return _babel_format_date(value, format="long", locale=babel_locale(lang))


def format_datetime(value: datetime, lang: str) -> str:
    """A moment in Norwegian time, e.g. "26. november 2026 kl. 09:15"."""
    local = value.astimezone(OSLO)
    _ = gettext_for(lang).gettext
    return _("{day} kl. {clock}").format(
        day=format_date(local.date(), lang), clock=local.strftime("%H:%M")
    )


def format_count(count: int, lang: str) -> str:
    """A whole number with the language's digit grouping: "30 000" ("30,000" in English)."""
    return format_decimal(count, format="#,##0", locale=babel_locale(lang))


KIB = 1024
"""Sizes are counted in binary units, as Telegram counts its 20 MB download limit."""


def format_size(size: int, lang: str) -> str:
    """A file size people can read: "830 kB", "1,0 MB" ("1.0 MB" in English).

    The one formatter for the chat and the e-mails, so both say the same about one file.
    From 1000 kB on it is shown in MB, so nobody reads "1016 kB"; never "0 kB".
    """
    locale = babel_locale(lang)
    kib = size / KIB
    if round(kib) < 1000:
        return f"{format_decimal(max(1, round(kib)), format='#,##0', locale=locale)} kB"
    return f"{format_decimal(kib / KIB, format='#,##0.0', locale=locale)} MB"


def warm_up(day: date) -> None:
    """Load babel's locale data for every language now (about 0.1 s of unpickling each)."""
    for code in codes():
        format_date(day, code)
