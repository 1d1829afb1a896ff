"""Input the conversation cannot use (a sticker, a photo, a voice note, …): a kind reply."""

from __future__ import annotations

from bot.conversation.context import Ctx
from bot.conversation.navigation import show
from bot.i18n.catalogs import N_

MESSAGES: dict[str, str] = {
    "sticker": N_("Takk for klistremerket! 😊 Men her trenger jeg tekst."),
    "photo": N_(
        "Bilder kan jeg ikke sende videre. Skriv svaret som tekst, "
        "eller send et dokument (PDF, Word, ODT)."
    ),
    "voice": N_("Lydmeldinger kan jeg ikke ta imot. Skriv svaret ditt som tekst."),
    "video": N_("Video kan jeg ikke ta imot. Skriv svaret ditt som tekst."),
    "location": N_("Jeg trenger ikke posisjonen din. Skriv kommunen med navn i stedet."),
    "contact": N_("Jeg trenger ikke kontakter. Skriv svaret ditt som tekst."),
}
"""What to say about each kind of input we cannot use (bokmål msgids)."""
OTHER = N_("Det kan jeg ikke ta imot her. Skriv svaret ditt som tekst.")


def on_unsupported(ctx: Ctx, kind: str) -> None:
    """Say why this input cannot be used, and ask the question again."""
    ctx.say(ctx._(MESSAGES.get(kind, OTHER)))
    show(ctx)
