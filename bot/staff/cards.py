"""What the staff group reads: a card per submission, an alert per failed delivery, a digest.

Staff texts are bokmål; :mod:`bot.channels.telegram.staff_chat` sends them to the group.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from bot.consultation.deadline import LATE_LABEL, is_late
from bot.consultation.model import Consultation
from bot.conversation.submission import CHANNEL_NAMES, Submission
from bot.ops.clock import OSLO
from bot.staff.likeness import Likeness
from bot.storage import OutboxRecord

FIRST_LINES = 200
"""Characters of the input shown on a card."""


def digest_moment(day: date, at: time) -> datetime:
    """The digest of ``day``, at ``at`` Norwegian time."""
    return datetime.combine(day, at, tzinfo=OSLO)


def latest_digest_moment(now: datetime, at: time) -> datetime:
    """The most recent digest moment at or before ``now``."""
    today = digest_moment(now.astimezone(OSLO).date(), at)
    return today if today <= now else digest_moment(today.date() - timedelta(days=1), at)


def card_text(c: Consultation, sub: Submission) -> str:
    """Who, where, which themes, the first lines, the reference, and whether it came late."""
    r = sub.respondent
    who = f"{r.organisation} ({r.type_label})" if r.organisation else f"{r.name} ({r.type_label})"
    lines = [f"📨 Nytt innspill {sub.reference}", f"Fra: {who}"]
    if r.municipality_name:
        lines.append(f"Kommune: {r.municipality_name}")
    if sub.channel:
        lines.append(f"Kanal: {CHANNEL_NAMES[sub.channel]}")
    if sub.themes:
        lines.append("Tema: " + ", ".join(sub.themes))
    text = " ".join(a.answer for a in sub.answers if a.answer).strip()
    if text:
        short = text if len(text) <= FIRST_LINES else text[: FIRST_LINES - 1].rstrip() + "…"
        lines += ["", f"«{short}»"]
    if sub.attachments:
        lines.append(f"📎 {len(sub.attachments)} vedlegg")
    if is_late(sub.received_at, c.deadline):
        lines += ["", f"⏰ {LATE_LABEL}"]
    return "\n".join(lines)


def alert_text(record: OutboxRecord) -> str:
    """A delivery that will not be tried again by itself, and what to do about it."""
    kind = "til departementet" if record.kind == "ministry" else "kvittering"
    return (
        f"⚠️ E-post {kind} for {record.reference} kunne ikke leveres (#{record.id}).\n"
        f"Feil: {record.last_error or 'ukjent'}\n"
        "Se /utboks for å prøve igjen."
    )


def digest_text(
    c: Consultation,
    subs: list[Submission],
    since: datetime,
    until: datetime,
    likeness: Likeness | None = None,
) -> str:
    """The day's count, «Like innspill» groups they joined, and themes.

    ``likeness`` groups every submission so far, so a campaign spread over days is one group.
    """
    themes = Counter(theme for sub in subs for theme in sub.themes)
    late = sum(is_late(s.received_at, c.deadline) for s in subs)
    span = f"{since.astimezone(OSLO):%d.%m. %H:%M}–{until.astimezone(OSLO):%d.%m. %H:%M}"
    lines = [f"📊 Dagens innspill ({span}): {len(subs)}"]
    if late:
        lines.append(f"{LATE_LABEL}: {late}")
    today = {sub.reference for sub in subs}
    joined = [g for g in (likeness.groups if likeness else []) if today & g.references]
    if joined:
        grouped = sum(len(today & g.references) for g in joined)
        total = sum(len(g.members) for g in joined)
        lines.append(
            f"Like innspill: {grouped} av dagens i {len(joined)}"
            f" {'gruppe' if len(joined) == 1 else 'grupper'} ({total} innspill i alt)"
        )
    if themes:
        lines += ["", "Tema:"]
        lines += [f"  {name}: {n}" for name, n in themes.most_common()]
    return "\n".join(lines)
