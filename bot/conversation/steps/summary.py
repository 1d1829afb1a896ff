"""The summary, and the edit menu that hangs off it.

The summary shows everything given, the publication notice and the deadline, and offers to
send, to change something, to add to the quick path's text, to tag themes, or to cancel.
Sending itself, with its checks, is :mod:`bot.conversation.steps.sending`.
"""

from __future__ import annotations

from bot.consultation.municipalities import by_number
from bot.conversation import deadline_notice, flow
from bot.conversation.context import SUMMARY_MARK, Ctx
from bot.conversation.events import Choice, ForgetAttachments, TextEvent
from bot.conversation.names import Pick, Step, StepId, step_id
from bot.conversation.navigation import goto, show
from bot.conversation.steps.answers import AnswerStep
from bot.conversation.steps.base import BaseStep, Confirmation, not_here
from bot.conversation.steps.quick import QUICK, add_text
from bot.conversation.steps.respondent import EXTRAS, RespondentStep
from bot.conversation.steps.sending import try_to_send
from bot.i18n.formats import format_date, format_size

REMOVE_PREFIX = "rm-"
"""The edit menu's choice to remove an attachment: ``rm-<index>``."""

MORE_TEXT_MIN_WORDS = 5
"""Text on the quick path's summary with at least this many words is taken as more input;
anything shorter ("ok", "ferdig", "7") is more likely meant for the menu, so we ask."""


class Summary(BaseStep):
    """Everything so far; send it, change it, or cancel it."""

    id = Step.SUMMARY

    def label(self, ctx: Ctx) -> str:
        """The summary."""
        return ctx._("Oppsummeringen")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Send and change; after a closing deadline, only delete."""
        _, c, s = ctx._, ctx.c, ctx.s
        if ctx.closed:  # the draft can be read and deleted, not sent
            return [Choice(Pick.CANCEL, _("🗑 Avbryt og slett utkastet"))]
        choices = [Choice(Pick.SEND, _("✅ Send inn"))]
        if s.flow == "quick":
            choices.append(Choice(Pick.ADD, _("➕ Legg til mer tekst")))
        if s.flow == "quick" and c.themes and not s.themes:
            choices.append(
                Choice(Pick.THEMES, _("🏷 Velg hvilke tema innspillet handler om (frivillig)"))
            )
        return [
            *choices,
            Choice(Pick.EDIT, _("✏️ Endre noe")),
            Choice(Pick.CANCEL, _("🗑 Avbryt og slett utkastet")),
        ]

    def show(self, ctx: Ctx, *, replace_previous: bool = False) -> None:
        """The summary, then the deadline, the publication notice and where it goes."""
        _, c = ctx._, ctx.c
        ctx.say(summary_text(ctx))
        if ctx.closed:
            ctx.say(deadline_notice.notice(ctx), self.choices(ctx))
            return
        if ctx.s.flow == "quick":
            ctx.say(_("Vil du legge til noe? Send mer tekst eller flere dokumenter nå."))
        notice = "ℹ️ " + ctx.t(c.publication_notice)
        ctx.say(
            deadline_notice.notice(ctx)
            + "\n\n"
            + notice
            + "\n\n"
            + _("Når du trykker «Send inn», går innspillet til {ministry}.").format(
                ministry=ctx.t(c.ministry)
            ),
            self.choices(ctx),
        )

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Send, change something, add text or themes (quick path), or cancel."""
        s = ctx.s
        if choice == Pick.SEND:
            try_to_send(ctx)
        elif choice == Pick.EDIT:
            goto(ctx, Step.EDIT)
        elif choice == Pick.ADD:
            s.editing_from_summary = True
            add_text(ctx)
        elif choice == Pick.THEMES:
            s.editing_from_summary = True
            goto(ctx, Step.THEMES)
        elif choice == Pick.CANCEL:
            s.return_step = Step.SUMMARY
            goto(ctx, Step.CANCEL)

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """On the quick path, more text: added when it is clearly more of the input."""
        if ctx.s.flow != "quick":
            not_here(ctx)
            return
        raw = event.text
        if len(raw.split()) >= MORE_TEXT_MIN_WORDS:
            # More of the input, taken from here: refused (too long), the summary is shown again.
            QUICK.add_text(ctx, raw, event.message_ref, adding=True)
            return
        shown = raw.strip() if len(raw.strip()) <= 40 else raw.strip()[:39] + "…"
        ctx.say(
            ctx._(
                "Skal «{text}» med i innspillet? Trykk «Legg til mer tekst», og skriv det igjen. "
                "Er du ferdig? Trykk «Send inn»."
            ).format(text=shown),
            self.choices(ctx),
        )

    def on_skip(self, ctx: Ctx) -> None:
        """Nothing is left to skip."""
        _ = ctx._
        ctx.say(
            _("Du er på siste steg, så her er det ikke noe å hoppe over.")
            + " "
            + _("Trykk «Send inn» for å sende, eller «Endre noe» for å rette."),
            self.choices(ctx),
        )

    def caption_step(self, ctx: Ctx) -> StepId | None:
        """On the quick path a caption joins the text."""
        return flow.QUICK if ctx.s.flow == "quick" else None

    def after_documents(self, ctx: Ctx) -> None:
        """The summary again, with the new documents."""
        goto(ctx, flow.SUMMARY)


class Edit(Confirmation):
    """What to change: any step of the path, an optional detail, or an attachment."""

    id = Step.EDIT
    belongs_to = Step.SUMMARY

    def label(self, ctx: Ctx) -> str:
        """Part of the summary."""
        return ctx._("Oppsummeringen")

    def text(self, ctx: Ctx) -> str:
        """What to change?"""
        return ctx._("Hva vil du endre?")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Each step by its short name, then each attachment to remove, then back."""
        c, s, _ = ctx.c, ctx.s, ctx._
        steps = flow.sequence(c, s)[:-1]
        extras: list[StepId] = []
        for extra in EXTRAS:
            detail = ctx.step(extra)
            if (
                isinstance(detail, RespondentStep)
                and extra not in steps
                and detail.can_add_later(ctx)
            ):
                extras.append(extra)
        if s.flow == "quick" and c.themes:
            extras.append(flow.THEMES)
        choices = [Choice(step, ctx.step(step).label(ctx)) for step in steps + extras]
        choices += [
            Choice(f"{REMOVE_PREFIX}{index}", _("Fjern vedlegg: {name}").format(name=a.file_name))
            for index, a in enumerate(s.attachments)
        ]
        choices.append(Choice(Pick.BACK_TO_SUMMARY, _("⬅️ Tilbake til oppsummeringen")))
        return choices

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Change one answer (then back to the summary), or remove an attachment."""
        s, _ = ctx.s, ctx._
        if choice == Pick.BACK_TO_SUMMARY:
            goto(ctx, flow.SUMMARY)
            return
        if choice.startswith(REMOVE_PREFIX):
            removed = s.attachments.pop(int(choice.removeprefix(REMOVE_PREFIX)))
            ctx.effects.append(ForgetAttachments((removed.id,)))
            ctx.say(_("Vedlegget «{name}» er fjernet.").format(name=removed.file_name))
            goto(ctx, flow.SUMMARY)
            return
        s.personal_data_acknowledged = False
        s.editing_from_summary = True
        s.step = step_id(choice)  # the edit menu offers steps as its choices
        show(ctx)


def summary_text(ctx: Ctx) -> str:
    """The whole draft as the person will recognise it."""
    _, c, s = ctx._, ctx.c, ctx.s
    r = s.respondent
    lines = [SUMMARY_MARK + _("Oppsummering"), ""]
    fields: list[tuple[str, str | None]] = []
    if r.type:
        rtype = flow.respondent_type(c, s)
        fields.append((_("Svarer for"), ctx.t(rtype.label) if rtype else r.type))
    fields += [
        (_("Organisasjon"), r.organisation),
        (_("Organisasjonsnummer"), r.org_number),
        (
            _("Vedtatt av styret"),
            format_date(r.board_approved, s.lang) if r.board_approved else None,
        ),
        (_("Navn"), r.name or "–"),
    ]
    if c.respondent.ask_municipality:
        municipality = by_number(r.municipality) if r.municipality else None
        fields.append((_("Kommune"), municipality.display_name if municipality else "–"))
    fields.append((_("E-post"), r.email))
    if c.themes:
        chosen = [ctx.t(t.title) for t in c.themes if t.id in s.themes]
        fields.append((_("Tema"), ", ".join(chosen) if chosen else "–"))
    lines += [label + ": " + value for label, value in fields if value]
    for step in flow.sequence(c, s):
        answer = ctx.step(step)
        if isinstance(answer, AnswerStep):
            lines += answer.summarise(ctx)
    if s.attachments:
        lines += ["", "📎 " + _("Vedlegg:")]
        lines += [f"– {a.file_name} ({format_size(a.size, s.lang)})" for a in s.attachments]
    return "\n".join(lines)
