"""Timed work on python-telegram-bot's JobQueue: the staff chat and people's reminders.

What was sent is remembered in SQLite, not in the JobQueue, so the schedule itself is rebuilt
at every start. Before the bot takes updates it catches up: the most recent digest if it was
missed, and any card or alert not sent yet. Then the sweep runs every :data:`SWEEP_SECONDS`,
right after each new submission and on each permanent delivery failure (the outbox's
notifier); the digest goes daily at ``DIGEST_TIME`` Oslo time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from telegram.ext import CallbackContext

from bot.channels.telegram.reminders import Reminders
from bot.channels.telegram.staff_chat import StaffChat
from bot.channels.telegram.updates import AnyApplication
from bot.mail.failures import DeliveryFailure
from bot.mail.notify import ChatNotifier
from bot.ops.clock import OSLO
from bot.service.back_office import BackOffice

REMINDER_SECONDS = 900.0
"""How often reminders and purge warnings are looked for."""
SWEEP_SECONDS = 60.0
"""How often the staff chat looks for failed deliveries (new submissions wake it at once)."""


async def start_staff_chat(
    app: AnyApplication,
    office: BackOffice,
    chat_id: int,
    digest_time: time,
    *,
    submitted_hooks: list[Callable[[], None]],
    notifier: ChatNotifier,
) -> StaffChat:
    """Schedule the staff chat's work on the application's JobQueue (call in ``post_init``).

    A new submission (``submitted_hooks``) and a delivery that failed for good (``notifier``)
    wake the sweep at once.
    """
    queue = app.job_queue
    if queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    staff = StaffChat(app.bot, chat_id, office, digest_time)
    await staff.baseline()
    await staff.digest_if_due()
    await staff.sweep()

    async def sweep(_context: CallbackContext[Any, Any, Any, Any]) -> None:
        await staff.sweep()

    async def digest(_context: CallbackContext[Any, Any, Any, Any]) -> None:
        await staff.digest_if_due()

    queue.run_repeating(sweep, interval=SWEEP_SECONDS, first=SWEEP_SECONDS, name="staff-sweep")
    queue.run_daily(digest, time=digest_time.replace(tzinfo=OSLO), name="staff-digest")

    def wake() -> None:
        queue.run_once(sweep, when=0, name="staff-card")

    async def alert(_failure: DeliveryFailure) -> None:
        await staff.sweep()  # the row is marked failed already; the sweep sends it once

    submitted_hooks.append(wake)
    notifier.add_staff_alert(alert)
    return staff


async def start_reminders(
    app: AnyApplication, office: BackOffice, retention_days: int
) -> Reminders:
    """Send what is due now, then look again every :data:`REMINDER_SECONDS`."""
    queue = app.job_queue
    if queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    reminders = Reminders(app.bot, office, retention_days)
    await reminders.run()

    async def remind(_context: CallbackContext[Any, Any, Any, Any]) -> None:
        await reminders.run()

    queue.run_repeating(remind, interval=REMINDER_SECONDS, first=REMINDER_SECONDS, name="reminders")
    return reminders
