"""Documents the person sends: which ones join the draft, and why any others did not."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.conversation.context import Ctx
from bot.conversation.events import (
    DocumentEvent,
    DocumentProblem,
    ForgetAttachments,
    IncomingDocument,
)
from bot.conversation.navigation import show, unskip
from bot.conversation.personal_data import find_personal_data
from bot.conversation.session import Answer, AnswerPart, Attachment
from bot.conversation.values import clean_answer
from bot.i18n.formats import format_size


def _too_large(ctx: Ctx, doc: IncomingDocument) -> str:
    return ctx._("«{name}» er for stor ({size}). Grensen er {limit}.").format(
        name=doc.file_name,
        size=format_size(doc.size, ctx.s.lang),
        limit=format_size(ctx.limits.max_submission_bytes, ctx.s.lang),
    )


def _unsupported_type(ctx: Ctx, doc: IncomingDocument) -> str:
    return ctx._(
        "«{name}» kan jeg ikke ta imot. Send PDF, Word (DOCX), ODT eller ren tekst."
    ).format(name=doc.file_name)


def _download_failed(ctx: Ctx, doc: IncomingDocument) -> str:
    return ctx._("Jeg fikk ikke hentet «{name}». Prøv å sende den igjen.").format(
        name=doc.file_name
    )


_PROBLEMS: dict[DocumentProblem, Callable[[Ctx, IncomingDocument], str]] = {
    "too_large": _too_large,
    "unsupported_type": _unsupported_type,
    "download_failed": _download_failed,
}
"""What to say about a document that could not be taken at all, by its problem."""


def _problem_of(ctx: Ctx, doc: IncomingDocument) -> DocumentProblem | None:
    if doc.problem is not None:
        return doc.problem
    if doc.size > ctx.limits.max_submission_bytes:
        return "too_large"
    return None if doc.attachment_id else "download_failed"


def _over_limits(ctx: Ctx, doc: IncomingDocument, accepted: Sequence[Attachment]) -> str | None:
    """Why a good document still cannot join this draft (too many, or too much in total)."""
    s, limits = ctx.s, ctx.limits
    if len(s.attachments) + len(accepted) >= limits.max_attachments:
        return ctx._("«{name}» ble ikke med: du kan sende opptil {max} vedlegg.").format(
            name=doc.file_name, max=limits.max_attachments
        )
    total = sum(a.size for a in (*s.attachments, *accepted))
    if total + doc.size > limits.max_submission_bytes:
        return ctx._("«{name}» ble ikke med: vedleggene blir til sammen over {limit}.").format(
            name=doc.file_name, limit=format_size(limits.max_submission_bytes, s.lang)
        )
    return None


def on_documents(ctx: Ctx, event: DocumentEvent) -> None:
    """Take the documents that fit; explain each one that does not."""
    s = ctx.s
    accepting = s.status == "draft" and ctx.here.in_draft
    accepted: list[Attachment] = []
    rejected: list[str] = []
    for doc in event.documents:
        problem = _problem_of(ctx, doc)
        if problem is not None:
            rejected.append(_PROBLEMS[problem](ctx, doc))
            continue
        if not accepting:
            continue
        too_much = _over_limits(ctx, doc, accepted)
        if too_much:
            rejected.append(too_much)
            continue
        accepted.append(
            Attachment(
                id=doc.attachment_id or "",
                file_name=doc.file_name,
                mime_type=doc.mime_type,
                size=doc.size,
                personal_data=_personal_data_in(ctx, doc),
            )
        )
    _forget_unused(ctx, event, accepted)
    if not accepting:
        ctx.say(ctx._("Velg først hvordan du vil svare. Så kan du sende dokumentet."))
        show(ctx)
        return
    for message in rejected:
        ctx.say(message)
    if accepted:
        _attach(ctx, accepted, event.caption)
    else:
        show(ctx)


def _personal_data_in(ctx: Ctx, doc: IncomingDocument) -> list[str]:
    """Masked excerpts of what looks like personal data in the document's text."""
    if not doc.text:
        return []
    findings = find_personal_data(doc.text, own_email=ctx.s.respondent.email)
    return list(dict.fromkeys(f.excerpt for f in findings))


def _forget_unused(ctx: Ctx, event: DocumentEvent, accepted: Sequence[Attachment]) -> None:
    """Stored documents that did not join the draft are deleted again."""
    kept = {a.id for a in accepted}
    unused = tuple(
        d.attachment_id
        for d in event.documents
        if d.attachment_id and d.problem is None and d.attachment_id not in kept
    )
    if unused:
        ctx.effects.append(ForgetAttachments(unused))


def _attach(ctx: Ctx, accepted: list[Attachment], caption: str | None) -> None:
    s = ctx.s
    s.attachments.extend(accepted)
    s.personal_data_acknowledged = False
    unskip(s, s.step)
    for attachment in accepted:
        if attachment.personal_data:
            ctx.say(_personal_data_note(ctx, attachment))
    caption_step = ctx.here.caption_step(ctx)
    if caption and caption.strip() and caption_step is not None:
        answer = s.answers.setdefault(caption_step, Answer())
        answer.parts.append(AnswerPart(text=clean_answer(caption)))
    ctx.say(
        ctx.n_(
            "{count} vedlegg mottatt: {names}", "{count} vedlegg mottatt: {names}", len(accepted)
        ).format(count=len(accepted), names=", ".join(a.file_name for a in accepted))
    )
    ctx.here.after_documents(ctx)


def _personal_data_note(ctx: Ctx, attachment: Attachment) -> str:
    return ctx._(
        "«{name}» ser ut til å inneholde personopplysninger: {found}. "
        "Innspill blir offentlige, så andre kan lese dette."
    ).format(name=attachment.file_name, found=", ".join(attachment.personal_data[:5]))
