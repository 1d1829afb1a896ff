"""Telling people and staff that a submission could not be delivered.

The outbox worker hands every permanent failure to a :class:`ChatNotifier`. For the ministry's
copy it tells the person in their chat, in their language, with the reference and what happens
next; staff alerts (the staff chat) subscribe with :meth:`ChatNotifier.add_staff_alert`. A
failed receipt concerns staff only: the ministry has the submission.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.i18n.catalogs import gettext_for
from bot.mail.failures import DeliveryFailure

log = logging.getLogger(__name__)

SendText = Callable[[str, str], Awaitable[None]]
"""Send a plain text to a person by their user id (e.g. ``tg:123``)."""
StaffAlert = Callable[[DeliveryFailure], Awaitable[None]]
"""Alert staff about a failure (the staff chat implements one)."""


def failure_notice(reference: str, lang: str) -> str:
    """What the person reads when the ministry's server refused their submission."""
    _ = gettext_for(lang).gettext
    return _(
        "Innspillet ditt (referanse {reference}) kom dessverre ikke fram til departementet: "
        "e-postserveren deres avviste det. Vi som driver boten, har fått beskjed. Vi prøver å "
        "sende det på nytt eller tar kontakt med departementet. Du trenger ikke gjøre noe nå."
    ).format(reference=reference)


class ChatNotifier:
    """Implements the worker's ``DeliveryNotifier``: the person's chat, then staff alerts."""

    def __init__(self) -> None:
        self._send: SendText | None = None
        self._staff_alerts: list[StaffAlert] = []

    def attach(self, send: SendText | None) -> None:
        """Where chat messages go (the Telegram bot); ``None`` (terminal): only log."""
        self._send = send

    def add_staff_alert(self, alert: StaffAlert) -> None:
        """Call ``alert`` for every permanent failure (ministry copies and receipts)."""
        self._staff_alerts.append(alert)

    async def on_permanent_failure(self, failure: DeliveryFailure) -> None:
        """Tell the person about a ministry copy that failed; then every staff alert."""
        if failure.kind == "ministry":
            await self._tell_person(failure)
        for alert in self._staff_alerts:
            try:
                await alert(failure)
            except Exception:
                log.exception("staff alert about outbox %d failed", failure.outbox_id)

    async def _tell_person(self, failure: DeliveryFailure) -> None:
        if failure.user_id is None:
            log.warning("outbox %d: the sender is no longer stored", failure.outbox_id)
            return
        if self._send is None:
            log.warning(
                "outbox %d (%s): no chat to tell the sender in",
                failure.outbox_id,
                failure.reference,
            )
            return
        try:
            await self._send(failure.user_id, failure_notice(failure.reference, failure.language))
        except Exception:
            log.exception("outbox %d: telling the sender in the chat failed", failure.outbox_id)
        else:
            log.info(
                "outbox %d (%s): the sender was told in the chat",
                failure.outbox_id,
                failure.reference,
            )
