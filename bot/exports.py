"""Exports for ministry staff: one row per submission (CSV for spreadsheets) or full JSON."""

from __future__ import annotations

import csv
import io
import json

from bot.clock import OSLO
from bot.engine.submission import Submission


def submissions_csv(submissions: list[Submission]) -> str:
    """A CSV with one row per submission and one column per theme or question.

    Columns for answers are the union over all submissions, in the order first seen, so a
    spreadsheet lines every answer up under its question. UTF-8 with a BOM, so Excel reads æøå.
    """
    answer_keys: dict[str, str] = {}
    for sub in submissions:
        for answer in sub.answers:
            answer_keys.setdefault(answer.key, answer.heading)
    header = [
        "referanse",
        "mottatt",
        "språk",
        "måte",
        "innsendertype",
        "navn",
        "organisasjon",
        "organisasjonsnummer",
        "styrevedtak",
        "kommunenummer",
        "kommune",
        "fylke",
        "e-post",
        "tema",
        "vedlegg",
    ] + list(answer_keys.values())
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for sub in submissions:
        r = sub.respondent
        answers = {a.key: a.answer or "" for a in sub.answers}
        writer.writerow(
            [
                sub.reference,
                sub.received_at.astimezone(OSLO).strftime("%Y-%m-%d %H:%M"),
                sub.language,
                "rask" if sub.flow == "quick" else "veiledet",
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
            ]
            + [_no_formula(answers.get(key, "")) for key in answer_keys]
        )
    return buffer.getvalue()


def _no_formula(text: str) -> str:
    """Keep spreadsheets from running an answer that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def submissions_json(submissions: list[Submission]) -> str:
    """Every submission in full, as a JSON array."""
    return (
        json.dumps(
            [json.loads(s.model_dump_json()) for s in submissions], ensure_ascii=False, indent=2
        )
        + "\n"
    )
