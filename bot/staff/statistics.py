"""Statistics for ministry staff, as readable Norwegian text or JSON (``innspill stats``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.consultation.deadline import LATE_LABEL, is_late
from bot.consultation.model import Consultation, pick
from bot.consultation.municipalities import all_municipalities, by_number
from bot.conversation.submission import CHANNEL_NAMES, Submission
from bot.i18n.languages import SOURCE, language_name
from bot.staff.material import ERASED_LABEL, Material, material_of
from bot.staff.table import NOT_CHOSEN, NOT_REACHED, SKIPPED, answer_columns, answer_value

_FLOWS = {"guided": "veiledet", "quick": "rask (ferdig tekst/dokument)"}
_OUTBOX = {"pending": "venter", "sending": "sendes nå", "sent": "sendt", "failed": "feilet"}
_STATES = {
    "answered": "besvart",
    "skipped": SKIPPED,
    "not_reached": NOT_REACHED,
    "not_chosen": NOT_CHOSEN,
}


def content_stats(c: Consultation, source: Material | Sequence[Submission]) -> dict[str, Any]:
    """Figures that need the submissions: answers per theme/question, late, «Like innspill».

    ``by_theme`` and ``by_question`` map each theme title or question heading (in the file's
    order) to counts of ``answered``, ``skipped`` and ``not_reached``; themes also count
    ``not_chosen`` (guided respondents who did not pick the theme). ``late`` counts deleted
    submissions too (their time is kept). ``similar`` has ``groups``, ``submissions`` in
    them, and ``sizes`` (largest first).
    """
    m = material_of(source)
    submissions = m.submissions
    times = [s.received_at for s in submissions] + [e.received_at for e in m.erased]
    groups = m.likeness.groups
    result: dict[str, Any] = {
        "late": sum(is_late(t, c.deadline) for t in times),
        "similar": {
            "groups": len(groups),
            "submissions": m.likeness.grouped,
            "sizes": sorted((len(g.members) for g in groups), reverse=True),
        },
    }
    for kind, key in (("theme", "by_theme"), ("question", "by_question")):
        counts: dict[str, dict[str, int]] = {}
        for column in answer_columns(c, submissions):
            if column.kind != kind:
                continue
            tally = {"answered": 0, "skipped": 0, "not_reached": 0}
            if kind == "theme":
                tally["not_chosen"] = 0
            for sub in submissions:
                value = answer_value(sub, column)
                state = {SKIPPED: "skipped", NOT_REACHED: "not_reached", NOT_CHOSEN: "not_chosen"}
                tally[state.get(value, "answered")] += 1
            counts[column.short if kind == "theme" else column.title] = tally
        result[key] = counts
    return result


def render_stats(stats: Mapping[str, Any], consultation: Consultation) -> str:
    """The figures from :meth:`bot.storage.Store.stats` and :func:`content_stats`, in words."""
    types = {t.id: pick(t.label, SOURCE) for t in consultation.respondent.types}
    counties = {m.county_number: m.county for m in all_municipalities()}

    def municipality(number: str) -> str:
        found = by_number(number)
        return found.display_name if found else number

    lines = [
        f"{pick(consultation.title, SOURCE)} ({consultation.case_number})",
        "",
        f"Innspill i alt: {stats['submissions']}",
    ]
    erased = int(stats.get("erased_after_delivery", 0))
    if erased:
        lines.append(f"  herav {ERASED_LABEL.lower()}: {erased}")
    lines += [
        f"{LATE_LABEL}: {stats.get('late', 0)}",
        f"Utkast under arbeid: {stats['drafts_in_progress']}",
    ]
    similar = stats.get("similar")
    if similar is not None:
        lines.append(_similar_line(similar))
    sections: list[tuple[str, Mapping[str, int], Any]] = [
        ("Etter innsender", stats["by_respondent_type"], lambda k: types.get(k, k)),
        ("Etter fylke", stats["by_county"], lambda k: counties.get(k, k)),
        ("Etter kommune", stats["by_municipality"], municipality),
        ("Etter språk", stats["by_language"], language_name),
        ("Etter måte", stats["by_flow"], lambda k: _FLOWS.get(k, k)),
        ("Etter kanal", stats.get("by_channel", {}), lambda k: CHANNEL_NAMES.get(k, k)),
        ("Per dag", stats["by_day"], str),
        ("E-post til departementet og kvitteringer", stats["outbox"], lambda k: _OUTBOX.get(k, k)),
    ]
    for title, counts, name in sections:
        lines += ["", title + ":"]
        ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
        if title == "Per dag":
            ordered = sorted(counts.items())
        lines += [f"  {name(key)}: {count}" for key, count in ordered] or ["  –"]
        if erased and title.startswith("Etter") and title != "Etter kommune":
            # Nothing else is kept of a deleted submission: count it apart, so sums match.
            lines.append(f"  ({ERASED_LABEL.lower()}): {erased}")
    for title, key in (("Per tema", "by_theme"), ("Per spørsmål", "by_question")):
        per_item: Mapping[str, Mapping[str, int]] = stats.get(key, {})
        lines += ["", title + ":"]
        lines += [
            f"  {heading} – "
            + ", ".join(f"{_STATES[state]} {count}" for state, count in tally.items())
            for heading, tally in per_item.items()
        ] or ["  –"]
    return "\n".join(lines) + "\n"


def _similar_line(similar: Mapping[str, Any]) -> str:
    """``Like innspill: 2 grupper med 30 innspill (størst 20)``."""
    groups = int(similar["groups"])
    if not groups:
        return "Like innspill: ingen grupper"
    noun = "gruppe" if groups == 1 else "grupper"
    sizes = ", ".join(str(size) for size in similar["sizes"])
    return f"Like innspill: {groups} {noun} med {similar['submissions']} innspill i alt ({sizes})"
