"""Sending: the checks before anything goes, the personal-data question, and the submission.

The checks, in order: the deadline (a closed consultation sends nothing), answers still
missing, an empty draft, and personal data the person has not yet agreed to send.
"""

from __future__ import annotations

from bot.conversation import flow
from bot.conversation.build import build_submission, reference_for
from bot.conversation.context import Ctx
from bot.conversation.events import Choice, Submit
from bot.conversation.names import Pick, Step, StepId
from bot.conversation.navigation import fresh_session, goto
from bot.conversation.personal_data import find_personal_data
from bot.conversation.steps.base import BaseStep


class PersonalData(BaseStep):
    """The text seems to hold personal data: send anyway, or change it first."""

    id = Step.PERSONAL_DATA

    def label(self, ctx: Ctx) -> str:
        """Part of the summary."""
        return ctx._("Oppsummeringen")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Send, or go back and change."""
        return [
            Choice(Pick.SEND, ctx._("Send likevel")),
            Choice(Pick.EDIT, ctx._("Gå tilbake og endre")),
        ]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Send although the text seems to hold personal data, or go and change it."""
        if choice == Pick.SEND and ctx.closed:
            goto(ctx, flow.SUMMARY)
        elif choice == Pick.SEND:
            ctx.s.personal_data_acknowledged = True
            submit(ctx)
        else:
            goto(ctx, flow.EDIT)

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """Asked from the summary."""
        return True

    def on_back(self, ctx: Ctx) -> None:
        """/tilbake: the summary."""
        ctx.s.return_step = None
        goto(ctx, flow.SUMMARY)


def try_to_send(ctx: Ctx) -> None:
    """«Send inn»: send, unless the deadline, a missing answer or personal data stops it."""
    s = ctx.s
    if ctx.closed:  # e.g. a summary shown before midnight
        goto(ctx, flow.SUMMARY)
        return
    missing = _missing_required(ctx)
    if missing:
        ctx.say(
            ctx._("Før du kan sende, mangler dette: {missing}.").format(
                missing=", ".join(ctx.step(m).label(ctx) for m in missing)
            )
        )
        s.editing_from_summary = True
        goto(ctx, missing[0])
        return
    if not _has_content(ctx):
        _refuse_empty(ctx)
        return
    findings = _personal_data(ctx)
    if findings and not s.personal_data_acknowledged:
        s.step = flow.PERSONAL_DATA
        shown = ", ".join(findings[:5])
        ctx.say(
            ctx._(
                "Teksten ser ut til å inneholde personopplysninger: {found}. "
                "Innspill blir offentlige, så andre kan lese dette. "
                "Vil du sende likevel, eller endre teksten først?"
            ).format(found=shown),
            ctx.here.choices(ctx),
        )
        return
    submit(ctx)


def _answer_steps(ctx: Ctx) -> list[StepId]:
    """The answers that will be sent (answers to themes no longer chosen are not)."""
    return [step for step in flow.sequence(ctx.c, ctx.s) if ctx.step(step).answer]


def _has_content(ctx: Ctx) -> bool:
    """Whether the draft says anything: an answer, a text or a document that will be sent."""
    s = ctx.s
    return bool(s.attachments) or any(
        s.answers[step].text.strip() for step in _answer_steps(ctx) if step in s.answers
    )


def _refuse_empty(ctx: Ctx) -> None:
    """An empty submission would reach the ministry as a blank e-mail: say what to do instead."""
    _ = ctx._
    if ctx.s.flow == "quick":
        advice = _("Skriv eller lim inn teksten din, eller send et dokument. Så kan du sende.")
        target: StepId = flow.QUICK
    else:
        advice = _("Svar på minst ett spørsmål, så kan du sende.")
        fallback: StepId = flow.THEMES if ctx.c.themes else flow.SUMMARY
        target = next(iter(_answer_steps(ctx)), fallback)
    ctx.say(_("Innspillet er tomt ennå, så jeg kan ikke sende det.") + " " + advice)
    ctx.s.editing_from_summary = target != flow.SUMMARY
    goto(ctx, target)


def _missing_required(ctx: Ctx) -> list[StepId]:
    return [
        step
        for step in flow.sequence(ctx.c, ctx.s)[:-1]
        if not ctx.step(step).is_done(ctx) and not ctx.step(step).is_skippable(ctx)
    ]


def _personal_data(ctx: Ctx) -> list[str]:
    """Masked excerpts of personal data in what will be sent, typed or in a document."""
    s = ctx.s
    texts = [s.answers[step].text for step in _answer_steps(ctx) if step in s.answers]
    found = find_personal_data("\n\n".join(texts), own_email=s.respondent.email)
    in_documents = [excerpt for a in s.attachments for excerpt in a.personal_data]
    return list(dict.fromkeys([*(f.excerpt for f in found), *in_documents]))


def submit(ctx: Ctx) -> None:
    """Hand the submission over (an effect), and keep nothing of it in the session."""
    s, c, _ = ctx.s, ctx.c, ctx._
    reference = reference_for(c, s.draft_id)
    submission = build_submission(c, s, reference=reference, received_at=ctx.event.at)
    ctx.effects.append(Submit(submission))
    # What was sent lives on in the submission; the session keeps no answers or names.
    ctx.s = fresh_session(ctx, s.draft_id)
    ctx.s.status = "submitted"
    ctx.s.reference = reference
    ctx.s.submitted_at = ctx.event.at
    ctx.s.step = flow.DONE
    text = _("Takk! Innspillet ditt er sendt til {ministry}.").format(ministry=ctx.t(c.ministry))
    text += "\n\n" + _("Referansenummer: {reference}").format(reference=reference)
    if s.respondent.email and ctx.limits.send_receipts:
        text += "\n" + _("Du får en kvittering på e-post til {email}.").format(
            email=s.respondent.email
        )
    ctx.say(text, ctx.here.choices(ctx))
