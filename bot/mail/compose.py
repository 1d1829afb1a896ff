"""Build the e-mails: the submission for the ministry and the receipt for the respondent.

Pure functions, no I/O. Both mails are rendered from one intermediate document, so the plain
text and the HTML alternative always say the same thing. The ministry's mail is always in
bokmål; the receipt is in the respondent's language. Only our own texts, the consultation's
subject and cleaned display names reach a header; everything a person typed stays in bodies.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime as rfc5322_datetime

from bot.engine.submission import Submission, SubmissionAnswer
from bot.i18n import N_, OSLO, format_date, format_datetime, format_size, gettext_for
from bot.mail.headers import (
    clean_file_name,
    clean_header_text,
    mailbox,
    require_header_safe,
    safe_address,
)

Translate = Callable[[str], str]
AttachmentData = tuple[str, str, bytes]
"""(file name, MIME type, bytes) of one stored document."""

REFERENCE_HEADER = "X-Innspill-Reference"

_LANGUAGE_NAMES = {"nb": N_("bokmål"), "nn": N_("nynorsk"), "en": N_("engelsk")}
_MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_MESSAGE_ID = re.compile(r"^<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>$")
_NOT_REFERENCE = re.compile(r"[^A-Za-z0-9-]")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")
_BODY_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BODY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_ADDRESS_SPECIALS = re.compile(r'[<>@:;,()\[\]\\"]')


# --- Message-ID -------------------------------------------------------------------------


def message_id_for(reference: str, kind: str, domain: str) -> str:
    """The fixed Message-ID of one outbox message, e.g. ``<SMB-ABCD-EFGH.ministry@example.no>``.

    It depends only on the submission and the kind of message, so a resend after a crash
    carries the same id and the recipient's system can recognise it as the same mail.
    """
    ref = _NOT_REFERENCE.sub("", reference)
    kind_part = _NOT_REFERENCE.sub("", kind)
    host = domain.strip().lower()
    if not ref or not kind_part or not _DOMAIN.match(host):
        raise ValueError(f"cannot build a Message-ID from {reference!r}, {kind!r}, {domain!r}")
    return f"<{ref}.{kind_part}@{host}>"


# --- The document both mails are rendered from ----------------------------------------------


@dataclass(frozen=True)
class _Field:
    label: str
    value: str


@dataclass(frozen=True)
class _Answer:
    heading: str
    original: _Field | None
    text: str | None
    placeholder: str


@dataclass(frozen=True)
class _Section:
    title: str
    fields: tuple[_Field, ...] = ()
    items: tuple[str, ...] = ()
    answers: tuple[_Answer, ...] = ()


@dataclass(frozen=True)
class _Document:
    lang: str
    title: str
    intro: tuple[str, ...] = ()
    lead: tuple[_Field, ...] = ()
    sections: tuple[_Section, ...] = ()
    outro: tuple[str, ...] = field(default=())


def clean_body_text(value: str) -> str:
    """Normalise line breaks to newlines and drop control characters; keep everything else."""
    text = _BODY_BREAKS.sub("\n", value)
    return _BODY_CONTROLS.sub("", text).replace("\t", "    ").strip()


def _one_line(value: str) -> str:
    """A value shown on a ``Label: value`` line (names, organisation, …)."""
    return " ".join(clean_body_text(value).split())


def _respondent_section(sub: Submission, lang: str, _: Translate) -> _Section:
    person = sub.respondent
    fields = [
        _Field(_("Type"), _one_line(person.type_label)),
        _Field(_("Navn"), _one_line(person.name)),
    ]
    if person.organisation:
        fields.append(_Field(_("Organisasjon"), _one_line(person.organisation)))
    if person.org_number:
        fields.append(_Field(_("Organisasjonsnummer"), _one_line(person.org_number)))
    if person.board_approved:
        fields.append(_Field(_("Vedtatt av styret"), format_date(person.board_approved, lang)))
    if person.municipality_name or person.municipality_number:
        place = _one_line(person.municipality_name or "")
        if person.municipality_number:
            number = _one_line(person.municipality_number)
            place = f"{place} ({number})" if place else number
        if person.county:
            place = f"{place}, {_one_line(person.county)}"
        fields.append(_Field(_("Kommune"), place))
    if person.email:
        fields.append(_Field(_("E-post"), _one_line(person.email)))
    return _Section(_("Innsender"), fields=tuple(fields))


def _answer(item: SubmissionAnswer, _: Translate, number: int, *, for_staff: bool) -> _Answer:
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
                _Field(_("Stilt i boten som"), asked)
                if for_staff
                else _Field(_("Departementets ordlyd"), original)
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
    return _Answer(heading=heading, original=note, text=text or None, placeholder=placeholder)


def _answers(sub: Submission, _: Translate, *, for_staff: bool) -> tuple[_Answer, ...]:
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
) -> tuple[_Section, ...]:
    themes = tuple(_one_line(t) for t in sub.themes) or (_("Ingen tema valgt"),)
    sections = [
        _respondent_section(sub, lang, _),
        _Section(_("Valgte tema"), items=themes),
        _Section(_("Svar"), answers=_answers(sub, _, for_staff=for_staff)),
    ]
    if attachment_lines:
        sections.append(_Section(_("Vedlegg"), items=tuple(attachment_lines)))
    return tuple(sections)


def _lead(sub: Submission, lang: str, _: Translate) -> list[_Field]:
    return [
        _Field(_("Saksnummer"), _one_line(sub.case_number)),
        _Field(_("Referanse"), _one_line(sub.reference)),
        _Field(_("Mottatt"), format_datetime(_aware(sub.received_at), lang)),
        _Field(_("Språk"), _(_LANGUAGE_NAMES.get(sub.language, sub.language))),
    ]


# --- Rendering ------------------------------------------------------------------------------


def _underline(text: str, char: str) -> str:
    return char * min(len(text), 78)


def render_text(doc: _Document) -> str:
    """The plain-text body: short labelled lines, upper-case section titles."""
    lines = [doc.title, _underline(doc.title, "="), ""]
    for paragraph in doc.intro:
        lines += [paragraph, ""]
    lines += [f"{f.label}: {f.value}" for f in doc.lead]
    for section in doc.sections:
        while lines and not lines[-1]:
            lines.pop()
        lines += ["", "", section.title.upper(), ""]
        lines += [f"{f.label}: {f.value}" for f in section.fields]
        lines += [f"- {item}" for item in section.items]
        for answer in section.answers:
            lines += [answer.heading, _underline(answer.heading, "-")]
            if answer.original:
                lines.append(f"{answer.original.label}: {answer.original.value}")
                lines.append("")
            lines += [answer.text or answer.placeholder, ""]
    while lines and not lines[-1]:
        lines.pop()
    for paragraph in doc.outro:
        lines += ["", paragraph]
    return "\n".join(lines).rstrip() + "\n"


def _html_paragraphs(text: str) -> str:
    parts = [p.strip() for p in _PARAGRAPHS.split(text) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>\n" for p in parts)


def _html_fields(fields: Sequence[_Field]) -> str:
    rows = "".join(
        f"<dt>{html.escape(f.label)}</dt><dd>{html.escape(f.value)}</dd>\n" for f in fields
    )
    return f"<dl>\n{rows}</dl>\n"


def render_html(doc: _Document) -> str:
    """The HTML alternative: the same content, every value escaped, no external resources."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>\n",
        f'<html lang="{esc(doc.lang)}">\n<head>\n<meta charset="utf-8">\n',
        f"<title>{esc(doc.title)}</title>\n</head>\n<body>\n",
        f"<h1>{esc(doc.title)}</h1>\n",
    ]
    out += [f"<p>{esc(p)}</p>\n" for p in doc.intro]
    if doc.lead:
        out.append(_html_fields(doc.lead))
    for section in doc.sections:
        out.append(f"<h2>{esc(section.title)}</h2>\n")
        if section.fields:
            out.append(_html_fields(section.fields))
        if section.items:
            out.append(
                "<ul>\n" + "".join(f"<li>{esc(i)}</li>\n" for i in section.items) + "</ul>\n"
            )
        for answer in section.answers:
            out.append(f"<h3>{esc(answer.heading)}</h3>\n")
            if answer.original:
                out.append(
                    f"<p><small>{esc(answer.original.label)}: "
                    f"<q>{esc(answer.original.value)}</q></small></p>\n"
                )
            if answer.text:
                out.append(_html_paragraphs(answer.text))
            else:
                out.append(f"<p><em>{esc(answer.placeholder)}</em></p>\n")
    out += [f"<p><small>{esc(p)}</small></p>\n" for p in doc.outro]
    out.append("</body>\n</html>\n")
    return "".join(out)


# --- Messages -------------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _display_name(value: str) -> str:
    """A person's name for the Reply-To header: one line, no address syntax at all."""
    plain = _ADDRESS_SPECIALS.sub(" ", clean_header_text(value, max_length=200))
    return clean_header_text(plain, max_length=78)


def _mime_type(value: str) -> tuple[str, str]:
    """A MIME type we can put in a header; anything odd becomes application/octet-stream."""
    candidate = value.strip().lower()
    if _MIME_TYPE.match(candidate):
        maintype, subtype = candidate.split("/", 1)
        if maintype not in {"multipart", "message"}:
            return maintype, subtype
    return "application", "octet-stream"


def _base_message(
    *, mail_from: str, to: str, subject: str, message_id: str, sub: Submission
) -> EmailMessage:
    recipient = safe_address(to)
    if recipient is None:
        raise ValueError("the recipient is not a valid e-mail address")
    if not _MESSAGE_ID.match(message_id):
        raise ValueError(f"not a valid Message-ID: {message_id!r}")
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = mailbox(mail_from)
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = rfc5322_datetime(_aware(sub.received_at).astimezone(OSLO))
    message["Message-ID"] = message_id
    message[REFERENCE_HEADER] = clean_header_text(_NOT_REFERENCE.sub("", sub.reference))
    return message


def _set_bodies(message: EmailMessage, doc: _Document) -> None:
    message.set_content(render_text(doc), cte="quoted-printable")
    message.add_alternative(render_html(doc), subtype="html", cte="quoted-printable")


def json_file_name(reference: str) -> str:
    """The name of the machine-readable copy attached to the ministry's mail."""
    return clean_file_name(f"innspill-{_NOT_REFERENCE.sub('', reference)}.json")


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
        name = _display_name(sub.respondent.name)
        message["Reply-To"] = Address(display_name=name, username=username, domain=domain)

    files = [(clean_file_name(name), _mime_type(mime), data) for name, mime, data in attachments]
    json_name = json_file_name(sub.reference)
    lines = [
        f"{name} ({'/'.join(mime)}, {format_size(len(data), 'nb')})" for name, mime, data in files
    ]
    lines += [
        _("{name} (mangler i lageret, ikke vedlagt)").format(name=clean_file_name(name))
        for name in missing
    ]
    lines.append(_("{name} (maskinlesbar kopi av innspillet)").format(name=json_name))
    doc = _Document(
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
    doc = _Document(
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
            _Field(_("Gjelder"), _one_line(sub.title)),
            _Field(_("Sendt til"), sent_to),
            *_lead(sub, lang, _),
        ),
        sections=_content_sections(sub, lang, _, lines, for_staff=False),
        outro=(_("Denne e-posten er sendt automatisk fordi du ba om en kvittering."),),
    )
    _set_bodies(message, doc)
    return message
