"""The export as a table: columns in the consultation file's order and one row per submission.

CSV and XLSX both write this table, so they cannot disagree on order or on how an unanswered
question reads. Every value is text; writers only decide how to protect and format it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.consultation.deadline import is_late
from bot.consultation.model import Consultation, pick
from bot.conversation import flow
from bot.conversation.submission import CHANNEL_NAMES, Submission, SubmissionAnswer
from bot.ops.clock import OSLO

SKIPPED = "hoppet over"
"""The person saw the question and chose to skip it."""
NOT_REACHED = "ikke besvart"
"""The person never got to the question (sent early, or took the quick path)."""
NOT_CHOSEN = "ikke valgt"
"""A theme the person did not choose."""

_FLOWS = {"guided": "veiledet", "quick": "rask"}
_LANGUAGES = {"nb": "bokmål", "nn": "nynorsk", "en": "engelsk"}

RESPONDENT_COLUMNS = (
    "Referanse",
    "Mottatt",
    "Mottatt etter fristen",
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
            flow.theme_step(t.id), "theme", f"Tema: {pick(t.title, 'nb')}", pick(t.title, "nb")
        )
        for t in c.themes
    ]
    for number, q in enumerate(c.questions, start=1):
        columns.append(
            AnswerColumn(
                flow.question_step(q.id),
                "question",
                f"Spørsmål {number}: {pick(q.text, 'nb')}",
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
    if found is not None and found.answer:
        return found.answer
    if found is not None and found.skipped:
        return SKIPPED
    if column.kind == "theme" and sub.flow == "guided" and found is None:
        return NOT_CHOSEN
    return NOT_REACHED


def answered(sub: Submission, key: str) -> str | None:
    """The text the person gave for ``key``, if any."""
    found = _answer(sub, key)
    return found.answer if found is not None and found.answer else None


def quick_text(sub: Submission) -> str | None:
    """The quick path's pasted text, if any."""
    return answered(sub, flow.QUICK)


def _answer(sub: Submission, key: str) -> SubmissionAnswer | None:
    return next((a for a in sub.answers if a.key == key), None)


def received_text(sub: Submission) -> str:
    """When it was received, in Norwegian time, sortable as text."""
    return sub.received_at.astimezone(OSLO).strftime("%Y-%m-%d %H:%M")


def late_text(sub: Submission, c: Consultation) -> str:
    """``ja`` or ``nei``."""
    return "ja" if is_late(sub.received_at, c.deadline) else "nei"


def respondent_values(sub: Submission, c: Consultation) -> list[str]:
    """The values of :data:`RESPONDENT_COLUMNS` for one submission."""
    r = sub.respondent
    return [
        sub.reference,
        received_text(sub),
        late_text(sub, c),
        _LANGUAGES.get(sub.language, sub.language),
        _FLOWS.get(sub.flow, sub.flow),
        channel_text(sub),
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
        quick_text(sub) or ("" if sub.flow == "guided" else "(bare vedlegg)"),
    ]


def channel_text(sub: Submission) -> str:
    """How it came in: ``Telegram``, ``nettsiden`` or ``terminalen`` (empty if unknown)."""
    return CHANNEL_NAMES.get(sub.channel, "") if sub.channel else ""


def who(sub: Submission) -> str:
    """The organisation, or ``privatperson``: how the compilation and theme sheets name people."""
    r = sub.respondent
    if r.organisation:
        return r.organisation
    return r.type_label.lower() if r.type_label else "privatperson"


@dataclass(frozen=True)
class Table:
    """The whole export: a header and one row of text per submission."""

    header: list[str]
    rows: list[list[str]]
    columns: list[AnswerColumn]


def submissions_table(c: Consultation, submissions: list[Submission]) -> Table:
    """One row per submission, one column per respondent field, theme and question."""
    columns = answer_columns(c, submissions)
    header = list(RESPONDENT_COLUMNS) + [col.title for col in columns]
    rows = [
        respondent_values(sub, c) + [answer_value(sub, col) for col in columns]
        for sub in submissions
    ]
    return Table(header=header, rows=rows, columns=columns)


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


def answer_rows(c: Consultation, submissions: list[Submission], key: str) -> list[list[str]]:
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
                received_text(sub),
                late_text(sub, c),
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
