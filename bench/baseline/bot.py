"""The consultation as a plain ``ConversationHandler`` with ``PicklePersistence``.

Written the way python-telegram-bot's persistent conversation example is: one callback per
state, the draft in ``context.user_data``, the conversation state and user data pickled to one
file (flushed every ``update_interval`` seconds and at shutdown), sequential update handling,
no rate limiter. Texts are the same bokmål prompts as the product's, so one scripted person
can answer both bots. Finished submissions are written as text files to ``OUTBOX_DIR``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.consultation.municipalities import lookup
from bot.ops.resources import conversations_dir

HOW, TYPE, ORG, NAME, MUNI, EMAIL, THEMES, THEME_Q, QUESTION, QUICK, CONFIRM = range(11)

GUIDED = "Svar på spørsmålene (ca. 10 min)"
QUICK_LABEL = "Send en ferdig tekst eller et dokument"
SKIP = "Hopp over"
DONE = "Ferdig ➡️"
SEND = "✅ Jeg har lest dette – send inn"

Context = ContextTypes.DEFAULT_TYPE
UserData = dict[str, Any]


def _keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


class BaselineBot:
    """The callbacks of the conversation, closed over the consultation."""

    def __init__(self, consultation: Consultation, outbox: Path) -> None:
        self.c = consultation
        self.outbox = outbox
        self.types = {t.id: t for t in consultation.respondent.types}

    # ---------------------------------------------------------------- asking

    async def ask(self, update: Update, data: UserData, state: int) -> int:
        """Send the question of ``state`` (as a new message) and remember where we are."""
        data["state"] = state
        message = update.effective_message
        assert message is not None
        c = self.c
        if state == HOW:
            text = f"Velkommen! {c.title['nb']}\n\n{c.intro['nb']}\n\nHvordan vil du svare?"
            markup = _keyboard([(GUIDED, "guided")], [(QUICK_LABEL, "quick")])
        elif state == TYPE:
            text = "Hvem svarer du for?"
            markup = _keyboard(*[[(t.label["nb"], t.id)] for t in c.respondent.types])
        elif state == ORG:
            text = "Hva heter organisasjonen, virksomheten eller kommunen du svarer for?"
            markup = None
        elif state == NAME:
            text, markup = "Hva heter du?", None
        elif state == MUNI:
            text, markup = "Hvilken kommune bor du i?", _keyboard([(SKIP, "skip")])
        elif state == EMAIL:
            text = "Vil du ha en kvittering på e-post? Skriv e-postadressen din."
            markup = _keyboard([("Nei takk", "no")])
        elif state == THEMES:
            text = "Hvilke tema vil du si noe om? Velg ett eller flere, og trykk «Ferdig»."
            markup = self._theme_keyboard(data)
        elif state == THEME_Q:
            chosen = data["themes"]
            theme = next(t for t in c.themes if t.id == chosen[data["index"]])
            text = (
                f"Tema {data['index'] + 1} av {len(chosen)}: {theme.title['nb']}\n\n"
                f"{theme.prompt['nb']}"
            )
            markup = _keyboard([(SKIP, "skip")])
        elif state == QUESTION:
            question = c.questions[data["index"]]
            text = f"Spørsmål {data['index'] + 1} av {len(c.questions)}\n\n{question.text['nb']}"
            markup = _keyboard([(SKIP, "skip")])
        elif state == QUICK:
            text = "Lim inn innspillet ditt her."
            markup = None
        else:
            text = f"{self._summary(data)}\n\nNår du trykker «Send inn», sendes innspillet."
            markup = _keyboard([(SEND, "send")])
        await message.chat.send_message(text[:4096], reply_markup=markup)
        return state

    def _theme_keyboard(self, data: UserData) -> InlineKeyboardMarkup:
        chosen = set(data.get("themes", []))
        rows = [
            [(("✅ " if t.id in chosen else "⬜ ") + t.title["nb"], t.id)] for t in self.c.themes
        ]
        return _keyboard(*rows, [(DONE, "done")])

    def _summary(self, data: UserData) -> str:
        lines = [f"📋 Oppsummering\n{data.get('name', '')}"]
        lines += [f"{key}: {value}" for key, value in data.get("answers", {}).items()]
        return "\n".join(lines)

    # ---------------------------------------------------------------- entry and resume

    async def start(self, update: Update, context: Context) -> int:
        """``/start`` (``/start rask``: the quick path); a kept draft is continued."""
        data = context.user_data
        assert data is not None
        if "state" in data:
            return await self.ask(update, data, int(data["state"]))
        data.clear()
        data["answers"] = {}
        if context.args and context.args[0] == "rask":
            data["quick"] = True
            return await self.ask(update, data, TYPE)
        return await self.ask(update, data, HOW)

    # ---------------------------------------------------------------- buttons

    async def how(self, update: Update, context: Context) -> int:
        query, data = await self._pressed(update, context)
        data["quick"] = query == "quick"
        return await self.ask(update, data, TYPE)

    async def respondent_type(self, update: Update, context: Context) -> int:
        query, data = await self._pressed(update, context)
        data["type"] = query
        organisation = self.types[query].organisation if query in self.types else False
        return await self.ask(update, data, ORG if organisation else NAME)

    async def skip_municipality(self, update: Update, context: Context) -> int:
        _, data = await self._pressed(update, context)
        return await self.ask(update, data, EMAIL)

    async def no_email(self, update: Update, context: Context) -> int:
        _, data = await self._pressed(update, context)
        return await self.ask(update, data, QUICK if data.get("quick") else THEMES)

    async def toggle_theme(self, update: Update, context: Context) -> int:
        query, data = await self._pressed(update, context)
        chosen: list[str] = data.setdefault("themes", [])
        if query == "done":
            if not chosen:
                return THEMES
            data["index"] = 0
            return await self.ask(update, data, THEME_Q)
        if query in chosen:
            chosen.remove(query)
        else:
            chosen.append(query)
        assert update.callback_query is not None
        await update.callback_query.edit_message_reply_markup(self._theme_keyboard(data))
        return THEMES

    async def skip_question(self, update: Update, context: Context) -> int:
        _, data = await self._pressed(update, context)
        return await self._next_question(update, data)

    async def send(self, update: Update, context: Context) -> int:
        _, data = await self._pressed(update, context)
        reference = f"{self.c.reference_prefix}-{secrets.token_hex(4).upper()}"
        record = {"reference": reference, **{k: v for k, v in data.items() if k != "state"}}
        path = self.outbox / f"{reference}.baseline.txt"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        data.clear()
        message = update.effective_message
        assert message is not None
        await message.chat.send_message(f"Takk! Innspillet er sendt.\nReferansenummer: {reference}")
        return ConversationHandler.END

    async def _pressed(self, update: Update, context: Context) -> tuple[str, UserData]:
        query = update.callback_query
        assert query is not None
        assert context.user_data is not None
        await query.answer()
        return str(query.data), context.user_data

    # ---------------------------------------------------------------- typed answers

    async def organisation(self, update: Update, context: Context) -> int:
        text, data = self._typed(update, context)
        data["organisation"] = text
        return await self.ask(update, data, NAME)

    async def name(self, update: Update, context: Context) -> int:
        text, data = self._typed(update, context)
        data["name"] = text
        return await self.ask(update, data, MUNI)

    async def municipality(self, update: Update, context: Context) -> int:
        text, data = self._typed(update, context)
        found = lookup(text).matches
        if len(found) != 1:
            message = update.effective_message
            assert message is not None
            await message.reply_text("Jeg fant ingen kommune med det navnet. Prøv igjen.")
            return MUNI
        data["municipality"] = found[0].name
        return await self.ask(update, data, EMAIL)

    async def email(self, update: Update, context: Context) -> int:
        text, data = self._typed(update, context)
        data["email"] = text
        return await self.ask(update, data, QUICK if data.get("quick") else THEMES)

    async def theme_answer(self, update: Update, context: Context) -> int:
        text, data = self._typed(update, context)
        data["answers"][f"tema {data['themes'][data['index']]}"] = text
        return await self._next_question(update, data)

    async def question_answer(self, update: Update, context: Context) -> int:
        text, data = self._typed(update, context)
        data["answers"][self.c.questions[data["index"]].id] = text
        return await self._next_question(update, data)

    async def quick_text(self, update: Update, context: Context) -> int:
        text, data = self._typed(update, context)
        data["answers"]["tekst"] = text
        return await self.ask(update, data, CONFIRM)

    async def _next_question(self, update: Update, data: UserData) -> int:
        data["index"] += 1
        if data["state"] == THEME_Q and data["index"] >= len(data["themes"]):
            data["index"] = 0
            return await self.ask(update, data, QUESTION if self.c.questions else CONFIRM)
        if data["state"] == QUESTION and data["index"] >= len(self.c.questions):
            return await self.ask(update, data, CONFIRM)
        return await self.ask(update, data, int(data["state"]))

    def _typed(self, update: Update, context: Context) -> tuple[str, UserData]:
        message = update.effective_message
        assert message is not None
        assert context.user_data is not None
        return message.text or "", context.user_data

    # ---------------------------------------------------------------- wiring

    def handler(self) -> ConversationHandler[Context]:
        """The conversation, persistent under one name, as in the example."""
        typed = filters.TEXT & ~filters.COMMAND

        def button(callback: Any) -> BaseHandler[Update, Context, object]:
            return CallbackQueryHandler(callback)

        return ConversationHandler(
            entry_points=[CommandHandler("start", self.start)],
            states={
                HOW: [button(self.how)],
                TYPE: [button(self.respondent_type)],
                ORG: [MessageHandler(typed, self.organisation)],
                NAME: [MessageHandler(typed, self.name)],
                MUNI: [MessageHandler(typed, self.municipality), button(self.skip_municipality)],
                EMAIL: [MessageHandler(typed, self.email), button(self.no_email)],
                THEMES: [button(self.toggle_theme)],
                THEME_Q: [MessageHandler(typed, self.theme_answer), button(self.skip_question)],
                QUESTION: [
                    MessageHandler(typed, self.question_answer),
                    button(self.skip_question),
                ],
                QUICK: [MessageHandler(typed, self.quick_text)],
                CONFIRM: [button(self.send)],
            },
            fallbacks=[CommandHandler("start", self.start)],
            name="innspill",
            persistent=True,
            allow_reentry=True,
        )


def main() -> None:
    """Run with the product's environment: token, API URL, database path, outbox folder."""
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    root = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
    database = Path(os.environ.get("DATABASE_PATH", "var/baseline.sqlite3"))
    outbox = Path(os.environ.get("OUTBOX_DIR", "var/outbox"))
    outbox.mkdir(parents=True, exist_ok=True)
    consultation = load_consultation(
        Path(os.environ.get("CONVERSATION_FILE", conversations_dir() / "strategi-for-smabyer.toml"))
    )
    persistence = PicklePersistence(filepath=database.with_suffix(".pickle"))
    application = (
        Application.builder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .persistence(persistence)
        .build()
    )
    application.add_handler(BaselineBot(consultation, outbox).handler())
    application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=10)
