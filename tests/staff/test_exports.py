"""``innspill export``: XLSX and CSV parsed back, as staff would open them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.consultation.model import Consultation, pick
from bot.conversation.submission import Submission
from bot.ops.clock import OSLO
from bot.staff.exports import export_bytes
from bot.staff.progress import Progress
from bot.storage import Store
from tests.staff.people import (
    HOSTILE_NAME,
    HOSTILE_ORG,
    HOSTILE_TEXT,
    NN_ANSWER,
    Q1_ANSWER,
    THEME_ANSWER,
    guided_oslo,
    nynorsk_person,
    quick_organisation,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def expected_answer_headers(c: Consultation) -> list[str]:
    """Straight from the consultation file: themes, then questions, in its order."""
    return [f"Tema: {pick(t.title, 'nb')}" for t in c.themes] + [
        f"Spørsmål {n}: {pick(q.text, 'nb')}" for n, q in enumerate(c.questions, start=1)
    ]


def by_reference(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["Navn"]: row for row in rows}


def test_xlsx_has_a_row_per_submission_in_the_files_column_order(
    env: Path, c: Consultation, capsys: pytest.CaptureFixture[str]
) -> None:
    out = env / "innspill.xlsx"
    assert main(["export", "--format", "xlsx", "--output", str(out)]) == 0
    assert "3 innspill skrevet til" in capsys.readouterr().out
    book = load_workbook(out)
    sheet = book["Innspill"]
    header = [str(cell.value) for cell in sheet[1]]
    assert header[-len(expected_answer_headers(c)) :] == expected_answer_headers(c)
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[letter].width for letter in ("A", "L", "R", "Z"))
    rows = [dict(zip(header, (str(cell.value) for cell in row), strict=True)) for row in sheet[2:4]]
    people = by_reference(rows)
    kari, org, nils = people["Kari Nordmann"], people[HOSTILE_NAME], people["Nils Nynorsk"]
    assert kari["Kommunenummer"] == "0301", "the leading zero stays"
    assert nils["Kommunenummer"] == "1804"
    assert kari["Tema: Tilgjengelighet"] == THEME_ANSWER
    assert kari["Tema: Attraktive byer og levende sentrum"] == "hoppet over"
    assert kari["Tema: Næringsutvikling"] == "ikke valgt"
    skipped = sheet.cell(row=3, column=header.index("Tema: Næringsutvikling") + 1)
    assert skipped.value == "ikke valgt"
    assert skipped.font.italic, "no-answer values look different from what people wrote"
    questions = [h for h in header if str(h).startswith("Spørsmål")]
    assert kari[questions[0]] == Q1_ANSWER
    assert kari[questions[1]] == "hoppet over"
    assert kari[questions[2]] == "ikke besvart", "sent from the summary before reaching it"
    assert nils[questions[2]] == "hoppet over"
    assert org[questions[0]] == "ikke besvart"
    assert org["Organisasjon"] == HOSTILE_ORG
    assert org["Innspill (ferdig tekst)"] == HOSTILE_TEXT
    assert org["Vedlegg"] == "vedtak.pdf"
    assert (kari["Mottatt etter fristen"], org["Mottatt etter fristen"]) == ("nei", "ja")
    received = sheet.cell(row=2 + [r["Navn"] for r in rows].index("Kari Nordmann"), column=2)
    oslo_wall_time = datetime(2021, 3, 1, 23, 59, tzinfo=OSLO).replace(tzinfo=None)
    assert received.value == oslo_wall_time, "Norwegian time, as a real date"
    assert received.is_date, "so Excel's date filter works"
    assert received.number_format == "yyyy-mm-dd hh:mm"
    assert nils["Språk"] == "nynorsk"


def test_no_xlsx_cell_in_any_sheet_is_a_formula(env: Path) -> None:
    out = env / "innspill.xlsx"
    assert main(["export", "--output", str(out)]) == 0
    book = load_workbook(out)
    risky = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    risky += 1
                    assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate} is not quoted"
                    assert cell.alignment.wrap_text
    # Name, organisation, quick text, theme answer, and the same on the theme sheets.
    assert risky >= 5


def test_each_theme_and_question_has_a_sheet_with_every_answer_and_who_gave_it(
    env: Path, c: Consultation
) -> None:
    out = env / "innspill.xlsx"
    assert main(["export", "--output", str(out)]) == 0
    book = load_workbook(out)
    titles = [pick(t.title, "nb") for t in c.themes]
    tabs = book.sheetnames[1 : 1 + len(titles)]
    assert tabs[0] == "Tilgjengelighet"
    assert tabs[3] == "Kompetanse og kompetansearbeid…", "Excel allows 31 characters"
    assert all(title.startswith(tab.rstrip("…")) for tab, title in zip(tabs, titles, strict=True))
    assert book.sheetnames[1 + len(titles)] == "Spørsmål 1"
    sheet = book["Tilgjengelighet"]
    assert sheet.freeze_panes == "A3"
    header = [cell.value for cell in sheet[2]]
    answers = {
        row[header.index("Svar")].value: row[header.index("Fra")].value
        for row in sheet.iter_rows(min_row=3)
    }
    assert answers == {NN_ANSWER: "Nils Nynorsk", THEME_ANSWER: "Kari Nordmann"}, "by name"
    question_one = book["Spørsmål 1"]
    assert [row[-1].value for row in question_one.iter_rows(min_row=3)] == [Q1_ANSWER]


def read_csv(path: Path, delimiter: str = ";") -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads æøå"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_is_for_norwegian_excel_and_protects_every_column(
    env: Path, c: Consultation
) -> None:
    out = env / "innspill.csv"
    assert main(["export", "--format", "csv", "--output", str(out)]) == 0
    assert b";" in out.read_bytes().splitlines()[0]
    rows = read_csv(out)
    assert len(rows) == 3
    assert list(rows[0])[-len(expected_answer_headers(c)) :] == expected_answer_headers(c)
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_START), f"{column} = {value!r} could run"
    people = by_reference(rows)
    org = people["'" + HOSTILE_NAME]
    assert org["Organisasjon"] == "'" + HOSTILE_ORG
    assert org["Innspill (ferdig tekst)"] == "'" + HOSTILE_TEXT
    assert people["Kari Nordmann"]["Tema: Tilgjengelighet"] == "'" + THEME_ANSWER
    assert people["Kari Nordmann"]["Kommunenummer"] == "0301"
    assert people["Kari Nordmann"]["Tema: Attraktive byer og levende sentrum"] == "hoppet over"


def test_csv_delimiter_can_be_chosen(env: Path) -> None:
    out = env / "komma.csv"
    assert main(["export", "--format", "csv", "--delimiter", ",", "--output", str(out)]) == 0
    assert [row["Kommune"] for row in read_csv(out, ",")] == ["Bodø", "Oslo", "Harstad – Hárstták"]
    assert main(["export", "--format", "csv", "--delimiter", ";;"]) == 2


def test_columns_do_not_depend_on_who_answered_first(tmp_path: Path, c: Consultation) -> None:
    async def headers(order: list[str]) -> list[str]:
        path = tmp_path / f"{'-'.join(order)}.sqlite3"
        makers = {"kari": guided_oslo, "org": quick_organisation, "nils": nynorsk_person}
        async with await Store.open(path) as store:
            for name in order:
                await makers[name](c, store)
            subs = await store.list_submissions()
        text = export_bytes(c, subs, "csv").decode("utf-8-sig")
        return next(csv.reader(io.StringIO(text), delimiter=";"))

    first = asyncio.run(headers(["org", "kari"]))
    second = asyncio.run(headers(["nils", "kari", "org"]))
    assert first == second


def test_json_marks_late_submissions(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert {s["respondent"]["name"]: s["late"] for s in exported} == {
        "Nils Nynorsk": False,
        "Kari Nordmann": False,
        HOSTILE_NAME: True,
    }


class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_bar_only_for_a_person_at_a_terminal(env: Path, c: Consultation) -> None:
    async def submissions() -> list[Submission]:
        async with await Store.open(env / "db.sqlite3") as store:
            return await store.list_submissions()

    subs = asyncio.run(submissions())
    terminal, pipe = Terminal(tty=True), Terminal(tty=False)
    for stream in (terminal, pipe):
        progress = Progress("Eksporterer", stream=stream, minimum=3)
        export_bytes(c, subs, "xlsx", progress=progress)
        progress.finish()
    # Three submissions, and three answers on the theme and question sheets.
    assert "100% (6/6)" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")
    assert pipe.getvalue() == ""
    small = Terminal(tty=True)
    export_bytes(c, subs, "csv", progress=Progress("Eksporterer", stream=small))
    assert small.getvalue() == "", "a small export needs no bar"


def test_a_text_longer_than_an_excel_cell_is_cut_visibly(env: Path, c: Consultation) -> None:
    async def submissions() -> list[Submission]:
        async with await Store.open(env / "db.sqlite3") as store:
            return await store.list_submissions()

    subs = asyncio.run(submissions())
    org = subs[-1]
    huge = "Et langt høringssvar. " * 2000
    answers = [a.model_copy(update={"answer": huge}) for a in org.answers]
    subs[-1] = org.model_copy(update={"answers": answers})
    path = env / "lang.xlsx"
    path.write_bytes(export_bytes(c, subs, "xlsx"))
    sheet = load_workbook(path)["Innspill"]
    header = [str(cell.value) for cell in sheet[1]]
    cell = str(sheet.cell(row=4, column=header.index("Innspill (ferdig tekst)") + 1).value)
    assert len(cell) == 32_767
    assert cell.startswith("Et langt høringssvar.")
    assert cell.endswith("hele teksten er i e-posten og JSON)")
    full = export_bytes(c, subs, "csv").decode("utf-8-sig")
    assert huge.strip() in full, "the CSV keeps the whole text"
