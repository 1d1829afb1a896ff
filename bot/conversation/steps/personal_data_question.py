"""The send-time question about personal data: what was found where, and what can be done.

Typed text can be changed in the chat, so the question offers to change it; a PDF cannot,
so for a document it names the document and offers to remove it. With both, it says both.
"""

from __future__ import annotations

from bot.conversation.context import Ctx
from bot.conversation.session import Attachment

REMOVE_PREFIX = "rm-"
"""The question's choice to remove a document: ``rm-<attachment id>`` (an id, not a place in
the list, so a button from an earlier question can never remove another document)."""

SHOWN = 5
"""At most this many findings (or documents) are named, so the question stays short."""


def personal_data_question(ctx: Ctx, typed: list[str], documents: list[Attachment]) -> str:
    """What seems to be personal data, in the text and in which documents; then the choice."""
    _ = ctx._
    if typed and not documents:
        return _(
            "Teksten ser ut til å inneholde personopplysninger: {found}. "
            "Innspill blir offentlige, så andre kan lese dette. "
            "Vil du sende likevel, eller endre teksten først?"
        ).format(found=", ".join(typed[:SHOWN]))
    found: list[str] = []
    if typed:
        found.append(
            _("Teksten ser ut til å inneholde personopplysninger: {found}.").format(
                found=", ".join(typed[:SHOWN])
            )
        )
    found.append(_in_documents(ctx, documents))
    found.append(_("Innspill blir offentlige, så andre kan lese dette."))
    count = len(documents)
    if typed:
        found.append(
            ctx.n_(
                "Vil du sende likevel, endre teksten eller fjerne dokumentet?",
                "Vil du sende likevel, endre teksten eller fjerne dokumentene?",
                count,
            )
        )
    else:
        found.append(
            ctx.n_(
                "Et dokument kan ikke endres her. Vil du fjerne det, eller sende likevel?",
                "Dokumenter kan ikke endres her. Vil du fjerne dem, eller sende likevel?",
                count,
            )
        )
    return " ".join(found)


def _in_documents(ctx: Ctx, documents: list[Attachment]) -> str:
    """Which documents seem to hold personal data (and what, when there is one)."""
    if len(documents) == 1:
        [document] = documents
        return ctx._(
            "Dokumentet «{name}» ser ut til å inneholde personopplysninger: {found}."
        ).format(name=document.file_name, found=", ".join(document.personal_data[:SHOWN]))
    names = ", ".join(ctx._("«{text}»").format(text=d.file_name) for d in documents[:SHOWN])
    return ctx._("Disse dokumentene ser ut til å inneholde personopplysninger: {names}.").format(
        names=names
    )
