"""Languages: gettext catalogs (via babel), Telegram language codes, and babel formatting.

Bokmål is the source language: a message id *is* the bokmål text. Catalogs for ``nn`` and
``en`` live in ``locales/``. Compiled ``.mo`` files are used when present and fresh; otherwise
the ``.po`` file is compiled in memory, so a fresh clone works without a build step.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache, lru_cache
from io import BytesIO
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.ops.clock import OSLO
from bot.ops.resources import locales_dir

Lang = Literal["nb", "nn", "en"]
"""The languages the bot speaks: bokmål (the source language), nynorsk and English."""
LANGS: tuple[Lang, ...] = ("nb", "nn", "en")

DOMAIN = "messages"

LANGUAGE_NAMES: dict[Lang, str] = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def resolve_language(code: str | None) -> tuple[Lang, bool]:
    """Map a client language code (Telegram's ``language_code``) to one of ours.

    Returns the language and whether the code was one we know; an unknown code gives bokmål
    and ``False`` so the caller can offer the switch. Babel reads ``no`` as a locale of its
    own and rejects ``no-NO``, so this mapping is ours, not babel's.
    """
    if not code:
        return "nb", False
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    if primary in {"nb", "no"}:
        return "nb", True
    if primary == "nn":
        return "nn", True
    if primary == "en":
        return "en", True
    return "nb", False


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for ``lang``; bokmål (the source language) needs none."""
    if lang == "nb" or lang not in LANGS:
        return gettext.NullTranslations()
    folder = locales_dir() / lang / "LC_MESSAGES"
    po_path = folder / f"{DOMAIN}.po"
    mo_path = folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str) -> gettext.NullTranslations:
    """Return the catalog for a language; call sites bind its ``gettext`` to ``_``."""
    return translations(lang)


@cache
def babel_locale(lang: str) -> Locale:
    """The babel locale for one of our languages."""
    return Locale.parse({"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}.get(lang, "nb_NO"))


def warm_up(langs: Iterable[str] = LANGS) -> None:
    """Load each language's catalog and babel's locale data now, not in someone's first step.

    Both are read from disk on first use (a catalog may even be compiled from its ``.po``), and
    the conversation engine must do no I/O: the consultation loader calls this for the file's
    languages, so every channel starts warm.
    """
    for lang in langs:
        gettext_for(lang)
        format_date(_A_DAY, lang)  # babel's CLDR data: dates, and the numbers of format_size
        format_size(KIB, lang)


_A_DAY = date(2000, 1, 1)


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
    day = format_date(local.date(), lang)
    clock = local.strftime("%H:%M")
    if lang == "en":
        return f"{day} at {clock}"
    return f"{day} kl. {clock}"


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
