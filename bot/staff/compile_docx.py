"""The compilation as a Word document, with real Heading 1/2 styles for the navigation pane."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn

from bot.staff.compiled import Compilation
from bot.staff.progress import Progress
from bot.staff.safe import xml_text


def compilation_docx(comp: Compilation, *, progress: Progress | None = None) -> bytes:
    """A ``.docx`` that opens in Word and LibreOffice: cover page, then theme by theme."""
    if progress is not None:
        progress.start(sum(len(section.entries) for section in comp.sections))
    doc = Document()
    doc.core_properties.title = xml_text(comp.title)
    doc.core_properties.language = "nb-NO"
    _norwegian_proofing(doc)
    doc.add_heading(xml_text(comp.title), level=0)
    doc.add_paragraph(xml_text(comp.subtitle))
    facts = doc.add_table(rows=0, cols=2)
    for name, value in comp.facts:
        cells = facts.add_row().cells
        cells[0].text = name
        cells[1].text = xml_text(value)
    for title, counts in comp.counts:
        doc.add_paragraph().add_run(title).bold = True
        for name, count in counts or [("–", 0)]:
            doc.add_paragraph(f"{xml_text(name)}: {count}", style="List Bullet")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for section in comp.sections:
        doc.add_heading(xml_text(section.title), level=section.level)
        for note in (section.note, section.see_also):
            if note:
                doc.add_paragraph().add_run(xml_text(note)).italic = True
        for label, value in section.overview:
            line = doc.add_paragraph()
            line.add_run(f"{xml_text(label)}: ").bold = True
            line.add_run(xml_text(value))
        if not section.entries and section.empty:
            doc.add_paragraph(section.empty)
        for entry in section.entries:
            doc.add_paragraph().add_run(xml_text(entry.byline)).bold = True
            if entry.text.strip():
                for paragraph in _paragraphs(entry.text):
                    doc.add_paragraph(paragraph)
            for attached in entry.documents:
                if attached.title:
                    doc.add_paragraph().add_run(xml_text(attached.title)).italic = True
                for paragraph in _paragraphs(attached.text):
                    run = doc.add_paragraph().add_run(paragraph)
                    run.italic = attached.note
            if progress is not None:
                progress.step()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _norwegian_proofing(doc: DocumentObject) -> None:
    """Make bokmål the text language, so Word and LibreOffice spell-check in Norwegian."""
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "nb-NO")


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks stay inside one."""
    return [p.strip() for p in xml_text(text).split("\n\n") if p.strip()] or [""]
