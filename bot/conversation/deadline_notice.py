"""The deadline as people meet it: the notice on every way in, the intro, the reminder offer.

When the deadline day ends, and whether the consultation is closed, is decided in
:mod:`bot.consultation.deadline` alone; this module only words it for people.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.consultation.deadline import deadline_end, has_passed
from bot.consultation.model import Consultation, Text
from bot.conversation.context import Ctx
from bot.i18n.formats import format_date

NEAR = timedelta(days=7)
"""From this close to the end of the deadline day, the notice says how much time is left."""


def can_remind(ctx: Ctx) -> bool:
    """Whether to offer a deadline reminder: not asked for yet, and more than a day left."""
    left = deadline_end(ctx.c) - ctx.event.at
    return not ctx.s.remind_deadline and left > timedelta(days=1)


def intro(c: Consultation, at: datetime) -> Text:
    """The intro to show at ``at``: the after-deadline one once the deadline has passed."""
    if has_passed(c, at) and c.intro_after_deadline is not None:
        return c.intro_after_deadline
    return c.intro


def notice(ctx: Ctx) -> str:
    """One line on the deadline: the date, the time left when near, or that it has passed."""
    _, c, at = ctx._, ctx.c, ctx.event.at
    day = format_date(c.deadline, ctx.s.lang)
    if has_passed(c, at):
        if c.deadline_policy == "closed":
            return "⏰ " + _(
                "Fristen gikk ut {date}. Du kan ikke sende nye innspill lenger. "
                "Du kan fortsatt lese utkastet ditt med /oppsummering og slette det med /avbryt."
            ).format(date=day)
        return "⏰ " + _(
            "Fristen gikk ut {date}. Du kan likevel sende, men innspillet blir merket som sent."
        ).format(date=day)
    left = deadline_end(c) - at
    if left > NEAR:
        return _("Frist: {date}.").format(date=day)
    if left > timedelta(days=1):
        days = left.days
        return "⏰ " + ctx.n_(
            "Frist: {date}. Det er {n} dag igjen.",
            "Frist: {date}. Det er {n} dager igjen.",
            days,
        ).format(date=day, n=days)
    hours = max(1, -(-int(left.total_seconds()) // 3600))
    return "⏰ " + ctx.n_(
        "Fristen går ut i dag kl. 23.59. Det er under {n} time igjen.",
        "Fristen går ut i dag kl. 23.59. Det er under {n} timer igjen.",
        hours,
    ).format(n=hours)
