"""Admin commands in a private chat, and the staff buttons (digest export, outbox retry).

Only ``ADMIN_USER_IDS`` reach these handlers: for anyone else the commands fall through to the
conversation, which answers them like any unknown command, and the menu lists them only in
each admin's own chat (a per-chat command scope). Staff texts are bokmål.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.channels.telegram.menu import bot_commands
from bot.channels.telegram.staff_chat import EXPORT_BUTTON, RETRY_PREFIX
from bot.channels.telegram.updates import AnyApplication, Context
from bot.i18n.languages import SOURCE
from bot.ops.clock import OSLO
from bot.service.back_office import BackOffice

log = logging.getLogger(__name__)

ADMIN_MENU: tuple[tuple[str, str], ...] = (
    ("statistikk", "Tall for høringen"),
    ("eksport", "Alle innspill som Excel-fil"),
    ("kompilering", "Alle svar samlet i et Word-dokument"),
    ("utboks", "E-post som venter eller har feilet"),
)
"""The admin commands and their menu descriptions (staff texts: bokmål only)."""
MAX_FAILED_SHOWN = 10
"""Failed e-mails listed by /utboks, each with a retry button."""
_STATUS_NAMES = {"pending": "venter", "sending": "sendes", "sent": "sendt", "failed": "feilet"}


def admin_commands() -> list[BotCommand]:
    """An admin's menu: everyone's commands, then the admin ones."""
    return bot_commands(SOURCE) + [BotCommand(name, text) for name, text in ADMIN_MENU]


async def register_admin_menu(bot: Bot, admin_ids: Sequence[int]) -> None:
    """Show the admin commands in each admin's own chat only; a failure is logged, not raised.

    Telegram refuses a chat the bot has never talked in; the admin then gets the menu the next
    time the bot starts after they have written to it.
    """
    for admin_id in admin_ids:
        try:
            await bot.set_my_commands(admin_commands(), scope=BotCommandScopeChat(admin_id))
        except TelegramError as error:
            log.warning("could not set the admin menu for %s: %s", admin_id, error)


@dataclass
class AdminHandlers:
    """The admin commands and staff buttons of one application."""

    office: BackOffice
    admin_ids: frozenset[int]

    def register(self, app: AnyApplication) -> None:
        """Add the handlers; call before the conversation's, so they are tried first."""
        if not self.admin_ids:
            return
        names = "|".join(name for name, _text in ADMIN_MENU)
        command = filters.Regex(rf"^/({names})(@\w+)?\s*$")
        admins = filters.User(user_id=self.admin_ids)
        app.add_handler(
            MessageHandler(
                filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & admins & command,
                self.on_command,
            )
        )
        app.add_handler(CallbackQueryHandler(self.on_button, pattern=r"^staff:"))

    async def on_command(self, update: Update, context: Context) -> None:
        """/statistikk, /eksport, /kompilering or /utboks from an admin."""
        message = update.message
        if message is None or message.text is None:
            return
        name = message.text.strip()[1:].split("@", 1)[0].split()[0].lower()
        if name == "statistikk":
            text = await self.office.statistics()
            await context.bot.send_message(message.chat_id, text[:4096])
        elif name == "eksport":
            await self.send_export(context.bot, message.chat_id)
        elif name == "kompilering":
            await self.send_compilation(context.bot, message.chat_id)
        else:
            text, keyboard = await self.outbox()
            await context.bot.send_message(message.chat_id, text, reply_markup=keyboard)

    async def on_button(self, update: Update, context: Context) -> None:
        """The digest's export button or a retry button; only admins may press them."""
        query = update.callback_query
        if query is None or query.message is None:
            return
        if query.from_user.id not in self.admin_ids:
            await query.answer("Bare for administratorer av boten.", show_alert=True)
            return
        data = query.data or ""
        if data == EXPORT_BUTTON:
            await query.answer("Lager eksporten …")
            await self.send_export(context.bot, query.message.chat.id)
        elif data.startswith(RETRY_PREFIX) and data[len(RETRY_PREFIX) :].isdigit():
            outbox_id = int(data[len(RETRY_PREFIX) :])
            queued = await self.office.retry(outbox_id)
            if queued:
                log.info("outbox %d queued again by an admin", outbox_id)
            await query.answer(
                f"#{outbox_id} sendes på nytt." if queued else f"#{outbox_id} har ikke feilet."
            )
        else:
            await query.answer()

    async def send_export(self, bot: Bot, chat_id: int) -> None:
        """Every submission as an Excel workbook, sent as a document."""
        data, count = await self.office.export()
        await bot.send_document(
            chat_id,
            InputFile(data, filename=f"innspill-{self._today()}.xlsx"),
            caption=f"{count} innspill",
        )

    async def send_compilation(self, bot: Bot, chat_id: int) -> None:
        """Every answer gathered under its theme and question, as a Word document."""
        data, count = await self.office.compilation()
        await bot.send_document(
            chat_id,
            InputFile(data, filename=f"sammenstilling-{self._today()}.docx"),
            caption=f"Sammenstilling av {count} innspill",
        )

    async def outbox(self) -> tuple[str, InlineKeyboardMarkup | None]:
        """Delivery state by status, and the failed e-mails with a button each to retry."""
        records = await self.office.outbox()
        counts: dict[str, int] = {}
        for record in records:
            counts[record.status] = counts.get(record.status, 0) + 1
        lines = ["📬 Utboks"]
        lines += [f"  {_STATUS_NAMES.get(s, s)}: {n}" for s, n in sorted(counts.items())]
        if not records:
            lines.append("  tom")
        failed = [r for r in records if r.status == "failed"][-MAX_FAILED_SHOWN:]
        buttons = []
        for record in failed:
            lines.append(
                f"#{record.id} {record.reference} → {record.recipient}: {record.last_error}"
            )
            buttons.append(
                [
                    InlineKeyboardButton(
                        f"🔁 Prøv igjen #{record.id}",
                        callback_data=f"{RETRY_PREFIX}{record.id}",
                    )
                ]
            )
        return "\n".join(lines)[:4096], InlineKeyboardMarkup(buttons) if buttons else None

    def _today(self) -> str:
        return self.office.clock().astimezone(OSLO).date().isoformat()
