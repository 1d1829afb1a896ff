"""The export as a table: columns in the consultation file's order and one row per submission.

CSV and XLSX both write this table, so they cannot disagree on order or on how an unanswered
question reads. Every value is text; writers only decide how to protect and format it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.consultation.deadline import is_late
from bot.consultation.model import Consultation, pick
from bot.conversation import flow
from bot.conversation.kinds import rendered
from bot.conversation.submission import CHANNEL_NAMES, Submission, SubmissionAnswer
from bot.i18n.languages import SOURCE, language_name
from bot.ops.clock import OSLO
from bot.staff.material import ERASED_LABEL, Material, material_of
from bot.storage.types import ErasedSubmission

SKIPPED = "hoppet over"
"""The person saw the question and chose to skip it."""
NOT_REACHED = "ikke besvart"
"""The person never got to the question (sent early, or took the quick path)."""
NOT_CHOSEN = "ikke valgt"
"""A theme the person did not choose."""

_FLOWS = {"guided": "veiledet", "quick": "rask"}
DOCUMENT_TEXT_COLUMN = "Tekst fra vedlegg"
GROUP_COLUMN = "Likhetsgruppe"

RESPONDENT_COLUMNS = (
    "Referanse",
    "Mottatt",
    "Mottatt etter fristen",
    GROUP_COLUMN,
    "Språk",
    "Måte",
    "Kanal",
    "Innsendertype",
    "Navn",
    "Organisasjon",
    "Organisasjonsnummer",
    "Styrevedtak",
    "Kommunenummer",
    "Kommune",
    "Fylke",
    "E-post",
    "Valgte tema",
    "Vedlegg",
    DOCUMENT_TEXT_COLUMN,
    "Innspill (ferdig tekst)",
)


@dataclass(frozen=True)
class AnswerColumn:
    """One theme or question, as a column and as a sheet of its own."""

    key: str
    kind: str
    title: str
    """The column heading, e.g. ``Spørsmål 2: Hva ...``."""
    short: str
    """A short name for a sheet tab, e.g. ``Spørsmål 2``."""


def answer_columns(c: Consultation, submissions: list[Submission]) -> list[AnswerColumn]:
    """Themes, then questions, in the file's order; then any that the file no longer has.

    The order does not depend on who answered first, so two exports line up column by column.
    """
    columns = [
        AnswerColumn(
            flow.theme_step(t.id), "theme", f"Tema: {pick(t.title, SOURCE)}", pick(t.title, SOURCE)
        )
        for t in c.themes
    ]
    for number, q in enumerate(c.questions, start=1):
        columns.append(
            AnswerColumn(
                flow.question_step(q.id),
                "question",
                f"Spørsmål {number}: {pick(q.text, SOURCE)}",
                f"Spørsmål {number}",
            )
        )
    known = {col.key for col in columns}
    for sub in submissions:
        for answer in sub.answers:
            if answer.kind != "free_text" and answer.key not in known:
                known.add(answer.key)
                label = "Tema" if answer.kind == "theme" else "Spørsmål"
                columns.append(
                    AnswerColumn(
                        answer.key, answer.kind, f"{label}: {answer.heading}", answer.heading
                    )
                )
    return columns


def answer_value(sub: Submission, column: AnswerColumn) -> str:
    """The answer's text, or which of "skipped", "never reached" or "not chosen" it was."""
    found = _answer(sub, column.key)
    if found is not None and (text := answer_text(found)):
        return text
    if found is not None and found.skipped:
        return SKIPPED
    if column.kind == "theme" and sub.flow == "guided" and found is None:
        return NOT_CHOSEN
    return NOT_REACHED


def answer_text(answer: SubmissionAnswer) -> str | None:
    """An answer as staff read it, or ``None`` when there is none.

    Every staff tool reads answers through this one function, so how an answer is rendered
    for staff is decided in one place: by the question's kind (:mod:`bot.conversation.kinds`).
    """
    return rendered(answer)


def answered(sub: Submission, key: str) -> str | None:
    """The answer the person gave for ``key``, as its question's kind renders it, if any."""
    found = _answer(sub, key)
    return answer_text(found) if found is not None else None


def quick_text(sub: Submission) -> str | None:
    """The quick path's pasted text, if any."""
    return answered(sub, flow.QUICK)


def _answer(sub: Submission, key: str) -> SubmissionAnswer | None:
    return next((a for a in sub.answers if a.key == key), None)


RECEIVED_FORMAT = "%Y-%m-%d %H:%M"


def received_text(received_at: datetime) -> str:
    """When it was received, in Norwegian time, sortable as text (:data:`RECEIVED_FORMAT`)."""
    return received_at.astimezone(OSLO).strftime(RECEIVED_FORMAT)


def late_text(received_at: datetime, c: Consultation) -> str:
    """``ja`` or ``nei``."""
    return "ja" if is_late(received_at, c.deadline) else "nei"


def channel_name(channel: str | None) -> str:
    """How the submission came in, as staff read it (``Telegram``); empty when unknown."""
    return CHANNEL_NAMES.get(channel, channel) if channel else ""


def documents_text(sub: Submission, m: Material) -> str:
    """Each document's kept text under its name, for the export's column."""
    parts = []
    for attachment in sub.attachments:
        text = m.document_text(attachment)
        if text is not None:
            parts.append(f"Fra vedlegget {attachment.file_name}:\n{text}")
        elif (note := document_note(m, attachment.id)) is not None:
            parts.append(f"Fra vedlegget {attachment.file_name}: {note}")
    return "\n\n".join(parts)


def document_note(m: Material, attachment_id: str) -> str | None:
    """Why a document shows no text, or that its text is cut (``None``: nothing to say)."""
    stored = m.documents.get(attachment_id)
    state = stored.text_state if stored is not None else None
    return _DOCUMENT_NOTES.get(state) if stored is not None else None


_DOCUMENT_NOTES = {
    "cut": "(teksten er forkortet: bare de første 200 000 tegnene eller 100 sidene ble lest;"
    " hele dokumentet er i e-posten)",
    "empty": "(ingen tekst å hente ut: dokumentet ser ut til å være skannet eller bare bilder;"
    " les det i e-posten)",
    "unreadable": "(teksten kunne ikke leses; les dokumentet i e-posten)",
    None: "(teksten ble ikke tatt vare på: dokumentet kom før denne versjonen; les det i e-posten)",
}


def respondent_values(sub: Submission, c: Consultation, m: Material) -> list[str]:
    """The values of :data:`RESPONDENT_COLUMNS` for one submission."""
    r = sub.respondent
    group = m.likeness.group_of(sub)
    return [
        sub.reference,
        received_text(sub.received_at),
        late_text(sub.received_at, c),
        group.label if group else "",
        language_name(sub.language),
        _FLOWS.get(sub.flow, sub.flow),
        channel_text(sub, m),
        r.type_label,
        r.name,
        r.organisation or "",
        r.org_number or "",
        r.board_approved.isoformat() if r.board_approved else "",
        r.municipality_number or "",
        r.municipality_name or "",
        r.county or "",
        r.email or "",
        "; ".join(sub.themes),
        "; ".join(a.file_name for a in sub.attachments),
        documents_text(sub, m),
        quick_text(sub) or ("" if sub.flow == "guided" else "(bare vedlegg)"),
    ]


def erased_values(erased: ErasedSubmission, c: Consultation) -> list[str]:
    """A row of :data:`RESPONDENT_COLUMNS` for a deleted submission: when, how, and no more."""
    values = dict.fromkeys(RESPONDENT_COLUMNS, "")
    values.update(
        {
            "Referanse": erased.reference,
            "Mottatt": received_text(erased.received_at),
            "Mottatt etter fristen": late_text(erased.received_at, c),
            "Kanal": channel_name(erased.channel),
            "Innsendertype": ERASED_LABEL,
        }
    )
    return list(values.values())


def channel_text(sub: Submission, m: Material | None = None) -> str:
    """How it came in: ``Telegram``, ``nettsiden`` or ``terminalen`` (empty if unknown)."""
    stored = m.channels.get(sub.reference) if m is not None else None
    return channel_name(sub.channel or stored)


def who(sub: Submission) -> str:
    """How staff name a sender: a person by name, an organisation with its contact person.

    Input to a ministry is public, the name included (the notice says so at the start).
    """
    r = sub.respondent
    if r.organisation:
        return f"{r.organisation} (kontaktperson {r.name})" if r.name else r.organisation
    return r.name or r.type_label


@dataclass(frozen=True)
class Table:
    """The whole export: a header and one row of text per submission."""

    header: list[str]
    rows: list[list[str]]
    columns: list[AnswerColumn]


def submissions_table(c: Consultation, source: Material | Sequence[Submission]) -> Table:
    """One row per submission, one column per respondent field, theme and question.

    A delivered submission its sender deleted keeps a row, in the order received, with its
    reference, time and channel (see :func:`erased_values`), so the count matches the mailbox.
    """
    m = material_of(source)
    columns = answer_columns(c, m.submissions)
    header = list(RESPONDENT_COLUMNS) + [col.title for col in columns]
    timed = [
        (
            sub.received_at,
            respondent_values(sub, c, m) + [answer_value(sub, col) for col in columns],
        )
        for sub in m.submissions
    ]
    timed += [(e.received_at, erased_values(e, c) + [""] * len(columns)) for e in m.erased]
    timed.sort(key=lambda item: (item[0], item[1][0]))
    return Table(header=header, rows=[row for _, row in timed], columns=columns)


ANSWER_SHEET_COLUMNS = (
    "Referanse",
    "Mottatt",
    "Mottatt etter fristen",
    "Fra",
    "Innsendertype",
    "Navn",
    "Kommunenummer",
    "Kommune",
    "Fylke",
    "Svar",
)


def answer_rows(c: Consultation, submissions: Sequence[Submission], key: str) -> list[list[str]]:
    """Every answer given to one theme or question, with who gave it."""
    rows = []
    for sub in submissions:
        text = answered(sub, key)
        if text is None:
            continue
        r = sub.respondent
        rows.append(
            [
                sub.reference,
                received_text(sub.received_at),
                late_text(sub.received_at, c),
                who(sub),
                r.type_label,
                r.name,
                r.municipality_number or "",
                r.municipality_name or "",
                r.county or "",
                text,
            ]
        )
    return rows
