"""What a new submission puts in the outbox: the ministry's copy, and a receipt if allowed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.conversation.events import Reply
from bot.conversation.steps.sending import receipt_promise
from bot.conversation.submission import Submission
from bot.i18n.catalogs import gettext_for
from bot.i18n.languages import SOURCE
from bot.mail.headers import message_id_for, safe_address
from bot.storage import OutboxItem, StepReads

log = logging.getLogger(__name__)


def no_receipt_notice(lang: str) -> str:
    """Said when the daily receipt limit of an address refused the receipt."""
    _ = gettext_for(lang).gettext
    return _(
        "Innspillet er sendt, men vi sender ingen kvittering på e-post denne gangen: "
        "den adressen har fått så mange kvitteringer i dag som vi sender. "
        "Ta vare på referansenummeret over."
    )


def without_receipt_promise(replies: list[Reply], lang: str, email: str) -> list[Reply]:
    """``replies`` with the promise of a receipt replaced by why none is sent this time.

    The engine promised one before storage counted the address's receipts today; the person
    must not read both. Where the promise is not found, the notice comes last.
    """
    promise = receipt_promise(lang, email)
    notice = no_receipt_notice(lang)
    for index, reply in enumerate(replies):
        if promise in reply.text:
            changed = [*replies]
            changed[index] = replace(reply, text=reply.text.replace(promise, notice))
            return changed
    return [*replies, Reply(text=notice)]


@dataclass(frozen=True)
class DeliveryPlan:
    """The outbox rows of a submission, with fixed Message-IDs in our mail domain."""

    mail_domain: str
    send_receipts: bool
    receipts_per_address_per_day: int

    def rows_for(self, sub: Submission, reads: StepReads) -> tuple[list[OutboxItem], bool]:
        """The submission's outbox rows, and whether a receipt was refused by the daily limit.

        At most ``receipts_per_address_per_day`` receipts go to one address per (UTC) day: a
        receipt goes to an address nobody confirmed, and without a limit anyone could make the
        bot mail a stranger again and again. The count is read in the step's own transaction.
        """
        reference = sub.reference
        items = [
            OutboxItem(
                kind="ministry",
                reference=reference,
                recipient=sub.recipient,
                message_id=message_id_for(reference, "ministry", self.mail_domain),
                lang=SOURCE,
            )
        ]
        email = sub.respondent.email
        address = safe_address(email) if email else None
        if not address or not self.send_receipts:
            return items, False
        if reads.receipts_on_day(address, sub.received_at) >= self.receipts_per_address_per_day:
            log.warning("receipt not queued: the address reached its limit for today")
            return items, True
        items.append(
            OutboxItem(
                kind="receipt",
                reference=reference,
                recipient=address,
                message_id=message_id_for(reference, "receipt", self.mail_domain),
                lang=sub.language,
            )
        )
        return items, False
