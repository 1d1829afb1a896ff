"""``innspill compile``: the Word document read back, theme by theme and question by question."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from bot.__main__ import main
from bot.consultation.model import Consultation, pick
from tests.staff.people import (
    HOSTILE_NAME,
    HOSTILE_ORG,
    HOSTILE_TEXT,
    NN_ANSWER,
    Q1_ANSWER,
    THEME_ANSWER,
)


def outline(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph, in order."""
    return [(p.style.name if p.style else "", p.text) for p in docx.Document(str(path)).paragraphs]


def under(paragraphs: list[tuple[str, str]], heading: str) -> list[str]:
    """The texts between ``heading`` and the next heading of any level."""
    start = paragraphs.index(next(p for p in paragraphs if p[1] == heading and "Heading" in p[0]))
    texts = []
    for style, text in paragraphs[start + 1 :]:
        if style.startswith("Heading"):
            break
        texts.append(text)
    return texts


def test_docx_has_every_answer_under_its_theme_and_question(env: Path, c: Consultation) -> None:
    out = env / "sammenstilling.docx"
    assert main(["compile", "--output", str(out)]) == 0
    paragraphs = outline(out)
    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    themes = [pick(t.title, "nb") for t in c.themes]
    questions = [f"Spørsmål {n}: {pick(q.text, 'nb')}" for n, q in enumerate(c.questions, 1)]
    assert headings == [
        ("Heading 1", "Tema"),
        *[("Heading 2", t) for t in themes],
        ("Heading 1", "Spørsmål"),
        *[("Heading 2", q) for q in questions],
        ("Heading 1", "Innspill som ferdig tekst"),
        ("Heading 1", "Vedlagte dokumenter"),
        ("Heading 1", "Innsendere"),
    ], "Word's navigation pane shows themes and questions"
    accessibility = under(paragraphs, "Tilgjengelighet")
    pointer = accessibility.pop(0)
    assert pointer.startswith("Se også innspill som ferdig tekst merket med dette temaet: ")
    assert f"{HOSTILE_ORG} (kontaktperson {HOSTILE_NAME}) (SMB-" in pointer, "tagged by the org"
    assert accessibility[:3] == [
        "Svar: 2 av 3 innspill",
        "Etter innsendertype: Privatperson 2",
        "Etter fylke: Nordland 1, Oslo 1",
    ], "an overview of who answered comes first"
    assert under(paragraphs, "Næringsutvikling") == ["Ingen svar."]
    assert accessibility[3].startswith("Nils Nynorsk – Bodø (Nordland) – SMB-"), "by name"
    assert accessibility[4] == NN_ANSWER
    assert accessibility[5].startswith("Kari Nordmann – Oslo (Oslo) – SMB-")
    assert accessibility[6] == THEME_ANSWER
    first_question = under(paragraphs, questions[0])
    assert first_question[0].startswith("Departementets ordlyd: ")
    assert first_question[-1] == Q1_ANSWER
    assert under(paragraphs, questions[1])[-1] == "Ingen svar."
    quick = under(paragraphs, "Innspill som ferdig tekst")
    org = f"{HOSTILE_ORG} (kontaktperson {HOSTILE_NAME}) – Harstad – Hárstták (Troms) – SMB-"
    byline = next(text for text in quick if text.startswith(org))
    assert quick[quick.index(byline) + 1] == HOSTILE_TEXT
    assert quick[quick.index(byline) + 2] == "Fra vedlegget vedtak.pdf (1 kB):"
    everything = " ".join(text for _, text in paragraphs)
    assert "MOTTATT ETTER FRISTEN" not in everything
    assert "privatperson" not in everything, "never a raw type id"
    register = under(paragraphs, "Innsendere")
    late = [text for text in register if "mottatt etter fristen" in text]
    assert len(late) == 1, "the late mark once per submission, in normal case"
    assert "vedlegg: vedtak.pdf" in late[0]


def test_docx_cover_page_counts_who_answered(env: Path) -> None:
    out = env / "sammenstilling.docx"
    assert main(["compile", "--format", "docx", "--output", str(out)]) == 0
    document = docx.Document(str(out))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Saksnummer"] == "20/6204"
    assert facts["Høringsfrist"] == "1. mars 2021"
    assert facts["Innspill mottatt"] == "10. februar 2021 – 2. mars 2021"
    assert facts["Antall innspill"] == "3"
    assert facts["Mottatt etter fristen"] == "1"
    texts = [p.text for p in document.paragraphs]
    assert "Privatperson: 2" in texts
    assert "Nordland: 1" in texts
    assert "nynorsk: 1" in texts
    assert document.core_properties.title == "Strategi for småbyer som regionale kraftsentre"
    default_language = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    assert default_language[0].get(qn("w:val")) == "nb-NO", "spell-checked as Norwegian"


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and self.tags:
            self.texts.append((self.tags[-1], data))


def test_html_has_the_same_structure_and_escapes_what_people_wrote(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compile", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<b>kollektivtilbod</b>" not in page, "a person's markup is shown, not obeyed"
    parser = Outline()
    parser.feed(page)
    assert ("h2", "Tilgjengelighet") in parser.texts
    after = parser.texts[parser.texts.index(("h2", "Tilgjengelighet")) :]
    assert ("p", NN_ANSWER) in after[: after.index(("h2", "Attraktive byer og levende sentrum"))]


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="no LibreOffice here"
)
def test_libreoffice_converts_the_docx_to_pdf(env: Path) -> None:
    out = env / "sammenstilling.docx"
    assert main(["compile", "--output", str(out)]) == 0
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(env), str(out)],
        check=True,
        timeout=180,
        capture_output=True,
        env={**os.environ, "HOME": str(env)},
    )
    assert (env / "sammenstilling.pdf").read_bytes().startswith(b"%PDF")
