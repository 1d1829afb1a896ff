"""Turning a confirmed draft into a :class:`Submission`, every text in bokmål for the ministry."""

from __future__ import annotations

from datetime import datetime

from bot.consultation.model import Consultation, Question, Theme, pick
from bot.consultation.municipalities import by_number
from bot.conversation import flow
from bot.conversation.session import Session
from bot.conversation.submission import AttachmentInfo, RespondentInfo, Submission, SubmissionAnswer
from bot.i18n.languages import SOURCE

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def reference_for(c: Consultation, draft_id: str) -> str:
    """The reference number people and staff quote, e.g. ``SMB-7K4P-9QX2``.

    It comes from the draft's random id (chosen by the service), so the engine stays pure and
    a retried submit of the same draft gets the same number.
    """
    code = "".join(ch for ch in draft_id.upper() if ch in _CROCKFORD)[:8].ljust(8, "0")
    return f"{c.reference_prefix}-{code[:4]}-{code[4:]}"


def build_submission(
    c: Consultation, s: Session, *, reference: str, received_at: datetime
) -> Submission:
    """Everything staff need, independent of the session and of the person's language."""
    r = s.respondent
    rtype = flow.respondent_type(c, s)
    municipality = by_number(r.municipality) if r.municipality else None
    answers: list[SubmissionAnswer] = []
    items = flow.answer_items(c)
    for step in flow.sequence(c, s):
        item = items.get(step)
        if item is None and step != flow.QUICK:
            continue  # not an answer: a respondent step, the themes, the summary
        answer = s.answers.get(step)
        text = answer.text if answer and answer.text else None
        if isinstance(item, Theme):
            theme = item
            answers.append(
                SubmissionAnswer(
                    key=step,
                    kind="theme",
                    heading=pick(theme.title, SOURCE),
                    answer=text,
                    skipped=text is None and step in s.skipped,
                )
            )
        elif isinstance(item, Question):
            question = item
            answers.append(
                SubmissionAnswer(
                    key=step,
                    kind="question",
                    heading=pick(question.text, SOURCE),
                    original=pick(question.original, SOURCE) if question.original else None,
                    shown=pick(question.text, s.lang) if s.lang != SOURCE else None,
                    answer=text,
                    skipped=text is None and step in s.skipped,
                    answer_kind=question.kind,
                )
            )
        else:
            answers.append(
                SubmissionAnswer(key="quick", kind="free_text", heading="Innspill", answer=text)
            )
    return Submission(
        reference=reference,
        consultation_id=c.id,
        case_number=c.case_number,
        title=pick(c.title, SOURCE),
        subject=c.subject,
        subject_template=c.subject_template,
        deadline=c.deadline,
        recipient=str(c.recipient),
        received_at=received_at,
        language=s.lang,
        flow=s.flow,
        respondent=RespondentInfo(
            type_id=r.type or "",
            type_label=pick(rtype.label, SOURCE) if rtype else "",
            name=r.name or "",
            organisation=r.organisation,
            org_number=r.org_number,
            board_approved=r.board_approved,
            municipality_number=municipality.number if municipality else None,
            municipality_name=municipality.display_name if municipality else None,
            county=municipality.county if municipality else None,
            email=r.email,
        ),
        themes=[pick(t.title, SOURCE) for t in c.themes if t.id in s.themes],
        answers=answers,
        attachments=[
            AttachmentInfo(id=a.id, file_name=a.file_name, mime_type=a.mime_type, size=a.size)
            for a in s.attachments
        ],
    )


def localized(c: Consultation, sub: Submission, lang: str) -> Submission:
    """A copy of ``sub`` whose consultation texts are in ``lang``, for the person's receipt.

    The stored submission is in bokmål for the ministry; the receipt should read in the
    language the person answered in. Texts the file no longer has are left as they are.
    """
    if lang == SOURCE or sub.consultation_id != c.id:
        return sub
    items = flow.answer_items(c)
    answers = []
    for answer in sub.answers:
        item = items.get(answer.key)  # type: ignore[call-overload]
        if isinstance(item, Theme):
            answer = answer.model_copy(update={"heading": pick(item.title, lang)})
        elif isinstance(item, Question):
            question = item
            original = pick(question.original, lang) if question.original else None
            answer = answer.model_copy(
                update={"heading": pick(question.text, lang), "original": original}
            )
        answers.append(answer)
    rtype = next((t for t in c.respondent.types if t.id == sub.respondent.type_id), None)
    respondent = sub.respondent
    if rtype is not None:
        respondent = respondent.model_copy(update={"type_label": pick(rtype.label, lang)})
    titles = {pick(t.title, SOURCE): pick(t.title, lang) for t in c.themes}
    return sub.model_copy(
        update={
            "title": pick(c.title, lang),
            "respondent": respondent,
            "themes": [titles.get(title, title) for title in sub.themes],
            "answers": answers,
        }
    )
