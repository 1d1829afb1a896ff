"""Exports for ministry staff (``innspill export``): XLSX, CSV for Norwegian Excel, or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from bot.consultation.deadline import is_late
from bot.consultation.model import Consultation
from bot.conversation.submission import Submission
from bot.staff.export_csv import DEFAULT_DELIMITER, submissions_csv
from bot.staff.export_xlsx import submissions_xlsx
from bot.staff.material import ERASED_LABEL, Material, material_of
from bot.staff.progress import Progress

ExportFormat = Literal["xlsx", "csv", "json"]


def export_bytes(
    c: Consultation,
    source: Material | Sequence[Submission],
    fmt: ExportFormat,
    *,
    delimiter: str = DEFAULT_DELIMITER,
    progress: Progress | None = None,
) -> bytes:
    """The export in ``fmt``, as the bytes to write to a file or stdout."""
    m = material_of(source)
    if fmt == "xlsx":
        return submissions_xlsx(c, m, progress=progress)
    if fmt == "csv":
        return submissions_csv(c, m, delimiter=delimiter, progress=progress).encode()
    return submissions_json(c, m).encode()


def submissions_json(c: Consultation, source: Material | Sequence[Submission]) -> str:
    """Every submission in full, as a JSON array, each marked whether it came in late.

    JSON is for programs, not spreadsheets, so texts are kept exactly as the person wrote them.
    Each document carries its SHA-256 and size (to match it with the e-mail's attachment) and
    the text kept from it. A delivered submission its sender deleted is an item with only its
    reference, time and channel, marked ``"erased_by_sender": true``.
    """
    m = material_of(source)
    items: list[dict[str, Any]] = []
    for sub in m.submissions:
        item = json.loads(sub.model_dump_json())
        item["late"] = is_late(sub.received_at, c.deadline)
        item["channel"] = m.channels.get(sub.reference)
        group = m.likeness.group_of(sub)
        item["similar_group"] = group.number if group else None
        for attachment in item["attachments"]:
            stored = m.documents.get(attachment["id"])
            attachment["sha256"] = stored.sha256 if stored else None
            attachment["text"] = stored.text if stored else None
            attachment["text_state"] = stored.text_state if stored else None
        items.append(item)
    for erased in m.erased:
        items.append(
            {
                "reference": erased.reference,
                "received_at": erased.received_at.isoformat(),
                "channel": erased.channel,
                "late": is_late(erased.received_at, c.deadline),
                "erased_by_sender": True,
                "status": ERASED_LABEL,
            }
        )
    items.sort(key=lambda item: (item["received_at"], item["reference"]))
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
