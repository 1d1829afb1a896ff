"""Exports for ministry staff (``innspill export``): XLSX, CSV for Norwegian Excel, or JSON."""

from __future__ import annotations

import json
from typing import Literal

from bot.consultation.deadline import is_late
from bot.consultation.model import Consultation
from bot.conversation.submission import Submission
from bot.staff.export_csv import DEFAULT_DELIMITER, submissions_csv
from bot.staff.export_xlsx import submissions_xlsx
from bot.staff.progress import Progress

ExportFormat = Literal["xlsx", "csv", "json"]


def export_bytes(
    c: Consultation,
    submissions: list[Submission],
    fmt: ExportFormat,
    *,
    delimiter: str = DEFAULT_DELIMITER,
    progress: Progress | None = None,
) -> bytes:
    """The export in ``fmt``, as the bytes to write to a file or stdout."""
    if fmt == "xlsx":
        return submissions_xlsx(c, submissions, progress=progress)
    if fmt == "csv":
        return submissions_csv(c, submissions, delimiter=delimiter, progress=progress).encode()
    return submissions_json(c, submissions).encode()


def submissions_json(c: Consultation, submissions: list[Submission]) -> str:
    """Every submission in full, as a JSON array, each marked whether it came in late.

    JSON is for programs, not spreadsheets, so texts are kept exactly as the person wrote them.
    """
    items = []
    for sub in submissions:
        item = json.loads(sub.model_dump_json())
        item["late"] = is_late(sub.received_at, c.deadline)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
