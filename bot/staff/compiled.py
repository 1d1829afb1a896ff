"""What a compilation is made of: its sections and entries, and the lines they are built from.

:mod:`bot.staff.compilation` builds one from the submissions (with the «Like innspill» and
«Innsendere» parts from :mod:`bot.staff.compile_parts`); the renderers
(:mod:`bot.staff.compile_docx`, :mod:`bot.staff.compile_html`) walk it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.consultation.model import Consultation
from bot.conversation.submission import Submission
from bot.i18n.formats import format_size
from bot.i18n.languages import SOURCE
from bot.ops.clock import OSLO
from bot.staff.material import Material
from bot.staff.table import document_note, who

QUICK_HEADING = "Innspill som ferdig tekst"
LIKE_HEADING = "Like innspill"
_MONTHS = (
    *("januar", "februar", "mars", "april", "mai", "juni"),
    *("juli", "august", "september", "oktober", "november", "desember"),
)


@dataclass(frozen=True)
class Attached:
    """A document's text under the submission it came with."""

    title: str
    """``Fra vedlegget innspill.pdf (12 kB):``"""
    text: str
    note: bool = False
    """The text is a note about the document (no text in it, cut), not the document's own."""


@dataclass(frozen=True)
class Entry:
    """One submission's text under a heading, and who wrote it."""

    byline: str
    text: str
    documents: list[Attached] = field(default_factory=list)
    stands_for: tuple[str, ...] = ()
    """References of the submissions this entry speaks for (a group's members, or one)."""


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
    overview: list[tuple[str, str]] = field(default_factory=list)
    """(label, value) lines before the entries: who answered, what stands out."""


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
    """Who, where and the reference: ``Harstad Byforening (kontaktperson …) – Harstad – SMB-…``.

    The late mark is not repeated here; «Innsendere» gives it once per submission.
    """
    r = sub.respondent
    parts = [who(sub)]
    if r.municipality_name:
        parts.append(f"{r.municipality_name} ({r.county})" if r.county else r.municipality_name)
    parts.append(sub.reference)
    return " – ".join(parts)


def documents_of(sub: Submission, m: Material) -> list[Attached]:
    """Each document's kept text, or why there is none (a scanned PDF says so)."""
    blocks = []
    for attachment in sub.attachments:
        title = f"Fra vedlegget {attachment.file_name} ({format_size(attachment.size, SOURCE)}):"
        text = m.document_text(attachment)
        note = document_note(m, attachment.id)
        if text is not None:
            if not attachment.mime_type.endswith("pdf"):
                # Word, ODT and text files: each line read is a paragraph of its own.
                text = text.replace("\n", "\n\n")
            blocks.append(Attached(title, text))
            if note is not None:
                blocks.append(Attached("", note, note=True))
        elif note is not None:
            blocks.append(Attached(title, note, note=True))
    return blocks
