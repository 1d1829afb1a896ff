"""The staff group: a card per new submission, an alert per failed delivery, a daily digest.

Everything sent here is remembered in ``jobs_sent`` (:class:`bot.storage.job_log.JobLog`) under
a key naming what it was about, so a restart neither repeats nor skips a message: cards and
alerts are found by a sweep (woken by each new submission, and every minute for failures),
and the digest due most recently is sent at start-up if it was missed. Staff texts are bokmål.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.consultation.deadline import LATE_LABEL, is_late
from bot.consultation.model import Consultation
from bot.conversation.submission import CHANNEL_NAMES, Submission
from bot.ops.clock import OSLO
from bot.service.back_office import BackOffice
from bot.staff.likeness import Likeness
from bot.staff.material import Material
from bot.storage import OutboxRecord

log = logging.getLogger(__name__)

EXPORT_BUTTON = "staff:eksport"
"""Callback data of the digest's export button (handled in :mod:`bot.channels.telegram.admin`)."""
RETRY_PREFIX = "staff:retry:"
"""Callback data prefix of a retry button: ``staff:retry:<outbox id>``."""
FIRST_LINES = 200
"""Characters of the input shown on a card."""
BACKGROUND: dict[str, Any] = {"priority": "background"}
"""Staff messages wait behind replies to people (see :mod:`bot.channels.telegram.ratelimit`)."""
DIGEST_SLACK = timedelta(seconds=5)
BASELINE = "staff:baseline"
"""Set the first time the staff chat runs: what existed before gets no card or alert."""


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


@dataclass
class StaffChat:
    """Sends to the staff group and remembers what it sent."""

    bot: ExtBot[Any]
    chat_id: int
    office: BackOffice
    digest_time: time

    @property
    def consultation(self) -> Consultation:
        """The consultation the cards and digests are about."""
        return self.office.consultation

    async def baseline(self) -> None:
        """On the very first run, count what already exists as seen (no flood of old cards)."""
        if await self.office.was_sent(BASELINE):
            return
        subs = await self.office.submissions()
        failed = await self.office.outbox("failed")
        keys = [f"card:{s.reference}" for s in subs] + [f"alert:{r.id}" for r in failed]
        await self.office.mark_sent([*keys, BASELINE])

    async def sweep(self) -> None:
        """Send the cards and alerts not sent yet."""
        references, failed = await self.office.not_yet_told()
        for reference in references:
            sub = await self.office.submission(reference)
            if sub is not None:
                await self._once(f"card:{reference}", card_text(self.consultation, sub))
        for outbox_id in failed:
            record = await self.office.outbox_row(outbox_id)
            if record is not None:
                await self._once(f"alert:{outbox_id}", alert_text(record))

    async def digest_if_due(self) -> bool:
        """Send the digest due most recently unless it went out already; ``True`` if sent."""
        # A job may fire a hair before its moment by our clock: a little slack, not a day early.
        until = latest_digest_moment(self.office.clock() + DIGEST_SLACK, self.digest_time)
        since = until - timedelta(days=1)
        # Grouped by what people typed: documents' text is left to the export and compilation,
        # so the daily digest never reads every document ever uploaded.
        material = Material(await self.office.submissions())
        subs = [s for s in material.submissions if since < s.received_at <= until]
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton("📥 Hent eksporten (Excel)", callback_data=EXPORT_BUTTON)]]
        )
        text = digest_text(self.consultation, subs, since, until, material.likeness)
        return await self._once(f"digest:{until.date().isoformat()}", text, keyboard)

    async def _once(
        self, key: str, text: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> bool:
        if not await self.office.claim(key):
            return False
        try:
            await self.bot.send_message(
                self.chat_id, text[:4096], reply_markup=keyboard, rate_limit_args=BACKGROUND
            )
        except TelegramError as error:
            await self.office.release(key)
            log.warning("could not post %s to the staff chat: %s", key, error)
            return False
        log.info("posted %s to the staff chat", key)
        return True
