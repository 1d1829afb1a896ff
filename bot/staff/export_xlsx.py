"""The XLSX export: a sheet of submissions and one sheet per theme and question.

Every cell is written as text (so ``0301`` keeps its zero and ``=HYPERLINK(...)`` is not a
formula); cells that start like a formula also get Excel's quote prefix, so editing the cell
later does not turn it into one either. The one exception is «Mottatt»: a real Excel date
(Norwegian time), so Excel's date filter and sorting work on it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.consultation.model import Consultation
from bot.conversation.submission import Submission
from bot.staff.material import Material, material_of
from bot.staff.progress import Progress
from bot.staff.safe import looks_like_formula, xml_text
from bot.staff.table import (
    ANSWER_SHEET_COLUMNS,
    DOCUMENT_TEXT_COLUMN,
    NOT_CHOSEN,
    NOT_REACHED,
    RECEIVED_FORMAT,
    RESPONDENT_COLUMNS,
    SKIPPED,
    answer_rows,
    submissions_table,
)

SUBMISSIONS_SHEET = "Innspill"
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
_NO_ANSWER = Font(italic=True, color="808080")
"""Grey italics set "hoppet over" and "ikke besvart" apart from what people wrote."""
_PLACEHOLDERS = frozenset({SKIPPED, NOT_REACHED, NOT_CHOSEN})
_NARROW, _MEDIUM, _WIDE = 14, 24, 60
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
EXCEL_CELL_LIMIT = 32_767
"""Excel refuses (and offers to "repair") a workbook with a longer cell."""
CUT_MARK = " […] (forkortet: Excel har plass til 32 767 tegn; hele teksten er i e-posten og JSON)"
RECEIVED = "Mottatt"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
"""Excel's number format for «Mottatt»: the same reading as the CSV's text, but a date."""


def submissions_xlsx(
    c: Consultation,
    source: Material | Sequence[Submission],
    *,
    progress: Progress | None = None,
) -> bytes:
    """The workbook as bytes, ready to write to a ``.xlsx`` file."""
    m = material_of(source)
    table = submissions_table(c, m)
    per_column = [answer_rows(c, m.submissions, column.key) for column in table.columns]
    if progress is not None:
        progress.start(len(table.rows) + sum(len(rows) for rows in per_column))
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SUBMISSIONS_SHEET
    widths = [_width_for(name) for name in RESPONDENT_COLUMNS] + [_WIDE] * len(table.columns)
    _fill(sheet, table.header, table.rows, widths, progress)
    used: set[str] = {SUBMISSIONS_SHEET}
    for column, rows in zip(table.columns, per_column, strict=True):
        tab = book.create_sheet(_sheet_name(column.short, used))
        # Row 1 names the theme or question in full; row 2 is the header.
        _put(tab.cell(row=1, column=1), column.title).font = _BOLD
        widths = [_width_for(name) for name in ANSWER_SHEET_COLUMNS[:-1]] + [_WIDE * 2]
        _fill(tab, ANSWER_SHEET_COLUMNS, rows, widths, progress, first_row=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    progress: Progress | None,
    *,
    first_row: int = 1,
) -> None:
    """Header in bold and frozen, text wrapped, widths set; one row per entry."""
    for index, name in enumerate(header, start=1):
        _put(sheet.cell(row=first_row, column=index), name).font = _BOLD
    received = header.index(RECEIVED) + 1 if RECEIVED in header else None
    for row_index, row in enumerate(rows, start=first_row + 1):
        for col_index, value in enumerate(row, start=1):
            if col_index == received:
                _put_date(sheet.cell(row=row_index, column=col_index), value)
                continue
            cell = _put(sheet.cell(row=row_index, column=col_index), value)
            if value in _PLACEHOLDERS:
                cell.font = _NO_ANSWER
        if progress is not None:
            progress.step()
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{first_row + 1}"
    if rows:
        sheet.auto_filter.ref = (
            f"A{first_row}:{get_column_letter(len(header))}{first_row + len(rows)}"
        )


def _put(cell: Cell | MergedCell, value: str) -> Cell | MergedCell:
    """Write ``value`` as text, never as a formula, cut to what Excel can hold."""
    text = xml_text(value)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
    cell.value = text
    cell.data_type = "s"
    cell.alignment = _WRAP
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def _put_date(cell: Cell | MergedCell, value: str) -> None:
    """«Mottatt» (Norwegian time, as the table writes it) as an Excel date and time."""
    try:
        cell.value = datetime.strptime(value, RECEIVED_FORMAT)  # noqa: DTZ007 - Excel has no zones
    except ValueError:
        _put(cell, value)
        return
    cell.number_format = DATE_FORMAT
    cell.alignment = _WRAP


def _width_for(name: str) -> int:
    if name in ("Navn", "Organisasjon", "Fra", "E-post", "Valgte tema", "Vedlegg", "Kommune"):
        return _MEDIUM
    if name in ("Innspill (ferdig tekst)", DOCUMENT_TEXT_COLUMN):
        return _WIDE
    if name == RECEIVED:
        return _MEDIUM - 6
    return _NARROW


def _sheet_name(short: str, used: set[str]) -> str:
    """A unique tab name within Excel's 31 characters and without the characters it forbids."""
    base = _SHEET_NAME_UNSAFE.sub(" ", short).strip() or "Ark"
    if len(base) > 31:
        base = base[:30].rstrip() + "…"
    taken = {u.lower() for u in used}
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name)
    return name
