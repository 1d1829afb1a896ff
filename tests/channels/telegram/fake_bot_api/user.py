"""The person on the other end of a chat: sends, clicks, uploads, then reads the replies."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tests.channels.telegram.fake_bot_api.wire import (
    COMMAND_RUN,
    BotMessage,
    CallbackQuery,
    Chat,
    JSONDict,
    snapshot_of,
)

if TYPE_CHECKING:
    from tests.channels.telegram.fake_bot_api.server import FakeBotApi


class FakeUser:
    """A person (in a private chat or a group) acting on the bot through the fake server."""

    def __init__(self, api: FakeBotApi, user: JSONDict, chat: JSONDict) -> None:
        self.api = api
        self.user = user
        self.chat = chat
        self.last_action_mark = 0
        """Number of bot outputs in the chat when this person last did something."""

    @property
    def id(self) -> int:
        """The Telegram user id."""
        return int(self.user["id"])

    @property
    def chat_id(self) -> int:
        """The chat this person writes in."""
        return int(self.chat["id"])

    @property
    def _state(self) -> Chat:
        return self.api._chats[self.chat_id]

    def mark(self) -> int:
        """A bookmark in the bot's output in this chat, for :meth:`replies_since`."""
        return len(self._state.outputs)

    # ------------------------------------------------------------ acting

    async def send(self, text: str) -> BotMessage:
        """Write a text message (commands included, e.g. ``/start``)."""
        body: JSONDict = {"text": text}
        command = COMMAND_RUN.match(text)
        if command:
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        return await self._send_message(body)

    async def click(self, label: str, *, message: BotMessage | None = None) -> str:
        """Press a button: in ``message`` if given, else in the latest message that has it.

        Returns the callback query id, so a test can look at how it was answered.
        """
        state = self._state
        if message is None:
            candidates = [m for m in state.messages.values() if m.from_bot and m.button(label)]
            if not candidates:
                raise AssertionError(
                    f"no button {label!r} in this chat; latest buttons: {self._latest_labels()}"
                )
            message = max(candidates, key=lambda m: m.message_id)
        else:
            message = state.messages[message.message_id]
        button = message.button(label)
        if button is None or button.callback_data is None:
            raise AssertionError(f"message {message.message_id} has no button {label!r}")
        query_id = f"CBQ-{next(self.api._ids)}"
        self.api._callbacks[query_id] = CallbackQuery(query_id, self.chat_id)
        self.last_action_mark = self.mark()
        await self.api._enqueue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user,
                    "chat_instance": f"CI-{self.chat_id}",
                    "data": button.callback_data,
                    "message": dict(state.raw_messages[message.message_id]),
                }
            }
        )
        return query_id

    async def send_document(
        self,
        file_name: str,
        data: bytes,
        mime_type: str | None = "application/pdf",
        *,
        size: int | None = None,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> BotMessage:
        """Send a file; ``size`` may claim more than ``len(data)`` to play an oversized upload."""
        suffix = "." + file_name.rsplit(".", 1)[-1] if "." in file_name else ""
        claimed = size if size is not None else len(data)
        stored = self.api._new_file(data, claimed, "documents", suffix)
        document: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "file_size": stored.size,
        }
        if mime_type:
            document["mime_type"] = mime_type
        body: JSONDict = {"document": document}
        if caption:
            body["caption"] = caption
        if media_group_id:
            body["media_group_id"] = media_group_id
        return await self._send_message(body)

    async def send_album(self, files: Sequence[tuple[str, bytes, str | None]]) -> list[BotMessage]:
        """Send several documents at once: separate updates sharing one ``media_group_id``."""
        group = f"MG-{next(self.api._ids)}"
        mark = self.mark()
        sent = [
            await self.send_document(name, data, mime, media_group_id=group)
            for name, data, mime in files
        ]
        self.last_action_mark = mark
        return sent

    async def send_sticker(self) -> BotMessage:
        """Send a sticker."""
        stored = self.api._new_file(b"RIFF-sticker", 12, "stickers", ".webp")
        return await self._send_message(
            {
                "sticker": {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "emoji": "👍",
                }
            }
        )

    async def send_photo(self, caption: str | None = None) -> BotMessage:
        """Send a photo (Telegram sends several sizes)."""
        stored = self.api._new_file(b"\xff\xd8\xff-jpeg", 8, "photos", ".jpg")
        body: JSONDict = {
            "photo": [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 90,
                    "height": 60,
                    "file_size": stored.size,
                }
            ]
        }
        if caption:
            body["caption"] = caption
        return await self._send_message(body)

    async def send_voice(self) -> BotMessage:
        """Send a voice note."""
        stored = self.api._new_file(b"OggS-voice", 10, "voice", ".oga")
        return await self._send_message(
            {
                "voice": {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "duration": 3,
                    "mime_type": "audio/ogg",
                }
            }
        )

    async def send_location(self) -> BotMessage:
        """Share a location."""
        return await self._send_message({"location": {"latitude": 63.43, "longitude": 10.39}})

    async def send_contact(self) -> BotMessage:
        """Share a contact."""
        return await self._send_message(
            {"contact": {"phone_number": "+4712345678", "first_name": "Per"}}
        )

    async def send_poll(self) -> BotMessage:
        """Send a poll."""
        return await self._send_message(
            {
                "poll": {
                    "id": f"POLL-{next(self.api._ids)}",
                    "question": "Hva synes du?",
                    "options": [
                        {"persistent_id": "o1", "text": "Bra", "voter_count": 0},
                        {"persistent_id": "o2", "text": "Dårlig", "voter_count": 0},
                    ],
                    "total_voter_count": 0,
                    "is_closed": False,
                    "is_anonymous": True,
                    "type": "regular",
                    "allows_multiple_answers": False,
                    "allows_revoting": False,
                    "members_only": False,
                }
            }
        )

    async def edit(self, message: BotMessage, text: str) -> BotMessage:
        """Edit one of this person's earlier text messages."""
        if message.from_bot:
            raise AssertionError("a person can only edit their own messages")
        raw = dict(self._state.raw_messages[message.message_id])
        raw["text"] = text
        raw["edit_date"] = int(time.time())
        self._state.raw_messages[message.message_id] = raw
        snapshot = snapshot_of(self._state, raw, from_bot=False, kind="edited")
        self._state.messages[message.message_id] = snapshot
        self.last_action_mark = self.mark()
        await self.api._enqueue({"edited_message": raw})
        return snapshot

    async def _send_message(self, body: JSONDict) -> BotMessage:
        message = self.api._new_user_message(self._state, self.user, body)
        self.last_action_mark = self.mark()
        await self.api._enqueue({"message": message})
        return self._state.messages[int(message["message_id"])]

    # ------------------------------------------------------------ reading

    async def wait_for_reply(
        self,
        contains: str | None = None,
        *,
        since: int | None = None,
        timeout: float = 5.0,
    ) -> BotMessage:
        """The first reply (new message or edit) after this person's last action.

        With ``contains``, the first one whose text contains it. Fails the test with every
        reply seen if nothing matches in time.
        """
        start = self.last_action_mark if since is None else since
        return await self.api.wait_for_output(self.chat_id, start, contains, timeout)

    async def settle(self) -> list[BotMessage]:
        """Wait until the bot has handled everything sent, and return the replies since then."""
        await self.api.settle()
        return self.replies_since(self.last_action_mark)

    def last_reply(self) -> BotMessage:
        """The bot's latest output in this chat (a new message or an edit)."""
        outputs = self._state.outputs
        if not outputs:
            raise AssertionError("the bot has not replied in this chat")
        return outputs[-1]

    def replies_since(self, mark: int) -> list[BotMessage]:
        """The bot's outputs in this chat after a bookmark from :meth:`mark`."""
        return list(self._state.outputs[mark:])

    def current(self, message: BotMessage) -> BotMessage:
        """The present state of a message (after any edits)."""
        return self._state.messages[message.message_id]

    def _latest_labels(self) -> list[str]:
        for out in reversed(self._state.outputs):
            current = self._state.messages[out.message_id]
            if current.buttons:
                return current.labels
        return []
