"""Statistics for ministry staff, as readable Norwegian text (``innspill stats``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.model import Consultation, pick
from bot.engine.municipalities import all_municipalities, by_number

_LANGUAGES = {"nb": "bokmål", "nn": "nynorsk", "en": "engelsk"}
_FLOWS = {"guided": "veiledet", "quick": "rask (ferdig tekst/dokument)"}
_OUTBOX = {"pending": "venter", "sending": "sendes nå", "sent": "sendt", "failed": "feilet"}


def render_stats(stats: Mapping[str, Any], consultation: Consultation) -> str:
    """The figures from :meth:`bot.storage.Store.stats` with names instead of codes."""
    types = {t.id: pick(t.label, "nb") for t in consultation.respondent.types}
    counties = {m.county_number: m.county for m in all_municipalities()}

    def municipality(number: str) -> str:
        found = by_number(number)
        return found.display_name if found else number

    lines = [
        f"{pick(consultation.title, 'nb')} ({consultation.case_number})",
        "",
        f"Innspill i alt: {stats['submissions']}",
        f"Utkast under arbeid: {stats['drafts_in_progress']}",
    ]
    sections: list[tuple[str, Mapping[str, int], Any]] = [
        ("Etter innsender", stats["by_respondent_type"], lambda k: types.get(k, k)),
        ("Etter fylke", stats["by_county"], lambda k: counties.get(k, k)),
        ("Etter kommune", stats["by_municipality"], municipality),
        ("Etter språk", stats["by_language"], lambda k: _LANGUAGES.get(k, k)),
        ("Etter måte", stats["by_flow"], lambda k: _FLOWS.get(k, k)),
        ("Per dag", stats["by_day"], str),
        ("E-post til departementet og kvitteringer", stats["outbox"], lambda k: _OUTBOX.get(k, k)),
    ]
    for title, counts, name in sections:
        lines += ["", title + ":"]
        ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
        if title == "Per dag":
            ordered = sorted(counts.items())
        lines += [f"  {name(key)}: {count}" for key, count in ordered] or ["  –"]
    return "\n".join(lines) + "\n"
