"""The per-theme compilation's content, independent of Word or HTML.

Strategy writers read every answer to one theme or question in one place, each with who gave
it, under a short overview of who answered and what they talk about. A «Like innspill» group
(a campaign's template letter) is printed once with its count; the section «Like innspill»
shows the shared text and what each sender changed. Documents' text stands under the
submission it came with. Each submission's facts (the late mark among them) are listed once,
in «Innsendere» at the end. Both renderers (:mod:`bot.staff.compile_docx`,
:mod:`bot.staff.compile_html`) walk this.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.consultation.deadline import LATE_LABEL, is_late
from bot.consultation.model import Consultation, Text, pick
from bot.conversation import flow
from bot.conversation.submission import Submission
from bot.i18n.languages import SOURCE, language_name
from bot.staff.compile_parts import like_sections, register_section
from bot.staff.compiled import (
    LIKE_HEADING,
    QUICK_HEADING,
    Compilation,
    Entry,
    Section,
    byline,
    documents_of,
    norwegian_date,
)
from bot.staff.material import ERASED_LABEL, Material, material_of
from bot.staff.overview import distinctive, overview_lines, term_counts
from bot.staff.table import (
    answer_columns,
    answered,
    channel_text,
    quick_text,
    who,
)


def build_compilation(c: Consultation, source: Material | Sequence[Submission]) -> Compilation:
    """Cover facts and counts, then every theme and question with all its answers."""
    m = material_of(source)
    subs = m.submissions
    answers = _answer_sections(c, m) + _other_sections(c, m)
    _add_overviews(answers, m)
    erased = [(ERASED_LABEL, len(m.erased))] if m.erased else []
    return Compilation(
        title=pick(c.title, SOURCE),
        subtitle=f"Innspill samlet per tema og spørsmål – sak {c.case_number}",
        facts=_facts(c, m),
        counts=[
            ("Etter innsendertype", _count(s.respondent.type_label for s in subs) + erased),
            ("Etter fylke", _count(s.respondent.county or "(ikke oppgitt)" for s in subs) + erased),
            ("Etter språk", _count(language_name(s.language) for s in subs) + erased),
            ("Etter kanal", _count(channel_text(s, m) or "(ukjent)" for s in subs) + erased),
        ],
        sections=like_sections(c, m) + answers + [register_section(c, m)],
    )


def _facts(c: Consultation, m: Material) -> list[tuple[str, str]]:
    times = sorted([s.received_at for s in m.submissions] + [e.received_at for e in m.erased])
    late = sum(1 for t in times if is_late(t, c.deadline))
    period = f"{norwegian_date(times[0])} – {norwegian_date(times[-1])}" if times else None
    facts = [
        ("Departement", pick(c.ministry, SOURCE)),
        ("Saksnummer", c.case_number),
        ("Høringsfrist", norwegian_date(c.deadline)),
        ("Innspill mottatt", period or "ingen innspill ennå"),
        ("Antall innspill", str(m.total)),
        (LATE_LABEL, str(late)),
    ]
    groups = m.likeness.groups
    if groups:
        grouped = m.likeness.grouped
        noun = "gruppe" if len(groups) == 1 else "grupper"
        facts.append((LIKE_HEADING, f"{len(groups)} {noun} med {grouped} innspill i alt"))
    if m.erased:
        facts.append((ERASED_LABEL, str(len(m.erased))))
    return facts


def collapsed(items: Sequence[tuple[Submission, str]], c: Consultation, m: Material) -> list[Entry]:
    """One entry per submission, but a «Like innspill» group's answers once, «(og N like)».

    The group's shared text stands for it when that sender answered here; otherwise its
    first member who did. What each sender changed is in the section «Like innspill».
    """
    by_group: dict[int, list[tuple[Submission, str]]] = {}
    for sub, text in items:
        group = m.likeness.group_of(sub)
        if group is not None:
            by_group.setdefault(group.number, []).append((sub, text))
    entries: list[Entry] = []
    shown: set[int] = set()
    for sub, text in items:
        group = m.likeness.group_of(sub)
        if group is None:
            entries.append(Entry(byline(sub, c), text, documents_of(sub, m), (sub.reference,)))
            continue
        if group.number in shown:
            continue
        shown.add(group.number)
        members = by_group[group.number]
        first = next((item for item in members if item[0] is group.shared), members[0])
        more = f" (og {len(members) - 1} like, se «{LIKE_HEADING}», {group.label.lower()})"
        title = byline(first[0], c) + (more if len(members) > 1 else "")
        references = tuple(member.reference for member, _ in members)
        entries.append(Entry(title, first[1], documents_of(first[0], m), references))
    return entries


def _answer_sections(c: Consultation, m: Material) -> list[Section]:
    """The groups "Tema" and "Spørsmål" (level 1), each theme and question under them (level 2)."""
    originals: dict[str, Text | None] = {flow.question_step(q.id): q.original for q in c.questions}
    columns = answer_columns(c, m.submissions)
    sections: list[Section] = []
    for kind, group in (("theme", "Tema"), ("question", "Spørsmål")):
        mine = [col for col in columns if col.kind == kind]
        if mine:
            sections.append(Section(group, 1, empty=None))
        for col in mine:
            original = originals.get(col.key)
            note = f"Departementets ordlyd: {pick(original, SOURCE)}" if original else None
            items = [
                (sub, text) for sub in m.submissions if (text := answered(sub, col.key)) is not None
            ]
            entries = [replace(e, documents=[]) for e in collapsed(items, c, m)]
            title = col.short if kind == "theme" else col.title
            see_also = _tagged(m.submissions, col.short) if kind == "theme" else None
            sections.append(Section(title, 2, note, entries, see_also=see_also))
    return sections


def _tagged(submissions: Sequence[Submission], theme_title: str) -> str | None:
    """A pointer to the quick-path texts whose senders tagged them with this theme."""
    tagged = [
        f"{who(sub)} ({sub.reference})"
        for sub in submissions
        if sub.flow == "quick" and theme_title in sub.themes
    ]
    if not tagged:
        return None
    return f"Se også {QUICK_HEADING.lower()} merket med dette temaet: " + "; ".join(tagged)


def _other_sections(c: Consultation, m: Material) -> list[Section]:
    """The quick path's texts with their documents, and the guided path's documents."""
    sections = []
    quick = [
        (sub, quick_text(sub) or "")
        for sub in m.submissions
        if sub.flow == "quick" and (quick_text(sub) or sub.attachments)
    ]
    if c.quick_path or quick:
        entries = collapsed(quick, c, m)
        sections.append(Section(QUICK_HEADING, 1, entries=entries, empty="Ingen ferdige tekster."))
    documents = [
        Entry(byline(sub, c), "", documents_of(sub, m), (sub.reference,))
        for sub in m.submissions
        if sub.attachments and sub.flow != "quick"
    ]
    note = f"Dokumenter sendt med en ferdig tekst står under «{QUICK_HEADING}»." if quick else None
    sections.append(
        Section("Vedlagte dokumenter", 1, note, entries=documents, empty="Ingen andre vedlegg.")
    )
    return sections


def _add_overviews(sections: list[Section], m: Material) -> None:
    """Put an overview on every section with answers (in place: sections are built first)."""
    texts = {id(s): [_entry_text(e) for e in s.entries] for s in sections if s.entries}
    counts = {key: term_counts(values) for key, values in texts.items()}
    everywhere = sum(counts.values(), Counter[str]())
    for section in sections:
        if not section.entries or section.title == "Vedlagte dokumenter":
            continue
        answering = _answering(section, m)
        found = distinctive(counts[id(section)], everywhere)
        section.overview.extend(overview_lines(answering, m.total, found))


def _answering(section: Section, m: Material) -> list[Submission]:
    """The submissions behind a section's entries, every group member counted."""
    references = {reference for e in section.entries for reference in e.stands_for}
    return [sub for sub in m.submissions if sub.reference in references]


def _entry_text(entry: Entry) -> str:
    return "\n\n".join([entry.text, *(d.text for d in entry.documents if not d.note)])


def _count(values: Iterable[str]) -> list[tuple[str, int]]:
    counter = Counter(values)
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))
