"""Abuse limits: how much one person may submit and upload per hour, and the polite refusals.

The counts live in SQLite (:mod:`bot.storage.counters`), so a restart does not reset them.
A refused action changes nothing: the draft stays as it was and the person can try again
later. Receipts per address are limited where mail is composed (:mod:`bot.mail`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.conversation.events import Reply
from bot.i18n.catalogs import N_, gettext_for

WINDOW = timedelta(hours=1)
"""The period every limit counts over."""


class Action(StrEnum):
    """What a limit counts."""

    SUBMISSION = "submission"
    UPLOAD = "upload"


REFUSALS = {
    Action.SUBMISSION: N_(
        "Du har sendt mange innspill den siste timen. Vent en time, så kan du sende igjen. "
        "Utkastet ditt er lagret."
    ),
    Action.UPLOAD: N_(
        "Du har lastet opp mange dokumenter den siste timen. Vent en time, så kan du laste "
        "opp flere. Det du har sendt før, er lagret."
    ),
}


@dataclass(frozen=True)
class AbuseLimits:
    """How many of each action one person may take within :data:`WINDOW`."""

    submissions_per_hour: int = 3
    uploads_per_hour: int = 30

    def allowed(self, action: Action) -> int:
        """The most ``action`` one person may take within the window."""
        if action is Action.SUBMISSION:
            return self.submissions_per_hour
        return self.uploads_per_hour


def refusal(action: Action, lang: str) -> Reply:
    """The polite answer when ``action`` would go over its limit, in the person's language."""
    return Reply(gettext_for(lang).gettext(REFUSALS[action]))
