"""Gettext catalogs (via babel): one per language of the registry, bokmål needing none.

Bokmål is the source language: a message id *is* the bokmål text. Catalogs for the other
languages live in ``locales/<code>/LC_MESSAGES``. Compiled ``.mo`` files are used when present
and fresh; otherwise the ``.po`` file is compiled in memory, so a fresh clone works without a
build step. :func:`warm_up` loads them all before the first person's step, so no channel makes
the pure engine read a file.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n.languages import N_, SOURCE, codes, is_known
from bot.ops.resources import locales_dir

__all__ = ["DOMAIN", "N_", "gettext_for", "translations", "warm_up"]

DOMAIN = "messages"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for ``lang``; the source language (bokmål) needs none."""
    if lang == SOURCE or not is_known(lang):
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


def warm_up() -> None:
    """Load every language's catalog now, not inside the first step that needs it."""
    for code in codes():
        translations(code)
