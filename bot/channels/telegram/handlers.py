"""Thin handlers: read the update, call the service, render the replies. No flow logic here.

Text (commands included), button data and files go to the service as they came; the engine
alone decides what they mean, and the service says whether a pressed keyboard is current.

Every handler passes ``update_key = "tg:<bot id>:<update_id>"`` so an update that Telegram
delivers twice (a restart serves again what was not confirmed) is applied once, and two bots
sharing a database never mistake each other's updates.
People are known to the service as ``tg:<telegram user id>``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.channels.telegram import callbacks, flood, turns
from bot.channels.telegram.albums import AlbumCollector, album_of
from bot.channels.telegram.downloads import download
from bot.channels.telegram.outage_notice import FaultNotice
from bot.channels.telegram.render import TELEGRAM, pressed_label
from bot.channels.telegram.reply_sender import LatestMessages, send_replies
from bot.channels.telegram.updates import (
    IN_ALBUM,
    UNSUPPORTED,
    AnyApplication,
    Context,
    unsupported_kind,
    update_key,
    update_keys,
    update_source,
    user_key,
)
from bot.conversation.events import Reply
from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.languages import resolve_language
from bot.ops.clock import utc_now
from bot.ops.logs import where
from bot.service.conversations import ConversationService
from bot.storage.journal import UpdateJournal
from bot.storage.outage import is_outage

log = logging.getLogger(__name__)

GROUP_NOTICE = N_("Skriv til meg i en privat melding, så hjelper jeg deg.")
GROUP_BUTTON = N_("Skriv til meg privat")
GROUP_NOTICE_INTERVAL = 600.0
"""Seconds before the same group or channel is told again, so a busy group is not spammed."""
SORRY = N_("Beklager, noe gikk galt hos meg. Prøv igjen om litt.")


_NEW_MESSAGE = filters.UpdateType.MESSAGE
_PRIVATE = filters.ChatType.PRIVATE


class TelegramHandlers:
    """The handlers of one application, sharing the service and the albums."""

    def __init__(
        self,
        service: ConversationService,
        albums: AlbumCollector,
        *,
        download_limit: int,
        journal: UpdateJournal,
        faults: FaultNotice,
    ) -> None:
        self.service = service
        self.albums = albums
        self.download_limit = download_limit
        """Largest document to try to download (the Bot API's limit: 20 MB)."""
        self.journal = journal
        """Where an update that fails in its handler is set aside (quarantined)."""
        self.faults = faults
        self.latest = LatestMessages()
        """The newest message per chat, so a press on it is answered by editing it."""
        self._told: dict[int, float] = {}

    def register(self, app: AnyApplication) -> None:
        """Add the handlers; the first that matches an update handles it, so order matters."""
        # 1. Groups and channels: a pointer to the private chat, nothing stored.
        app.add_handler(
            MessageHandler(
                (filters.ChatType.GROUPS & _NEW_MESSAGE & ~filters.StatusUpdate.ALL)
                | filters.UpdateType.CHANNEL_POST,
                self.on_group,
            )
        )
        # 2. Button presses (always answered).
        app.add_handler(CallbackQueryHandler(self.on_button))
        # 3. An edited text updates the answer it belonged to.
        app.add_handler(
            MessageHandler(
                _PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.TEXT, self.on_edit
            )
        )
        # 4. Album parts, before documents and photos, so an album is handled as one.
        app.add_handler(MessageHandler(_PRIVATE & _NEW_MESSAGE & IN_ALBUM, self.on_album_part))
        # 5. All private text, commands included, through one parser.
        app.add_handler(MessageHandler(_PRIVATE & _NEW_MESSAGE & filters.TEXT, self.on_text))
        # 6. Documents.
        app.add_handler(
            MessageHandler(_PRIVATE & _NEW_MESSAGE & filters.Document.ALL, self.on_document)
        )
        # 7. Stickers, photos, voice notes, locations, …: a friendly explanation.
        app.add_handler(MessageHandler(_PRIVATE & _NEW_MESSAGE & UNSUPPORTED, self.on_unsupported))
        app.add_error_handler(self.on_error)

    # --- private chat --------------------------------------------------------------------

    async def on_text(self, update: Update, context: Context) -> None:
        """Text or a command (``/start rask``, ``/språk en``, …)."""
        message = update.message
        if message is None or message.text is None or not self._own_chat(message):
            return
        assert message.from_user is not None  # checked by _own_chat
        handled = await self.service.handle_text(
            user_key(message.from_user.id),
            message.text,
            message_ref=str(flood.last_message_id(update)),
            follows_ref=str(message.message_id - 1),
            update_key=update_keys(update, context.bot.id),
            language_code=message.from_user.language_code,
            channel=TELEGRAM,
        )
        await self._reply(context.bot, message.chat_id, handled.replies)

    async def on_button(self, update: Update, context: Context) -> None:
        """A button press: answer it at once, then let the engine judge whether it is current."""
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer()
        except TelegramError as error:  # e.g. too old after a restart; still handle the press
            log.info("could not answer callback query: %s", error)
        message = query.message
        if not isinstance(message, Message) or message.chat.type != ChatType.PRIVATE:
            return
        if message.chat.id != query.from_user.id:
            # A private chat is the person's own: anything else is a forged update, and
            # answering it would show one person's draft in another's chat.
            log.warning("ignoring a button press whose chat is not the presser's own")
            return
        user = user_key(query.from_user.id)
        press = callbacks.decode(query.data) or callbacks.ButtonPress("?", "?")
        handled = await self.service.handle_choice(
            user,
            press.step,
            press.choice,
            update_key=update_key(update, context.bot.id),
            language_code=query.from_user.language_code,
            channel=TELEGRAM,
        )
        await send_replies(
            context.bot,
            message.chat_id,
            handled.replies,
            pressed=message,
            pressed_is_current=handled.keyboard_is_current,
            pressed_label=pressed_label(message, query.data),
            latest=self.latest,
        )

    async def on_edit(self, update: Update, context: Context) -> None:
        """The person edited an earlier message."""
        message = update.edited_message
        if message is None or message.text is None or not self._own_chat(message, seen=False):
            return
        assert message.from_user is not None  # checked by _own_chat
        handled = await self.service.handle_edit(
            user_key(message.from_user.id),
            str(message.message_id),
            message.text,
            update_key=update_key(update, context.bot.id),
            language_code=message.from_user.language_code,
            channel=TELEGRAM,
        )
        await self._reply(context.bot, message.chat_id, handled.replies)

    async def on_document(self, update: Update, context: Context) -> None:
        """A single document."""
        message = update.message
        if message is None or message.document is None or not self._own_chat(message):
            return
        assert message.from_user is not None  # checked by _own_chat
        files = [await download(context.bot, self.download_limit, message.document)]
        handled = await self.service.handle_files(
            user_key(message.from_user.id),
            files,
            caption=message.caption,
            update_key=update_key(update, context.bot.id),
            language_code=message.from_user.language_code,
            channel=TELEGRAM,
        )
        await self._reply(context.bot, message.chat_id, handled.replies)

    async def on_album_part(self, update: Update, context: Context) -> None:
        """Collect an album's parts; its first part hands them to the service as one."""
        if not self.albums.add(update):
            return
        updates = await self.albums.collect(update)
        keys = [update_key(u, context.bot.id) for u in updates]
        parts = [u.message for u in updates if u.message is not None]
        first = parts[0]
        if not all(self._own_chat(m) for m in parts):
            return
        assert first.from_user is not None  # checked by _own_chat
        user, lang_code = user_key(first.from_user.id), first.from_user.language_code
        if all(m.document is not None for m in parts):
            limit = self.download_limit
            files = [await download(context.bot, limit, m.document) for m in parts if m.document]
            caption = next((m.caption for m in parts if m.caption), None)
            handled = await self.service.handle_files(
                user,
                files,
                caption=caption,
                update_key=keys,
                language_code=lang_code,
                channel=TELEGRAM,
            )
        else:
            kind = next((k for k in map(unsupported_kind, parts) if k != "other"), "other")
            handled = await self.service.handle_unsupported(
                user, kind, update_key=keys, language_code=lang_code, channel=TELEGRAM
            )
        log.info("album of %d part(s) handled (media group %s)", len(parts), album_of(update))
        await self._reply(context.bot, first.chat_id, handled.replies)

    async def on_unsupported(self, update: Update, context: Context) -> None:
        """A sticker, photo, voice note, location, contact or poll: explained kindly."""
        message = update.message
        if message is None or not self._own_chat(message):
            return
        assert message.from_user is not None  # checked by _own_chat
        handled = await self.service.handle_unsupported(
            user_key(message.from_user.id),
            unsupported_kind(message),
            update_key=update_key(update, context.bot.id),
            language_code=message.from_user.language_code,
            channel=TELEGRAM,
        )
        await self._reply(context.bot, message.chat_id, handled.replies)

    def _own_chat(self, message: Message, *, seen: bool = True) -> bool:
        """Whether a message was written by the person whose private chat it is in.

        Sessions belong to people, and replies go to their private chat; a message whose
        chat is not its sender's own is a forged update and is ignored. ``seen``: a new
        message, so it is the newest in the chat now.
        """
        user = message.from_user
        if user is None or message.chat_id != user.id:
            log.warning("ignoring a message whose chat is not its sender's own")
            return False
        if seen:
            self.latest.seen(message.chat_id, message.message_id)
        return True

    async def _reply(self, bot: Bot, chat_id: int, replies: list[Reply]) -> None:
        await send_replies(bot, chat_id, replies, latest=self.latest)

    # --- groups, channels, errors ----------------------------------------------------------

    async def on_group(self, update: Update, context: Context) -> None:
        """Point people to the private chat; never store anything said in a group."""
        chat = update.effective_chat
        if chat is None:
            return
        now = time.monotonic()
        if now - self._told.get(chat.id, -GROUP_NOTICE_INTERVAL) < GROUP_NOTICE_INTERVAL:
            return
        if len(self._told) > 1000:
            self._told = {k: t for k, t in self._told.items() if now - t < GROUP_NOTICE_INTERVAL}
        self._told[chat.id] = now
        user = update.effective_user
        lang, _known = resolve_language(user.language_code if user else None)
        _ = gettext_for(lang).gettext
        username = context.bot.username
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(_(GROUP_BUTTON), url=f"https://t.me/{username}")]]
        )
        try:
            await context.bot.send_message(chat.id, _(GROUP_NOTICE), reply_markup=keyboard)
        except TelegramError as error:  # e.g. no right to post in a channel
            log.info("could not answer in chat %s: %s", chat.id, error)

    async def on_error(self, update: object, context: Context) -> None:
        """Storage down: hold the update and say so. Anything else: set the update aside.

        Logged without the error's message, which may quote the update (see
        :func:`bot.ops.logs.where`); a storage outage is logged once by storage itself.
        """
        error = context.error
        if is_outage(error):
            await self._storage_down(update, context.bot)
            return
        if error is None or not isinstance(update, Update):
            log.error("a job failed: %s", where(error) if error else "unknown error")
            return
        try:
            set_aside = await self.journal.quarantine(
                update_source(context.bot.id), update.update_id, where(error), utc_now()
            )
        except Exception:  # the warning below still says what happened
            set_aside = False
        log.warning(
            "update %d %s (%s)",
            update.update_id,
            "failed in its handler; set aside" if set_aside else "failed after it was handled",
            where(error),
        )
        if set_aside:  # handled, only a reply failed: an apology would be wrong or not arrive
            await self._say(context.bot, update, SORRY)

    async def _storage_down(self, update: object, bot: Bot) -> None:
        """Hold the update for a retry, and tell the person once about the fault."""
        turn = turns.current()
        if turn is not None:
            turn.held = True
        if isinstance(update, Update):
            await self._say(bot, update, None)

    async def _say(self, bot: Bot, update: Update, text: str | None) -> None:
        """``text`` (or the fault notice) to the person, in their language, in a private chat."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or chat.type != ChatType.PRIVATE:
            return
        lang = await _safely(
            self.service.language_of(user_key(user.id)), resolve_language(user.language_code)[0]
        )
        if text is None:
            await self.faults.tell(bot, chat.id, lang)
            return
        try:
            sent = await bot.send_message(chat.id, gettext_for(lang).gettext(text))
            self.latest.seen(sent.chat_id, sent.message_id)
        except TelegramError as error:
            log.warning("could not tell the person about the error: %s", error)


async def _safely(call: Awaitable[str], fallback: str) -> str:
    try:
        return await call
    except Exception:
        # The error path must not fail in turn; logged, so the cause is not lost.
        log.warning("could not look up the person's language", exc_info=True)
        return fallback
