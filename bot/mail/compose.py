"""Build the e-mails: the submission for the ministry and the receipt for the respondent.

Pure functions, no I/O. Both mails are rendered from one intermediate document, so the plain
text and the HTML alternative always say the same thing. The ministry's mail is always in
bokmål; the receipt is in the respondent's language. Who the submission is from goes into the
Subject and the From name only through :mod:`bot.mail.headers`; everything else a person typed
stays in the ministry's body, and none of it goes into the receipt.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime as rfc5322_datetime

from bot.consultation.deadline import LATE_LABEL, is_late
from bot.conversation.kinds import rendered
from bot.conversation.submission import Channel, Submission, SubmissionAnswer
from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.formats import format_date, format_datetime, format_size
from bot.i18n.languages import SOURCE, language
from bot.mail.body_text import clean_body_text, one_line
from bot.mail.headers import (
    clean_file_name,
    clean_header_text,
    display_name,
    mailbox,
    mime_type,
    reference_token,
    require_message_id,
    safe_address,
    sender_mailbox,
    set_header,
)
from bot.mail.layout import Answer, Document, Field, Section, render_html, render_text
from bot.mail.subject import inbox_subject, sender_of
from bot.ops.clock import OSLO

Translate = Callable[[str], str]
AttachmentData = tuple[str, str, bytes]
"""(file name, MIME type, bytes) of one stored document."""

REFERENCE_HEADER = "X-Innspill-Reference"

_LATE = N_("Mottatt etter fristen")
"""``bot.consultation.deadline.LATE_LABEL``, marked here so the receipt reads in every language."""
_CAME_IN: dict[str, str] = {
    Channel.TELEGRAM: N_("Dette innspillet kom inn via Telegram-boten innspill."),
    Channel.WEB: N_("Dette innspillet kom inn via nettsiden til innspill."),
    Channel.TERMINAL: N_("Dette innspillet kom inn via innspill i terminalen (en test)."),
}
"""The opening line: which channel the person used (staff may want to answer the same way)."""
_CAME_IN_SOMEHOW = N_("Dette innspillet kom inn via innspill.")


def _respondent_section(sub: Submission, lang: str, _: Translate) -> Section:
    person = sub.respondent
    fields = []
    if person.organisation:
        fields.append(Field(_("Organisasjon"), one_line(person.organisation)))
    fields.append(Field(_("Type"), one_line(person.type_label)))
    if person.name:
        label = _("Kontaktperson") if person.organisation else _("Navn")
        fields.append(Field(label, one_line(person.name)))
    if person.org_number:
        fields.append(Field(_("Organisasjonsnummer"), one_line(person.org_number)))
    if person.board_approved:
        fields.append(Field(_("Vedtatt av styret"), format_date(person.board_approved, lang)))
    if person.municipality_name or person.municipality_number:
        place = one_line(person.municipality_name or "")
        if person.municipality_number:
            number = one_line(person.municipality_number)
            place = f"{place} ({number})" if place else number
        if person.county:
            place = f"{place}, {one_line(person.county)}"
        fields.append(Field(_("Kommune"), place))
    if person.email:
        fields.append(Field(_("E-post"), one_line(person.email)))
    return Section(_("Innsender"), fields=tuple(fields))


def _answer(
    item: SubmissionAnswer, _: Translate, number: int, *, for_staff: bool, lang: str
) -> Answer:
    """One theme or question with its answer.

    Staff compare answers with their own questions, so their copy leads with the ministry's
    wording and shows, under it, the question as the person saw it: the plain bokmål version,
    or for nynorsk and English respondents the wording in their language, labelled so. The
    person's receipt does the opposite.
    """
    asked = one_line(item.heading)
    original = one_line(item.original) if item.original else None
    note = None
    if item.kind == "theme":
        heading = _("Tema: {heading}").format(heading=asked)
    elif item.kind == "question":
        shown = original if for_staff and original else asked
        heading = _("Spørsmål {number}: {heading}").format(number=number, heading=shown)
        if for_staff and item.shown and language(lang).asked_in:
            note = Field(_(language(lang).asked_in), one_line(item.shown))
        elif original and original != asked:
            note = (
                Field(_("Stilt i boten som"), asked)
                if for_staff
                else Field(_("Departementets ordlyd"), original)
            )
    elif item.kind == "free_text":
        heading = _("Innspill")  # stored in bokmål; the receipt says it in the person's language
    else:
        heading = asked
    value = rendered(item)  # the question's kind says how its answer reads
    text = clean_body_text(value) if value else None
    if item.skipped:
        placeholder = _("Hoppet over")
    elif item.kind == "theme":
        placeholder = _("Ikke valgt")
    else:
        placeholder = _("Ikke besvart")
    return Answer(heading=heading, original=note, text=text or None, placeholder=placeholder)


def _answers(sub: Submission, _: Translate, *, for_staff: bool) -> tuple[Answer, ...]:
    """Every theme and question in the consultation's order: answered, skipped or not reached."""
    numbers: dict[str, int] = {}
    for item in sub.answers:
        if item.kind == "question":
            numbers[item.key] = len(numbers) + 1
    return tuple(
        _answer(item, _, numbers.get(item.key, 0), for_staff=for_staff, lang=sub.language)
        for item in sub.answers
    )


def _content_sections(
    sub: Submission,
    lang: str,
    _: Translate,
    attachment_lines: Sequence[str],
    *,
    for_staff: bool,
) -> tuple[Section, ...]:
    themes = tuple(one_line(t) for t in sub.themes) or (_("Ingen tema valgt"),)
    sections = [
        _respondent_section(sub, lang, _),
        Section(_("Valgte tema"), items=themes),
        Section(_("Svar"), answers=_answers(sub, _, for_staff=for_staff)),
    ]
    if attachment_lines:
        sections.append(Section(_("Vedlegg"), items=tuple(attachment_lines)))
    return tuple(sections)


def is_late_submission(sub: Submission) -> bool:
    """Received after the consultation's deadline day (Europe/Oslo).

    See ``bot.consultation.deadline``.
    """
    return sub.deadline is not None and is_late(_aware(sub.received_at), sub.deadline)


def _lead(sub: Submission, lang: str, _: Translate) -> list[Field]:
    received = format_datetime(_aware(sub.received_at), lang)
    if is_late_submission(sub) and sub.deadline is not None:
        received += " – " + _("{late} ({deadline})").format(
            late=_(_LATE),
            deadline=_("fristen var {date}").format(date=format_date(sub.deadline, lang)),
        )
    return [
        Field(_("Saksnummer"), one_line(sub.case_number)),
        Field(_("Referanse"), one_line(sub.reference)),
        Field(_("Mottatt"), received),
        Field(_("Språk"), _(language(sub.language).norwegian_name)),
    ]


def _opening(sub: Submission, _: Translate) -> tuple[str, ...]:
    """How the input came in and where a reply goes, before anything else."""
    lines = [_(_CAME_IN.get(sub.channel or "", _CAME_IN_SOMEHOW))]
    address = safe_address(sub.respondent.email)
    if address:
        lines.append(
            _("Svar på denne e-posten går til innsenderen ({address}).").format(address=address)
        )
    else:
        lines.append(
            _("Innsenderen oppga ingen e-postadresse. Svar på denne e-posten når ikke fram.")
        )
    return tuple(lines)  # a late submission is marked once, in the «Mottatt» field below


# --- Messages -------------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _base_message(
    *,
    mail_from: str | Address,
    to: str,
    subject: str,
    message_id: str,
    sub: Submission,
) -> EmailMessage:
    recipient = safe_address(to)
    if recipient is None:
        raise ValueError("the recipient is not a valid e-mail address")
    require_message_id(message_id)
    message = EmailMessage(policy=policy.SMTP)
    set_header(message, "From", mailbox(mail_from) if isinstance(mail_from, str) else mail_from)
    message["To"] = recipient
    set_header(message, "Subject", subject)
    message["Date"] = rfc5322_datetime(_aware(sub.received_at).astimezone(OSLO))
    message["Message-ID"] = message_id
    message[REFERENCE_HEADER] = clean_header_text(reference_token(sub.reference))
    return message


def _set_bodies(message: EmailMessage, doc: Document) -> None:
    message.set_content(render_text(doc), cte="quoted-printable")
    message.add_alternative(render_html(doc), subtype="html", cte="quoted-printable")


def json_file_name(reference: str) -> str:
    """The name of the machine-readable copy attached to the ministry's mail."""
    return clean_file_name(f"innspill-{reference_token(reference)}.json")


def compose_ministry_message(
    sub: Submission,
    attachments: Sequence[AttachmentData],
    *,
    mail_from: str,
    to: str,
    message_id: str,
    missing: Sequence[str] = (),
) -> EmailMessage:
    """The submission as the ministry's staff receive it (always bokmål).

    Args:
        sub: The stored submission.
        attachments: The documents to attach, as (file name, MIME type, bytes).
        mail_from: Our sender mailbox (``MAIL_FROM``).
        to: The consultation's recipient, or ``RECIPIENT_OVERRIDE``.
        message_id: The row's fixed Message-ID (see :func:`message_id_for`).
        missing: Names of documents that could not be read from storage; listed, not attached.

    Raises:
        ValueError: An address, the subject or the Message-ID cannot be used.
    """
    _ = gettext_for(SOURCE).gettext
    message = _base_message(
        mail_from=sender_mailbox(mail_from, sender_of(sub, with_place=False)),
        to=to,
        subject=inbox_subject(sub),
        message_id=message_id,
        sub=sub,
    )
    reply_to = safe_address(sub.respondent.email)
    if reply_to:
        username, _at, domain = reply_to.rpartition("@")
        name = display_name(sub.respondent.name)
        respondent = Address(display_name=name, username=username, domain=domain)
        set_header(message, "Reply-To", respondent)

    files = [(clean_file_name(name), mime_type(mime), data) for name, mime, data in attachments]
    json_name = json_file_name(sub.reference)
    lines = [
        f"{name} ({'/'.join(mime)}, {format_size(len(data), SOURCE)})" for name, mime, data in files
    ]
    lines += [
        _("{name} (mangler i lageret, ikke vedlagt)").format(name=clean_file_name(name))
        for name in missing
    ]
    lines.append(_("{name} (maskinlesbar kopi av innspillet)").format(name=json_name))
    doc = Document(
        lang=SOURCE,
        title=one_line(sub.title),
        intro=_opening(sub, _),
        lead=tuple(_lead(sub, SOURCE, _)),
        sections=_content_sections(sub, SOURCE, _, lines, for_staff=True),
    )
    _set_bodies(message, doc)
    for name, (maintype, subtype), data in files:
        message.add_attachment(data, maintype, subtype, filename=name)
    message.add_attachment(json_copy(sub), "application", "json", filename=json_name)
    return message


def json_copy(sub: Submission) -> bytes:
    """The machine-readable copy: the stored submission plus the late mark staff filter on."""
    data = sub.model_dump(mode="json")
    late = is_late_submission(sub)
    data["late"] = late
    if late:
        data["late_label"] = LATE_LABEL
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def compose_receipt(
    sub: Submission,
    *,
    mail_from: str,
    to: str,
    message_id: str,
    ministry_recipient: str | None = None,
) -> EmailMessage:
    """The respondent's receipt, in their language: where it went, the reference, the themes.

    It carries nothing the person typed (no answers, names or file names): the address is not
    confirmed, so a receipt with their text in it would let anyone send our mail with their
    words to anyone. It is sent only after the ministry's server accepted the submission.

    Args:
        sub: The stored submission.
        mail_from: Our sender mailbox (``MAIL_FROM``).
        to: The respondent's address (or ``RECIPIENT_OVERRIDE`` in staging).
        message_id: The row's fixed Message-ID.
        ministry_recipient: Where the submission went; defaults to the consultation's recipient.

    Raises:
        ValueError: An address or the Message-ID cannot be used.
    """
    lang = sub.language
    _ = gettext_for(lang).gettext
    n_ = gettext_for(lang).ngettext
    reference = one_line(reference_token(sub.reference))
    sent_to = one_line(ministry_recipient or sub.recipient)
    subject = clean_header_text(
        _("Kvittering: innspillet ditt er sendt ({reference})").format(reference=reference),
        max_length=200,
    )
    message = _base_message(
        mail_from=mail_from, to=to, subject=subject, message_id=message_id, sub=sub
    )
    message["Auto-Submitted"] = "auto-generated"
    answered = sum(1 for a in sub.answers if a.answer)
    themes = tuple(one_line(t) for t in sub.themes) or (_("Ingen tema valgt"),)
    contents = [
        n_("{n} svar", "{n} svar", answered).format(n=answered),
        n_("{n} vedlegg", "{n} vedlegg", len(sub.attachments)).format(n=len(sub.attachments)),
    ]
    if sub.attachments:  # sizes, never file names: those were typed by the person
        total = sum(a.size for a in sub.attachments)
        contents[-1] += f" ({format_size(total, lang)})"
    doc = Document(
        lang=lang,
        title=_("Kvittering for innspillet ditt"),
        intro=(
            _("Takk for innspillet ditt! E-postserveren til {recipient} har tatt imot det.").format(
                recipient=sent_to
            ),
            _(
                "Referansenummeret ditt er {reference}. Oppgi det hvis du kontakter "
                "departementet om innspillet."
            ).format(reference=reference),
            _("Innspillet er et offentlig dokument og kan bli publisert."),
        ),
        lead=(
            Field(_("Gjelder"), one_line(sub.title)),
            Field(_("Sendt til"), sent_to),
            *_lead(sub, lang, _),
            Field(_("Type"), one_line(sub.respondent.type_label)),  # our label, not typed
        ),
        sections=(
            Section(_("Valgte tema"), items=themes),
            Section(_("Innhold"), items=tuple(contents)),
        ),
        outro=(
            _(
                "Denne e-posten er sendt automatisk fordi noen oppga denne adressen i "
                "innspill-boten. Den inneholder ikke teksten i innspillet."
            ),
        ),
    )
    _set_bodies(message, doc)
    return message
