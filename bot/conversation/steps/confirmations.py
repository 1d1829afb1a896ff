"""The two deletions, each asked first: the draft (/avbryt) and everything about the person.

What happens on /slett: :class:`Delete` asks; «Ja» hands a ``DeleteAllData`` effect to the
service, which erases the data and says what was deleted with :func:`deletion_notice`.
"""

from __future__ import annotations

from bot.conversation.context import Ctx
from bot.conversation.events import Choice, DeleteAllData
from bot.conversation.names import Pick, Step
from bot.conversation.navigation import return_from_confirmation, show, start_over
from bot.conversation.steps.base import Confirmation
from bot.i18n.catalogs import gettext_for


class Cancel(Confirmation):
    """Delete the draft?"""

    id = Step.CANCEL

    def text(self, ctx: Ctx) -> str:
        """What is lost."""
        return ctx._("Vil du slette utkastet? Svarene du har gitt, blir borte.")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Yes or no."""
        return [
            Choice(Pick.YES, ctx._("Ja, slett utkastet")),
            Choice(Pick.NO, ctx._("Nei, fortsett")),
        ]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Delete the draft and begin again, or keep it and go back."""
        if choice != Pick.YES:
            return_from_confirmation(ctx, Step.TYPE)
            return
        start_over(ctx)
        ctx.say(ctx._("Utkastet er slettet."))
        ctx.s.step = Step.START
        show(ctx)


class Delete(Confirmation):
    """Delete everything stored about the person?"""

    id = Step.DELETE

    def text(self, ctx: Ctx) -> str:
        """What can and cannot be taken back."""
        return ctx._(
            "Vil du slette alt som er lagret om deg her? Innspill som allerede er sendt "
            "til departementet, kan vi ikke hente tilbake."
        )

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Yes or no."""
        return [
            Choice(Pick.YES, ctx._("Ja, slett alt")),
            Choice(Pick.NO, ctx._("Nei, behold")),
        ]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Delete everything about the person, or keep it and go back."""
        if choice != Pick.YES:
            return_from_confirmation(ctx, Step.START)
            return
        ctx.effects.append(DeleteAllData())
        start_over(ctx)
        ctx.s.reference = None
        ctx.s.submitted_at = None
        ctx.s.step = Step.START
        # What was deleted is said by the caller, with :func:`deletion_notice`: only storage
        # knows whether a submission still waits to be delivered.


def deletion_notice(
    lang: str, *, erased_submissions: int, awaiting_delivery: int, had_draft: bool = True
) -> str:
    """What was deleted now, and what is erased only once it has been delivered.

    Each line says only what happened: a draft is named only when there was one, and a
    submission still waiting to be delivered is not said to be gone.
    """
    _ = gettext_for(lang).gettext
    lines = []
    if had_draft:
        lines.append(
            _(
                "Slettet nå: utkastet ditt, med svarene, navnet, e-postadressen og dokumentene "
                "i det."
            )
        )
    if erased_submissions:
        lines.append(
            _(
                "Kopien vi hadde av innspill du har sendt, er slettet. Departementet har "
                "fortsatt innspillet."
            )
        )
    if awaiting_delivery:
        lines.append(
            _(
                "Innspillet du sendte, er ikke levert til departementet ennå. Det blir levert, "
                "og vi sletter kopien vår så snart det er sendt."
            )
        )
    if not had_draft and not erased_submissions:
        lines.append(
            _("Alt annet vi hadde lagret om deg, er slettet.")
            if awaiting_delivery
            else _("Alt vi hadde lagret om deg, er slettet.")
        )
    lines.append(_("Skriv /start hvis du vil begynne på nytt."))
    return "\n\n".join(lines)
