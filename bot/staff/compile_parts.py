"""Two sections of the compilation that are about submissions, not answers.

«Like innspill»: each group of near-identical submissions with its count, the shared text
once, what each sender changed and who sent it. «Innsendere»: one line per submission with
everything about it that staff look up (the late mark among them, given only here), the ones
deleted by their senders after delivery included, so the list matches the mailbox.
"""

from __future__ import annotations

from datetime import datetime

from bot.consultation.deadline import LATE_LABEL, is_late
from bot.consultation.model import Consultation
from bot.conversation.submission import Submission
from bot.i18n.languages import language_name
from bot.ops.clock import OSLO
from bot.staff.compiled import (
    LIKE_HEADING,
    Entry,
    Section,
    byline,
    documents_of,
    norwegian_date,
)
from bot.staff.likeness import SimilarGroup
from bot.staff.material import ERASED_LABEL, Material
from bot.staff.table import answer_text, channel_name
from bot.storage.types import ErasedSubmission

REGISTER_HEADING = "Innsendere"
_LIKE_NOTE = (
    "Innspill med nesten lik tekst, som et kampanjebrev der hver avsender har endret litt "
    "(stedsnavn, en egen setning, en skrivefeil). Hver gruppe vises med den felles teksten én "
    "gang, og deretter hva hver avsender endret. Under temaene og spørsmålene står gruppens "
    "svar bare én gang, merket «(og N like)»."
)


def like_sections(c: Consultation, m: Material) -> list[Section]:
    """«Like innspill» (level 1) and a section per group (level 2); none without groups."""
    groups = m.likeness.groups
    if not groups:
        return []
    sections = [Section(LIKE_HEADING, 1, _LIKE_NOTE, empty=None)]
    sections += [_group_section(c, m, group) for group in groups]
    return sections


def _group_section(c: Consultation, m: Material, group: SimilarGroup) -> Section:
    first, last = group.members[0].received_at, group.members[-1].received_at
    overview = [
        ("Innspill i gruppen", str(len(group.members))),
        ("Mottatt", f"{norwegian_date(first)} – {norwegian_date(last)}"),
        ("Felles tekst fra", byline(group.shared, c)),
    ]
    entries = [Entry("Felles tekst", shared_text(group.shared), documents_of(group.shared, m))]
    entries += [
        Entry(byline(sub, c), group.changes.get(sub.reference, ""), stands_for=(sub.reference,))
        for sub in group.members
    ]
    title = f"{group.label}: {len(group.members)} like innspill"
    return Section(title, 2, entries=entries, overview=overview)


def shared_text(sub: Submission) -> str:
    """The group's shared text, each answer under its theme or question."""
    parts = []
    for answer in sub.answers:
        text = answer_text(answer)
        if text is None:
            continue
        parts.append(text if answer.kind == "free_text" else f"{answer.heading}:\n{text}")
    return "\n\n".join(parts)


def register_section(c: Consultation, m: Material) -> Section:
    """One entry per submission, kept or deleted, in the order received."""
    timed: list[tuple[str, str, Entry]] = []
    for sub in m.submissions:
        timed.append((sub.received_at.isoformat(), sub.reference, _register_entry(c, m, sub)))
    for erased in m.erased:
        timed.append((erased.received_at.isoformat(), erased.reference, _erased_entry(c, erased)))
    timed.sort(key=lambda item: (item[0], item[1]))
    return Section(
        REGISTER_HEADING,
        1,
        "Hvert innspill én gang, med det som ikke gjentas i avsnittene over.",
        [entry for _, _, entry in timed],
        empty="Ingen innspill ennå.",
    )


def _received(at_time: datetime) -> str:
    local = at_time.astimezone(OSLO)
    return f"mottatt {norwegian_date(local)} kl. {local:%H.%M}"


def _register_entry(c: Consultation, m: Material, sub: Submission) -> Entry:
    r = sub.respondent
    facts = [r.type_label, _received(sub.received_at)]
    if is_late(sub.received_at, c.deadline):
        facts.append(LATE_LABEL.lower())
    facts.append(language_name(sub.language))
    if channel := channel_name(m.channels.get(sub.reference)):
        facts.append(channel)
    if r.org_number:
        facts.append(f"org.nr. {r.org_number}")
    if r.email:
        facts.append(r.email)
    if sub.attachments:
        facts.append("vedlegg: " + ", ".join(a.file_name for a in sub.attachments))
    if (group := m.likeness.group_of(sub)) is not None:
        facts.append(f"{LIKE_HEADING.lower()}: {group.label.lower()}")
    return Entry(byline(sub, c), " – ".join(facts), stands_for=(sub.reference,))


def _erased_entry(c: Consultation, erased: ErasedSubmission) -> Entry:
    facts = [ERASED_LABEL, _received(erased.received_at)]
    if is_late(erased.received_at, c.deadline):
        facts.append(LATE_LABEL.lower())
    if channel := channel_name(erased.channel):
        facts.append(channel)
    return Entry(erased.reference, " – ".join(facts), stands_for=(erased.reference,))
