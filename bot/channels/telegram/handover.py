"""Updates in hand across a stop and a start: what is finished, cut off, owed or set aside.

At a start, what the journal says a crash or a stop left is handed over first: replies owed
(:mod:`bot.channels.telegram.owed`), then updates not handled yet. At a stop, the updates in
hand get part of the grace to finish; what is still running then is cancelled, and the stop
says truthfully what it left: updates not handled (handed over again after the restart) and
replies cut off on their way (stored with their update, sent after the restart). An update
that cannot be decoded is set aside here, logged once without its content.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.channels.telegram.chat_queue import ChatQueue, RawUpdate, Undecodable
from bot.channels.telegram.outage_notice import FaultNotice
from bot.channels.telegram.owed import Owed, OwedReply, deliver
from bot.channels.telegram.processor import Cut, UpdateProcessor
from bot.channels.telegram.request import AiohttpRequest
from bot.channels.telegram.updates import update_source
from bot.i18n.languages import resolve_language
from bot.ops.clock import utc_now
from bot.storage.journal import UpdateJournal
from bot.storage.outage import is_outage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intake:
    """The parts that take updates in, kept together for :func:`running`."""

    queue: ChatQueue
    processor: UpdateProcessor
    polling: AiohttpRequest
    journal: UpdateJournal
    faults: FaultNotice


async def pay(bot: Bot, journal: UpdateJournal, item: OwedReply) -> None:
    """Send a reply owed since before the restart.

    It stays owed while Telegram cannot be reached; one Telegram refuses (the person blocked
    the bot, the chat is gone) is given up, so its text is not kept.
    """
    try:
        await deliver(bot, item.owed)
    except (BadRequest, Forbidden) as error:
        log.warning("a reply owed since the restart was refused (%s); given up", error)
    except TelegramError as error:
        log.warning("could not send a reply owed since the restart (%s); kept", error)
        return
    try:
        await journal.paid(item.update_key)
    except Exception as error:
        if not is_outage(error):  # an outage is logged once, by storage
            log.warning("could not note an owed reply as sent", exc_info=True)


def drain_budget(grace: float) -> float:
    """The part of the stop grace for finishing updates; the rest is for closing down."""
    return max(0.0, grace - min(3.0, grace / 4))


async def hand_over_unfinished(intake: Intake, source: str) -> None:
    """What a crash or a stop left: replies owed first, then updates not handled yet."""
    unfinished = await intake.journal.unfinished(source, utc_now())
    for key, reply in unfinished.owed:
        owed = Owed.from_json(reply) if reply else None
        update_id = int(key.rpartition(":")[2])
        if owed is None:  # not one this version can send: nothing to do with it
            await intake.journal.paid(key)
        elif intake.queue.take(update_id):
            intake.queue.put_nowait(OwedReply(key, update_id, owed))
    for data in unfinished.fetched:
        update = RawUpdate(json.loads(data))
        if intake.queue.take(update.update_id):
            intake.queue.put_nowait(update)
    if unfinished.fetched or unfinished.owed or unfinished.quarantined:
        log.info(
            "from before the restart: %d reply(s) owed, %d update(s) to handle, %d set aside"
            " (handed over at too many starts)",
            len(unfinished.owed),
            len(unfinished.fetched),
            unfinished.quarantined,
        )


async def finish_in_hand(intake: Intake, source: str, grace: float) -> None:
    """Handle the updates in hand for part of ``grace``, then cancel the rest.

    What was cut off is said as it is: updates not handled are handed over again after the
    restart, and replies on their way are stored with their update and sent then.
    """
    in_hand = intake.queue.in_hand
    if not in_hand:
        intake.processor.refuse_new()
        return
    log.info("stopping: finishing %d update(s) in hand (at most %.0f s)", in_hand, grace)
    drained = await intake.queue.drain(drain_budget(grace))
    intake.processor.refuse_new()
    if drained:
        return
    cut = await intake.processor.cancel_running()
    owed = [entry for entry in map(lambda c: _owed(source, c), cut) if entry is not None]
    try:
        stored = await intake.journal.owe(owed, utc_now()) if owed else 0
    except Exception as error:  # e.g. the disk is full: said once, truthfully
        log.error(  # noqa: TRY400 - the error's kind and message say it; no traceback needed
            "stopping: %d reply(s) cut off could not be stored (%s)", len(owed), error
        )
        stored = 0
    log.warning(
        "stopping: %d update(s) not handled in time, handled after the restart; "
        "%d reply(s) not delivered, stored and sent after the restart",
        max(0, intake.queue.in_hand - stored),
        stored,
    )


def _owed(source: str, cut: Cut) -> tuple[str, str] | None:
    """The journal entry for a cut-off update: what its reply still owed (if it was stored)."""
    update, turn = cut
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    if update.effective_chat.type != ChatType.PRIVATE:
        return None
    owed = turn.owed if turn is not None else None
    if owed is None:  # cut before its reply was at hand: say how to go on
        user = update.effective_user
        lang, _known = resolve_language(user.language_code if user else None)
        owed = Owed(update.effective_chat.id, lang)
    return f"{source}:{update.update_id}", owed.to_json()


async def quarantine(journal: UpdateJournal, update: Undecodable, queue: ChatQueue) -> None:
    """Set aside an update that could not be decoded: logged once, without its content."""
    source = update_source(queue.bot.id) if queue.bot is not None else "tg"
    try:
        error = f"{update.error} while decoding"
        await journal.quarantine(source, update.update_id, error, utc_now())
    except Exception:
        log.warning("could not record quarantined update %d", update.update_id, exc_info=True)
    log.warning("update %d could not be decoded (%s); set aside", update.update_id, update.error)
