"""How to send a document, in the words of the person's channel.

The channel says how it is done there (:class:`bot.conversation.capabilities.DocumentWay`):
a command with the file's path in the terminal, a file sent with 📎 on Telegram, a file field
on the web. A hint that names the wrong way is worse than none, so every hint about sending a
document is taken from here.
"""

from __future__ import annotations

from bot.conversation.capabilities import DocumentWay
from bot.conversation.context import Ctx
from bot.i18n.catalogs import N_

PASTE_OR_SEND: dict[DocumentWay, str] = {
    DocumentWay.ANY: N_(
        "Lim inn innspillet ditt her, eller send det som dokument (PDF, Word, ODT eller tekst)."
    ),
    DocumentWay.COMMAND: N_(
        "Lim inn innspillet ditt her. Har du det som fil (PDF, Word, ODT eller tekst), "
        "skriv /vedlegg og filstien, for eksempel /vedlegg innspill.pdf"
    ),
    DocumentWay.SEND_FILE: N_(
        "Lim inn innspillet ditt her, eller send det som fil med 📎 (PDF, Word, ODT eller tekst)."
    ),
    DocumentWay.CHOOSE_FILE: N_(
        "Lim inn innspillet ditt her, eller velg en fil (PDF, Word, ODT eller tekst)."
    ),
}
"""The quick path's prompt: paste the text, or send it as a file the way this channel does."""

SEND_THE_REST: dict[DocumentWay, str] = {
    DocumentWay.ANY: N_("Send resten som dokument (PDF, Word, ODT eller tekst)."),
    DocumentWay.COMMAND: N_("Legg resten i en fil, og send den med /vedlegg FIL."),
    DocumentWay.SEND_FILE: N_("Legg resten i en fil, og send den med 📎."),
    DocumentWay.CHOOSE_FILE: N_("Legg resten i en fil, og velg den her."),
}
"""What to do with text that did not fit in an answer."""

SEND_A_DOCUMENT: dict[DocumentWay, str] = {
    DocumentWay.ANY: N_("Send dokumentet som en fil, så legger jeg det ved innspillet."),
    DocumentWay.COMMAND: N_("Skriv filstien etter /vedlegg, for eksempel /vedlegg innspill.pdf"),
    DocumentWay.SEND_FILE: N_("Send dokumentet som fil med 📎, så legger jeg det ved innspillet."),
    DocumentWay.CHOOSE_FILE: N_("Velg en fil, så legger jeg den ved innspillet."),
}
"""The answer to /vedlegg where the channel does not handle the command itself."""


def paste_or_send(ctx: Ctx) -> str:
    """The quick path's prompt for this channel."""
    return ctx._(PASTE_OR_SEND[ctx.limits.channel.documents])


def send_the_rest(ctx: Ctx) -> str:
    """How to send what did not fit, in this channel."""
    return ctx._(SEND_THE_REST[ctx.limits.channel.documents])


def send_a_document(ctx: Ctx) -> str:
    """How to send a document in this channel."""
    return ctx._(SEND_A_DOCUMENT[ctx.limits.channel.documents])
