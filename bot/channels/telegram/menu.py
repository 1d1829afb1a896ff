"""The command menu Telegram shows next to the text field, in bokmål, nynorsk and English.

Telegram allows only a-z, 0-9 and _ in registered names, so ``/språk`` is registered as
``/sprak``; typed as text, ``/språk`` still works (see :mod:`bot.conversation.commands`).
"""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.languages import SOURCE, codes

MENU: tuple[tuple[str, str], ...] = (
    ("start", N_("Start, eller fortsett der du var")),
    ("hjelp", N_("Hjelp og hva du kan skrive")),
    ("status", N_("Se hvor langt du har kommet")),
    ("tilbake", N_("Gå til forrige spørsmål")),
    ("hopp", N_("Hopp over spørsmålet")),
    ("oppsummering", N_("Se alt du har svart")),
    ("avbryt", N_("Slett utkastet og begynn på nytt")),
    ("slett", N_("Slett alt som er lagret om deg")),
    ("personvern", N_("Hva vi lagrer, og hvem som ser det")),
    ("sprak", N_("Bytt språk / Change language")),
)
"""Registered name and description (bokmål, marked for translation), in menu order."""

def menu_languages() -> tuple[str | None, ...]:
    """``None`` is Telegram's default list (bokmål); the others are for clients in that language."""
    return (None, *(code for code in codes() if code != SOURCE))


def bot_commands(lang: str) -> list[BotCommand]:
    """The menu with descriptions in ``lang``."""
    _ = gettext_for(lang).gettext
    return [BotCommand(name, _(description)) for name, description in MENU]
