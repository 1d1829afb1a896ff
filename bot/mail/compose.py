"""Build the e-mails: the submission for the ministry and the receipt for the respondent.

Pure functions, no I/O. Both mails are rendered from one intermediate document, so the plain
text and the HTML alternative always say the same thing. The ministry's mail is always in
bokmål; the receipt is in the respondent's language. Only our own texts, the consultation's
subject and cleaned display names reach a header; everything a person typed stays in bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime as rfc5322_datetime

from bot.clock import OSLO
from bot.engine.submission import Submission, SubmissionAnswer
from bot.i18n import N_, format_date, format_datetime, format_size, gettext_for
from bot.mail.document import Answer, Document, Field, Section, render_html, render_text
from bot.mail.headers import (
    clean_file_name,
    clean_header_text,
    display_name,
    mailbox,
    mime_type,
    reference_token,
    require_header_safe,
    require_message_id,
    safe_address,
)

Translate = Callable[[str], str]
AttachmentData = tuple[str, str, bytes]
"""(file name, MIME type, bytes) of one stored document."""

REFERENCE_HEADER = "X-Innspill-Reference"

_LANGUAGE_NAMES = {"nb": N_("bokmål"), "nn": N_("nynorsk"), "en": N_("engelsk")}
_BODY_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BODY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean_body_text(value: str) -> str:
    """Normalise line breaks to newlines and drop control characters; keep everything else."""
    text = _BODY_BREAKS.sub("\n", value)
    return _BODY_CONTROLS.sub("", text).replace("\t", "    ").strip()


def _one_line(value: str) -> str:
    """A value shown on a ``Label: value`` line (names, organisation, …)."""
    return " ".join(clean_body_text(value).split())


def _respondent_section(sub: Submission, lang: str, _: Translate) -> Section:
    person = sub.respondent
    fields = [
        Field(_("Type"), _one_line(person.type_label)),
        Field(_("Navn"), _one_line(person.name)),
    ]
    if person.organisation:
        fields.append(Field(_("Organisasjon"), _one_line(person.organisation)))
    if person.org_number:
        fields.append(Field(_("Organisasjonsnummer"), _one_line(person.org_number)))
    if person.board_approved:
        fields.append(Field(_("Vedtatt av styret"), format_date(person.board_approved, lang)))
    if person.municipality_name or person.municipality_number:
        place = _one_line(person.municipality_name or "")
        if person.municipality_number:
            number = _one_line(person.municipality_number)
            place = f"{place} ({number})" if place else number
        if person.county:
            place = f"{place}, {_one_line(person.county)}"
        fields.append(Field(_("Kommune"), place))
    if person.email:
        fields.append(Field(_("E-post"), _one_line(person.email)))
    return Section(_("Innsender"), fields=tuple(fields))


def _answer(item: SubmissionAnswer, _: Translate, number: int, *, for_staff: bool) -> Answer:
    """One theme or question with its answer.

    Staff compare answers with their own questions, so their copy leads with the ministry's
    wording and shows the plain version the person saw under it; the person's receipt does
    the opposite.
    """
    asked = _one_line(item.heading)
    original = _one_line(item.original) if item.original else None
    note = None
    if item.kind == "theme":
        heading = _("Tema: {heading}").format(heading=asked)
    elif item.kind == "question":
        shown = original if for_staff and original else asked
        heading = _("Spørsmål {number}: {heading}").format(number=number, heading=shown)
        if original and original != asked:
            note = (
                Field(_("Stilt i boten som"), asked)
                if for_staff
                else Field(_("Departementets ordlyd"), original)
            )
    elif item.kind == "free_text":
        heading = _("Innspill")  # stored in bokmål; the receipt says it in the person's language
    else:
        heading = asked
    text = clean_body_text(item.answer) if item.answer else None
    if item.skipped:
        placeholder = _("Ikke besvart (hoppet over)")
    elif item.kind == "theme":
        placeholder = _("Ikke valgt")
    else:
        placeholder = _("Ikke besvart")
    return Answer(heading=heading, original=note, text=text or None, placeholder=placeholder)


def _answers(sub: Submission, _: Translate, *, for_staff: bool) -> tuple[Answer, ...]:
    numbers: dict[str, int] = {}
    for item in sub.answers:
        if item.kind == "question":
            numbers[item.key] = len(numbers) + 1
    return tuple(
        _answer(item, _, numbers.get(item.key, 0), for_staff=for_staff) for item in sub.answers
    )


def _content_sections(
    sub: Submission,
    lang: str,
    _: Translate,
    attachment_lines: Sequence[str],
    *,
    for_staff: bool,
) -> tuple[Section, ...]:
    themes = tuple(_one_line(t) for t in sub.themes) or (_("Ingen tema valgt"),)
    sections = [
        _respondent_section(sub, lang, _),
        Section(_("Valgte tema"), items=themes),
        Section(_("Svar"), answers=_answers(sub, _, for_staff=for_staff)),
    ]
    if attachment_lines:
        sections.append(Section(_("Vedlegg"), items=tuple(attachment_lines)))
    return tuple(sections)


def _lead(sub: Submission, lang: str, _: Translate) -> list[Field]:
    return [
        Field(_("Saksnummer"), _one_line(sub.case_number)),
        Field(_("Referanse"), _one_line(sub.reference)),
        Field(_("Mottatt"), format_datetime(_aware(sub.received_at), lang)),
        Field(_("Språk"), _(_LANGUAGE_NAMES.get(sub.language, sub.language))),
    ]


# --- Messages -------------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _base_message(
    *, mail_from: str, to: str, subject: str, message_id: str, sub: Submission
) -> EmailMessage:
    recipient = safe_address(to)
    if recipient is None:
        raise ValueError("the recipient is not a valid e-mail address")
    require_message_id(message_id)
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = mailbox(mail_from)
    message["To"] = recipient
    message["Subject"] = subject
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
    _ = gettext_for("nb").gettext
    subject = require_header_safe(sub.subject, "the consultation's subject")
    message = _base_message(
        mail_from=mail_from, to=to, subject=subject, message_id=message_id, sub=sub
    )
    reply_to = safe_address(sub.respondent.email)
    if reply_to:
        username, _at, domain = reply_to.rpartition("@")
        name = display_name(sub.respondent.name)
        message["Reply-To"] = Address(display_name=name, username=username, domain=domain)

    files = [(clean_file_name(name), mime_type(mime), data) for name, mime, data in attachments]
    json_name = json_file_name(sub.reference)
    lines = [
        f"{name} ({'/'.join(mime)}, {format_size(len(data), 'nb')})" for name, mime, data in files
    ]
    lines += [
        _("{name} (mangler i lageret, ikke vedlagt)").format(name=clean_file_name(name))
        for name in missing
    ]
    lines.append(_("{name} (maskinlesbar kopi av innspillet)").format(name=json_name))
    doc = Document(
        lang="nb",
        title=_one_line(sub.title),
        lead=tuple(_lead(sub, "nb", _)),
        sections=_content_sections(sub, "nb", _, lines, for_staff=True),
    )
    _set_bodies(message, doc)
    for name, (maintype, subtype), data in files:
        message.add_attachment(data, maintype, subtype, filename=name)
    message.add_attachment(
        sub.model_dump_json(indent=2).encode("utf-8"), "application", "json", filename=json_name
    )
    return message


def compose_receipt(
    sub: Submission,
    *,
    mail_from: str,
    to: str,
    message_id: str,
    ministry_recipient: str | None = None,
) -> EmailMessage:
    """The respondent's receipt, in their language: what was sent, where, and the reference.

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
    reference = _one_line(sub.reference)
    sent_to = _one_line(ministry_recipient or sub.recipient)
    subject = clean_header_text(
        _("Kvittering: innspillet ditt er sendt ({reference})").format(reference=reference),
        max_length=200,
    )
    message = _base_message(
        mail_from=mail_from, to=to, subject=subject, message_id=message_id, sub=sub
    )
    message["Auto-Submitted"] = "auto-generated"
    lines = [
        f"{clean_file_name(a.file_name)} ({format_size(a.size, lang)})" for a in sub.attachments
    ]
    doc = Document(
        lang=lang,
        title=_("Kvittering for innspillet ditt"),
        intro=(
            _("Takk for innspillet ditt! Vi har sendt det til {recipient}.").format(
                recipient=sent_to
            ),
            _(
                "Referansenummeret ditt er {reference}. Oppgi det hvis du kontakter "
                "departementet om innspillet."
            ).format(reference=reference),
            _("Innspillet er et offentlig dokument og kan bli publisert."),
            _("Her er en kopi av det du sendte."),
        ),
        lead=(
            Field(_("Gjelder"), _one_line(sub.title)),
            Field(_("Sendt til"), sent_to),
            *_lead(sub, lang, _),
        ),
        sections=_content_sections(sub, lang, _, lines, for_staff=False),
        outro=(_("Denne e-posten er sendt automatisk fordi du ba om en kvittering."),),
    )
    _set_bodies(message, doc)
    return message
