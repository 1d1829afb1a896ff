"""The summary and what hangs off it: send, change an answer, or confirm a deletion.

Sending checks for missing answers and personal data first; the edit menu also removes
attachments; the cancel and delete confirmations end here too.
"""

from __future__ import annotations

from bot.conversation import deadline_notice as deadline
from bot.conversation import flow, prompts, screens
from bot.conversation.build import build_submission, reference_for
from bot.conversation.context import Ctx
from bot.conversation.events import DeleteAllData, ForgetAttachments, Submit
from bot.conversation.names import StepId, step_id
from bot.conversation.navigation import fresh_session, goto, return_from_confirmation, start_over
from bot.conversation.personal_data import find_personal_data
from bot.i18n.catalogs import gettext_for


def on_summary_choice(ctx: Ctx, choice: str) -> None:
    """Send, change something, add themes (quick path) or cancel."""
    s = ctx.s
    if choice == prompts.SEND:
        _try_to_send(ctx)
    elif choice == prompts.EDIT:
        goto(ctx, flow.EDIT)
    elif choice == prompts.ADD:
        s.editing_from_summary = True
        s.step = flow.QUICK
        ctx.say(ctx._("Skriv eller lim inn det du vil legge til. Det kommer etter teksten du har."))
    elif choice == prompts.THEMES:
        s.editing_from_summary = True
        goto(ctx, flow.THEMES)
    elif choice == prompts.CANCEL:
        s.return_step = flow.SUMMARY
        goto(ctx, flow.CANCEL)


def _try_to_send(ctx: Ctx) -> None:
    s = ctx.s
    if deadline.is_closed(ctx.c, ctx.event.at):  # e.g. a summary shown before midnight
        goto(ctx, flow.SUMMARY)
        return
    missing = _missing_required(ctx)
    if missing:
        ctx.say(
            ctx._("Før du kan sende, mangler dette: {missing}.").format(
                missing=", ".join(prompts.step_label(ctx, m) for m in missing)
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
            prompts.choices_for(ctx),
        )
        return
    _submit(ctx)


def _has_content(ctx: Ctx) -> bool:
    """Whether the draft says anything: an answer, a text or a document that will be sent."""
    c, s = ctx.c, ctx.s
    sent = [step for step in flow.sequence(c, s) if flow.is_answer_step(step)]
    return bool(s.attachments) or any(
        s.answers[step].text.strip() for step in sent if step in s.answers
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
        target = next(
            (st for st in flow.sequence(ctx.c, ctx.s) if flow.is_answer_step(st)), fallback
        )
    ctx.say(_("Innspillet er tomt ennå, så jeg kan ikke sende det.") + " " + advice)
    ctx.s.editing_from_summary = target != flow.SUMMARY
    goto(ctx, target)


def on_personal_data_choice(ctx: Ctx, choice: str) -> None:
    """Send although the text seems to hold personal data, or go and change it."""
    if choice == prompts.SEND and deadline.is_closed(ctx.c, ctx.event.at):
        goto(ctx, flow.SUMMARY)
    elif choice == prompts.SEND:
        ctx.s.personal_data_acknowledged = True
        _submit(ctx)
    else:
        goto(ctx, flow.EDIT)


def _missing_required(ctx: Ctx) -> list[StepId]:
    c, s = ctx.c, ctx.s
    return [
        step
        for step in flow.sequence(c, s)[:-1]
        if not flow.is_done(c, s, step) and not prompts.is_skippable(ctx, step)
    ]


def _personal_data(ctx: Ctx) -> list[str]:
    """Masked excerpts of personal data in what will be sent, typed or in a document.

    Answers to themes no longer chosen are not sent, so they are not checked.
    """
    sent = [step for step in flow.sequence(ctx.c, ctx.s) if flow.is_answer_step(step)]
    texts = [ctx.s.answers[step].text for step in sent if step in ctx.s.answers]
    found = find_personal_data("\n\n".join(texts), own_email=ctx.s.respondent.email)
    in_documents = [excerpt for a in ctx.s.attachments for excerpt in a.personal_data]
    return list(dict.fromkeys([*(f.excerpt for f in found), *in_documents]))


def _submit(ctx: Ctx) -> None:
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
    ctx.say(text, prompts.choices_for(ctx))


def on_edit_choice(ctx: Ctx, choice: str) -> None:
    """Change one answer (then back to the summary), or remove an attachment."""
    s, _ = ctx.s, ctx._
    if choice == prompts.BACK_TO_SUMMARY:
        goto(ctx, flow.SUMMARY)
        return
    if choice.startswith(prompts.REMOVE_PREFIX):
        removed = s.attachments.pop(int(choice.removeprefix(prompts.REMOVE_PREFIX)))
        ctx.effects.append(ForgetAttachments((removed.id,)))
        ctx.say(_("Vedlegget «{name}» er fjernet.").format(name=removed.file_name))
        goto(ctx, flow.SUMMARY)
        return
    s.personal_data_acknowledged = False
    s.editing_from_summary = True
    s.step = step_id(choice)  # the edit menu offers steps as its choices
    screens.show(ctx)


def on_cancel_choice(ctx: Ctx, choice: str) -> None:
    """Delete the draft, or keep it and go back."""
    if choice != prompts.YES:
        return_from_confirmation(ctx, flow.TYPE)
        return
    start_over(ctx)
    ctx.say(ctx._("Utkastet er slettet."))
    ctx.s.step = flow.START
    screens.show(ctx)


def on_delete_choice(ctx: Ctx, choice: str) -> None:
    """Delete everything about the person, or keep it and go back."""
    if choice != prompts.YES:
        return_from_confirmation(ctx, flow.START)
        return
    ctx.effects.append(DeleteAllData())
    start_over(ctx)
    ctx.s.reference = None
    ctx.s.submitted_at = None
    ctx.s.step = flow.START
    # What was deleted is said by the caller, with :func:`deletion_notice`: only storage
    # knows whether a submission still waits to be delivered.


def deletion_notice(lang: str, *, erased_submissions: int, awaiting_delivery: int) -> str:
    """What was deleted now, and what is erased only once it has been delivered."""
    _ = gettext_for(lang).gettext
    lines = [
        _(
            "Slettet nå: utkastet ditt, svarene, navnet, e-postadressen og dokumentene "
            "du har sendt meg."
        )
    ]
    if erased_submissions:
        lines.append(
            _(
                "Kopien vi hadde av innspill du har sendt, er også slettet. Departementet "
                "har fortsatt innspillet."
            )
        )
    if awaiting_delivery:
        lines.append(
            _(
                "Innspillet du sendte, er ikke levert til departementet ennå. Det blir levert, "
                "og vi sletter kopien vår så snart det er sendt."
            )
        )
    lines.append(_("Skriv /start hvis du vil begynne på nytt."))
    return "\n\n".join(lines)
