"""CSV for Norwegian Excel: UTF-8 with BOM, semicolons, every cell protected against formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.consultation.model import Consultation
from bot.conversation.submission import Submission
from bot.staff.material import Material
from bot.staff.progress import Progress
from bot.staff.safe import csv_cell
from bot.staff.table import submissions_table

DEFAULT_DELIMITER = ";"
"""Norwegian Excel splits on semicolons (the comma is the decimal sign)."""


def submissions_csv(
    c: Consultation,
    submissions: Material | Sequence[Submission],
    *,
    delimiter: str = DEFAULT_DELIMITER,
    progress: Progress | None = None,
) -> str:
    """One row per submission, columns in the consultation file's order.

    The BOM makes Excel read æøå as UTF-8; every cell, the header included, goes through
    :func:`csv_cell`, so a name like ``=HYPERLINK(...)`` stays text.
    """
    table = submissions_table(c, submissions)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in table.header])
    if progress is not None:
        progress.start(len(table.rows))
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
        if progress is not None:
            progress.step()
    return buffer.getvalue()
