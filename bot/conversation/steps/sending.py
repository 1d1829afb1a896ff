"""Sending: the checks before anything goes, the personal-data question, and the submission.

The checks, in order: the deadline (a closed consultation sends nothing), answers still
missing, an empty draft, and personal data the person has not yet agreed to send.
"""

from __future__ import annotations

from bot.conversation import flow
from bot.conversation.build import build_submission, reference_for
from bot.conversation.context import Ctx
from bot.conversation.events import Choice, ForgetAttachments, Submit
from bot.conversation.names import Pick, Step, StepId
from bot.conversation.navigation import fresh_session, goto, show
from bot.conversation.personal_data import find_personal_data
from bot.conversation.session import Attachment
from bot.conversation.steps.base import BaseStep
from bot.conversation.steps.personal_data_question import REMOVE_PREFIX, personal_data_question
from bot.i18n.catalogs import gettext_for


class PersonalData(BaseStep):
    """What will be sent seems to hold personal data: send anyway, or change it first.

    Typed text can be changed in the chat; a document cannot, so for a document the way out
    is to remove it. The question names what it found where, and offers what fits.
    """

    id = Step.PERSONAL_DATA

    def label(self, ctx: Ctx) -> str:
        """Part of the summary."""
        return ctx._("Oppsummeringen")

    def text(self, ctx: Ctx) -> str:
        """What was found, in the text and in which documents, and what the person can do."""
        return personal_data_question(ctx, _typed_personal_data(ctx), _documents_to_check(ctx))

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Send; change the text, if it holds the data; remove each document that does."""
        choices = [Choice(Pick.SEND, ctx._("Send likevel"))]
        if _typed_personal_data(ctx):
            choices.append(Choice(Pick.EDIT, ctx._("Gå tilbake og endre")))
        choices += [
            Choice(
                f"{REMOVE_PREFIX}{document.id}",
                ctx._("Fjern vedlegg: {name}").format(name=document.file_name),
            )
            for document in _documents_to_check(ctx)
        ]
        return choices

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Send although it seems to hold personal data, change the text, or remove a document."""
        if choice == Pick.SEND and ctx.closed:
            goto(ctx, flow.SUMMARY)
        elif choice == Pick.SEND:
            ctx.s.personal_data_acknowledged = True
            submit(ctx)
        elif choice == Pick.EDIT:
            goto(ctx, flow.EDIT)
        else:
            _remove_document(ctx, choice.removeprefix(REMOVE_PREFIX))

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """Asked from the summary."""
        return True

    def on_back(self, ctx: Ctx) -> None:
        """/tilbake: the summary."""
        ctx.s.return_step = None
        goto(ctx, flow.SUMMARY)


def _remove_document(ctx: Ctx, attachment_id: str) -> None:
    """Take a document out of the draft, and show the summary to send what is left."""
    s = ctx.s
    removed = next(a for a in s.attachments if a.id == attachment_id)
    s.attachments.remove(removed)
    ctx.effects.append(ForgetAttachments((removed.id,)))
    ctx.say(ctx._("Vedlegget «{name}» er fjernet.").format(name=removed.file_name))
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
    if not s.personal_data_acknowledged and (_documents_to_check(ctx) or _typed_personal_data(ctx)):
        s.step = flow.PERSONAL_DATA
        show(ctx)
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


def _typed_personal_data(ctx: Ctx) -> list[str]:
    """Masked excerpts of personal data in the answers that will be sent."""
    s = ctx.s
    texts = [s.answers[step].text for step in _answer_steps(ctx) if step in s.answers]
    found = find_personal_data("\n\n".join(texts), own_email=s.respondent.email)
    return list(dict.fromkeys(f.excerpt for f in found))


def _documents_to_check(ctx: Ctx) -> list[Attachment]:
    """The documents in which personal data was found when they were uploaded."""
    return [a for a in ctx.s.attachments if a.personal_data]


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
        text += "\n" + receipt_promise(ctx.s.lang, s.respondent.email)
    ctx.say(text, ctx.here.choices(ctx))


def receipt_promise(lang: str, email: str) -> str:
    """The promise of a receipt after sending.

    The service takes it back when the address has had as many receipts today as are sent
    (only storage knows), so one function says it for both.
    """
    return (
        gettext_for(lang).gettext("Du får en kvittering på e-post til {email}.").format(email=email)
    )
