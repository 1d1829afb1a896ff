"""The per-theme compilation's content, independent of Word or HTML.

Strategy writers read every answer to one theme or question in one place, each with who gave it.
Both renderers (:mod:`bot.staff.compile_docx`, :mod:`bot.staff.compile_html`) walk this.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.consultation.deadline import LATE_LABEL, is_late
from bot.consultation.model import Consultation, Text, pick
from bot.conversation import flow
from bot.conversation.submission import Submission
from bot.ops.clock import OSLO
from bot.staff.table import answer_columns, answered, channel_text, quick_text, who

QUICK_HEADING = "Innspill som ferdig tekst"
_LANGUAGES = {"nb": "bokmål", "nn": "nynorsk", "en": "engelsk"}
_MONTHS = (
    *("januar", "februar", "mars", "april", "mai", "juni"),
    *("juli", "august", "september", "oktober", "november", "desember"),
)


@dataclass(frozen=True)
class Entry:
    """One submission's text under a heading, and who wrote it."""

    byline: str
    text: str


@dataclass(frozen=True)
class Section:
    """A theme or question (level 2) or a group of them (level 1)."""

    title: str
    level: int
    note: str | None = None
    entries: list[Entry] = field(default_factory=list)
    empty: str | None = "Ingen svar."
    """What to print when there are no entries (``None`` for a group heading)."""
    see_also: str | None = None
    """Ready texts tagged with this theme, which are printed once under their own heading."""


@dataclass(frozen=True)
class Compilation:
    """The cover page and the sections, in reading order."""

    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    counts: list[tuple[str, list[tuple[str, int]]]]
    sections: list[Section]


def norwegian_date(value: date | datetime) -> str:
    """``1. mars 2021`` for a date or datetime (datetimes in Oslo time)."""
    if isinstance(value, datetime):
        value = value.astimezone(OSLO).date()
    return f"{value.day}. {_MONTHS[value.month - 1]} {value.year}"


def byline(sub: Submission, c: Consultation) -> str:
    """Who, where, reference and late mark: ``Harstad Byforening – Harstad (Troms) – SMB-…``."""
    r = sub.respondent
    parts = [who(sub)]
    if r.municipality_name:
        parts.append(f"{r.municipality_name} ({r.county})" if r.county else r.municipality_name)
    parts.append(sub.reference)
    if is_late(sub.received_at, c.deadline):
        parts.append(LATE_LABEL.upper())
    return " – ".join(parts)


def build_compilation(c: Consultation, submissions: list[Submission]) -> Compilation:
    """Cover facts and counts, then every theme and question with all its answers."""
    return Compilation(
        title=pick(c.title, "nb"),
        subtitle=f"Innspill samlet per tema og spørsmål – sak {c.case_number}",
        facts=_facts(c, submissions),
        counts=[
            ("Etter innsendertype", _count(s.respondent.type_label for s in submissions)),
            ("Etter fylke", _count(s.respondent.county or "(ikke oppgitt)" for s in submissions)),
            ("Etter språk", _count(_LANGUAGES.get(s.language, s.language) for s in submissions)),
            ("Etter kanal", _count(channel_text(s) or "(ukjent)" for s in submissions)),
        ],
        sections=_answer_sections(c, submissions) + _other_sections(c, submissions),
    )


def _facts(c: Consultation, submissions: list[Submission]) -> list[tuple[str, str]]:
    late = sum(1 for s in submissions if is_late(s.received_at, c.deadline))
    if submissions:
        first, last = submissions[0].received_at, submissions[-1].received_at
        period = f"{norwegian_date(first)} – {norwegian_date(last)}"
    else:
        period = "ingen innspill ennå"
    return [
        ("Departement", pick(c.ministry, "nb")),
        ("Saksnummer", c.case_number),
        ("Høringsfrist", norwegian_date(c.deadline)),
        ("Innspill mottatt", period),
        ("Antall innspill", str(len(submissions))),
        (LATE_LABEL, str(late)),
    ]


def _answer_sections(c: Consultation, submissions: list[Submission]) -> list[Section]:
    """The groups "Tema" and "Spørsmål" (level 1), each theme and question under them (level 2)."""
    originals: dict[str, Text | None] = {flow.question_step(q.id): q.original for q in c.questions}
    columns = answer_columns(c, submissions)
    sections: list[Section] = []
    for kind, group in (("theme", "Tema"), ("question", "Spørsmål")):
        mine = [col for col in columns if col.kind == kind]
        if mine:
            sections.append(Section(group, 1, empty=None))
        for col in mine:
            original = originals.get(col.key)
            note = f"Departementets ordlyd: {pick(original, 'nb')}" if original else None
            entries = [
                Entry(byline(sub, c), text)
                for sub in submissions
                if (text := answered(sub, col.key)) is not None
            ]
            title = col.short if kind == "theme" else col.title
            see_also = _tagged(c, submissions, col.short) if kind == "theme" else None
            sections.append(Section(title, 2, note, entries, see_also=see_also))
    return sections


def _tagged(c: Consultation, submissions: list[Submission], theme_title: str) -> str | None:
    """A pointer to the quick-path texts whose senders tagged them with this theme."""
    tagged = [
        f"{who(sub)} ({sub.reference})"
        for sub in submissions
        if sub.flow == "quick" and theme_title in sub.themes
    ]
    if not tagged:
        return None
    return f"Se også {QUICK_HEADING.lower()} merket med dette temaet: " + "; ".join(tagged)


def _other_sections(c: Consultation, submissions: list[Submission]) -> list[Section]:
    """The quick path's texts and each submission's documents."""
    sections = []
    quick = [
        Entry(byline(sub, c), text) for sub in submissions if (text := quick_text(sub)) is not None
    ]
    if c.quick_path or quick:
        sections.append(
            Section(QUICK_HEADING, 1, entries=quick, empty="Ingen ferdige tekster.")
        )
    documents = [
        Entry(
            byline(sub, c),
            "\n".join(f"{a.file_name} ({_size(a.size)})" for a in sub.attachments),
        )
        for sub in submissions
        if sub.attachments
    ]
    sections.append(Section("Vedlagte dokumenter", 1, entries=documents, empty="Ingen vedlegg."))
    return sections


def _count(values: Iterable[str]) -> list[tuple[str, int]]:
    counter = Counter(values)
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1000))} kB"
