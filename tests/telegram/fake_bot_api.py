"""A local stand-in for Telegram's Bot API server, and test helpers that act like people.

The real ``telegram.ext.Application`` talks HTTP to this server exactly as it would to
``api.telegram.org`` (``POST /bot<token>/<method>``, file downloads from
``GET /file/bot<token>/<path>``). Tests then read like a conversation::

    user = api.user(1001)
    await user.send("/start")
    await user.wait_for_reply("Velkommen")
    await user.click("Privatperson")

Anything the bot does that this server does not know (an unknown method, a wrong token, an
unknown URL, bad parameters Telegram would refuse) is answered the way Telegram answers it
*and* recorded in :attr:`FakeBotApi.errors`; the fixture that owns the server fails the test
if that list is not empty. Updates are delivered by long polling (``getUpdates`` with offset
semantics) or, after ``setWebhook``, by POSTing them to the bot's webhook in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp
from aiohttp import web

JSONDict = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
DEFAULT_DOWNLOAD_LIMIT = 20 * 1024 * 1024

# How the bot's form fields are decoded: PTB sends every non-string value JSON-encoded.
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "entities",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
_INT_KEYS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "max_connections"}
)
_BOOL_KEYS = frozenset(
    {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}
)
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND_RUN = re.compile(r"^/[A-Za-z0-9_@]+")


class _ApiError(Exception):
    """An error answer the way Telegram gives it."""

    def __init__(
        self,
        status: int,
        description: str,
        parameters: JSONDict | None = None,
        *,
        benign: bool = False,
    ):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters
        self.benign = benign
        """A refusal a correct bot can still meet in a race (e.g. an edit after a double tap)."""


@dataclass
class ApiCall:
    """One request the bot made."""

    method: str
    params: JSONDict
    files: dict[str, bytes]
    status: int = 200


@dataclass(frozen=True)
class Button:
    """An inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """A snapshot of a message in a chat (the bot's or the user's), as a person would see it."""

    chat_id: int
    message_id: int
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    from_bot: bool = True
    kind: Literal["sent", "edited"] = "sent"
    """For bot output: a new message, or an edit of an earlier one."""

    @property
    def labels(self) -> list[str]:
        """Every button label, row by row."""
        return [b.text for row in self.buttons for b in row]

    def button(self, label: str) -> Button | None:
        """The button with this label; ✅/⬜ toggle prefixes may be left out of ``label``."""
        for row in self.buttons:
            for b in row:
                if b.text == label or _strip_toggle(b.text) == label:
                    return b
        return None


def _strip_toggle(label: str) -> str:
    for prefix in ("✅ ", "⬜ ", "✅", "⬜"):
        if label.startswith(prefix):
            return label[len(prefix) :]
    return label


@dataclass
class _Failure:
    method: str
    status: int
    retry_after: int | None
    remaining: int


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    size: int


@dataclass
class _Chat:
    raw: JSONDict
    next_message_id: int = 1
    messages: dict[int, BotMessage] = field(default_factory=dict)
    raw_messages: dict[int, JSONDict] = field(default_factory=dict)
    outputs: list[BotMessage] = field(default_factory=list)
    """Everything the bot did in this chat, in order: new messages and edits."""


@dataclass
class _CallbackQuery:
    id: str
    chat_id: int
    answered: bool = False
    text: str | None = None


@dataclass
class WebhookDelivery:
    """One POST of an update to the bot's webhook, and the HTTP status it got."""

    update_id: int
    status: int


class FakeBotApi:
    """An aiohttp server on 127.0.0.1 that plays Telegram's Bot API for one bot token."""

    def __init__(
        self,
        token: str = "123456:TEST-token_for-the-fake-api",
        *,
        bot_id: int = 7_000_001,
        bot_username: str = "innspill_test_bot",
        download_limit: int = DEFAULT_DOWNLOAD_LIMIT,
    ) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Innspill",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.download_limit = download_limit
        self.calls: list[ApiCall] = []
        self.errors: list[str] = []
        """Requests Telegram would refuse or that this fake does not know; must stay empty."""
        self.benign_refusals: list[str] = []
        """Refusals a correct bot meets in races ("message is not modified" after a double tap)."""
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        """setMyCommands results by (scope type, language code)."""
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.all_handled: Callable[[], Awaitable[None]] | None = None
        """Returns once the bot has handled every update it took (set where the bot starts)."""
        self._chats: dict[int, _Chat] = {}
        self._pending: list[JSONDict] = []
        self._sent_updates: dict[int, JSONDict] = {}
        self._confirmed_up_to = 0
        self._update_ids = itertools.count(10_001)
        self._ids = itertools.count(1)
        self._files: dict[str, _StoredFile] = {}
        self._callbacks: dict[str, _CallbackQuery] = {}
        self._failures: list[_Failure] = []
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._deliverer: asyncio.Task[None] | None = None
        self._webhook_session: aiohttp.ClientSession | None = None

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Listen on a free port on 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Wake every long poll and stop the server."""
        self._closing = True
        await self._notify()
        if self._deliverer is not None:
            self._deliverer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._deliverer
        if self._webhook_session is not None:
            await self._webhook_session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def root_url(self) -> str:
        """What goes into ``TELEGRAM_API_URL``: the bot appends ``/bot<token>/`` itself."""
        return f"http://127.0.0.1:{self._port}"

    # ---------------------------------------------------------------- test-facing API

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Kari",
        language_code: str | None = "nb",
    ) -> FakeUser:
        """A person writing to the bot in a private chat."""
        user = self._user_json(user_id, first_name, language_code)
        chat = {"id": user_id, "type": "private", "first_name": first_name}
        self._chat(chat)
        return FakeUser(self, user, chat)

    def group_member(
        self,
        user_id: int,
        *,
        group_id: int = -100_200_300,
        title: str = "Småbylaget",
        first_name: str = "Ola",
        language_code: str | None = "nb",
    ) -> FakeUser:
        """A person writing in a group the bot is a member of."""
        user = self._user_json(user_id, first_name, language_code)
        chat = {"id": group_id, "type": "supergroup", "title": title}
        self._chat(chat)
        return FakeUser(self, user, chat)

    async def channel_post(self, text: str, *, channel_id: int = -100_900_900) -> BotMessage:
        """A post in a channel the bot is an administrator of."""
        chat = {"id": channel_id, "type": "channel", "title": "Kanalen"}
        state = self._chat(chat)
        message = self._new_user_message(state, None, {"text": text})
        await self._enqueue({"channel_post": message})
        return self._snapshot(state, message, from_bot=False)

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (429 with retry_after, 502, …)."""
        self._failures.append(_Failure(method, status, retry_after, times))

    async def requeue(self, update_id: int) -> None:
        """Deliver an update again, as Telegram does when the bot stopped before confirming it.

        Only a bot that starts polling afresh (offset 0) sees it, as with the real server.
        """
        self._pending.insert(0, dict(self._sent_updates[update_id]))
        await self._notify()
        if self.webhook_url is not None:
            self._ensure_deliverer()

    def last_update_id(self) -> int:
        """The id of the newest update created (by any user)."""
        return max(self._sent_updates)

    def calls_to(self, method: str) -> list[ApiCall]:
        """The successful and failed calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    def outputs(self, chat_id: int) -> list[BotMessage]:
        """Everything the bot did in a chat: new messages and edits, in order."""
        return list(self._chats[chat_id].outputs) if chat_id in self._chats else []

    def message(self, chat_id: int, message_id: int) -> BotMessage:
        """The current state of a message."""
        return self._chats[chat_id].messages[message_id]

    def unanswered_callback_queries(self) -> list[str]:
        """Ids of button presses the bot never answered (the button keeps spinning)."""
        return [q.id for q in self._callbacks.values() if not q.answered]

    def callback_answer(self, query_id: str) -> str | None:
        """The toast text the bot showed for a button press (``None`` if none or unanswered)."""
        return self._callbacks[query_id].text

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot (long polling) or delivered (webhook)."""
        return len(self._pending)

    def assert_clean(self) -> None:
        """Fail if the bot did anything Telegram would have refused, or left a button spinning."""
        problems = list(self.errors)
        problems += [
            f"callback query {q} never answered" for q in self.unanswered_callback_queries()
        ]
        if problems:
            raise AssertionError("Bot API misuse:\n" + "\n".join(problems))

    async def wait_until_delivered(self, timeout: float = 5.0) -> None:
        """Wait until the bot has fetched (and confirmed) every queued update."""
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: not self._pending)

    async def wait_for_output(
        self,
        chat_id: int,
        since: int,
        contains: str | None,
        timeout: float,
    ) -> BotMessage:
        """The first bot output in a chat at index ``since`` or later that contains a text."""

        def found() -> BotMessage | None:
            for out in self._chats[chat_id].outputs[since:]:
                if contains is None or contains in out.text:
                    return out
            return None

        try:
            async with asyncio.timeout(timeout):
                async with self._changed:
                    await self._changed.wait_for(lambda: found() is not None)
        except TimeoutError:
            seen = "\n---\n".join(o.text for o in self._chats[chat_id].outputs[since:])
            raise AssertionError(
                f"no reply containing {contains!r} within {timeout}s; replies were:\n{seen}"
            ) from None
        result = found()
        assert result is not None
        return result

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until the bot took every update and finished handling it, replies included."""
        if self.all_handled is None:
            raise AssertionError("settle() needs a running bot that set api.all_handled")
        await self.wait_until_delivered(timeout)
        async with asyncio.timeout(timeout):
            await self.all_handled()

    # ---------------------------------------------------------------- building updates

    def _user_json(self, user_id: int, first_name: str, language_code: str | None) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, raw: JSONDict) -> _Chat:
        chat_id = int(raw["id"])
        if chat_id not in self._chats:
            self._chats[chat_id] = _Chat(raw=raw)
        return self._chats[chat_id]

    def _new_user_message(self, chat: _Chat, user: JSONDict | None, body: JSONDict) -> JSONDict:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSONDict = {"message_id": message_id, "date": int(time.time()), "chat": chat.raw}
        if user is not None:
            message["from"] = user
        message.update(body)
        chat.raw_messages[message_id] = message
        chat.messages[message_id] = self._snapshot(chat, message, from_bot=False)
        return message

    def _snapshot(
        self,
        chat: _Chat,
        message: JSONDict,
        *,
        from_bot: bool,
        kind: Literal["sent", "edited"] = "sent",
    ) -> BotMessage:
        markup = message.get("reply_markup") or {}
        rows = tuple(
            tuple(Button(b["text"], b.get("callback_data"), b.get("url")) for b in row)
            for row in markup.get("inline_keyboard", [])
        )
        text = message.get("text") or message.get("caption") or ""
        return BotMessage(
            int(chat.raw["id"]), int(message["message_id"]), text, rows, from_bot, kind
        )

    def _new_file(self, data: bytes, size: int, folder: str, suffix: str) -> _StoredFile:
        n = next(self._ids)
        stored = _StoredFile(
            file_id=f"FILE-{n:06d}-{folder}",
            file_unique_id=f"U{n:06d}",
            file_path=f"{folder}/file_{n}{suffix}",
            data=data,
            size=size,
        )
        self._files[stored.file_id] = stored
        return stored

    async def _enqueue(self, body: JSONDict) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **body}
        self._sent_updates[update_id] = update
        self._pending.append(update)
        await self._notify()
        if self.webhook_url is not None:
            self._ensure_deliverer()
        return update_id

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---------------------------------------------------------------- HTTP side

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        bot_prefix = f"/bot{self.token}/"
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix) and request.method == "GET":
            return self._download(path[len(file_prefix) :])
        if path.startswith(bot_prefix) and request.method in {"GET", "POST"}:
            method = path[len(bot_prefix) :]
            params, files = await self._read_params(request)
            call = ApiCall(method, params, files)
            self.calls.append(call)
            response = await self._call(method, params, files)
            call.status = response.status
            await self._notify()
            return response
        if path.startswith("/bot") or path.startswith("/file/bot"):
            self.errors.append(f"{request.method} {self._redacted(path)}: wrong token or method")
            return _error_response(_ApiError(401, "Unauthorized"))
        self.errors.append(f"unexpected request {request.method} {self._redacted(path)}")
        return _error_response(_ApiError(404, "Not Found"))

    def _redacted(self, text: str) -> str:
        return text.replace(self.token, "<token>")

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, bytes]]:
        params: JSONDict = {}
        files: dict[str, bytes] = {}
        if request.method == "GET":
            form: Any = request.query
        elif request.content_type == "application/json":
            return dict(await request.json()), files
        else:
            form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
                continue
            params[key] = _decode(key, str(value))
        return params, files

    async def _call(self, method: str, params: JSONDict, files: dict[str, bytes]) -> web.Response:
        for failure in self._failures:
            if failure.method == method and failure.remaining > 0:
                failure.remaining -= 1
                return _failure_response(failure)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            self.errors.append(f"unexpected Bot API method {method}")
            return _error_response(_ApiError(404, "Not Found: method not found"))
        try:
            result = await handler(params, files)
        except _ApiError as exc:
            refusal = f"{method} refused: {exc.description} (params {params})"
            if exc.benign:
                self.benign_refusals.append(refusal)
            elif exc.status != 409:
                self.errors.append(refusal)
            return _error_response(exc)
        return web.json_response({"ok": True, "result": result})

    def _download(self, file_path: str) -> web.Response:
        for stored in self._files.values():
            if stored.file_path == file_path:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        self.errors.append(f"download of unknown file {file_path}")
        return _error_response(_ApiError(404, "Not Found"))

    # ---------------------------------------------------------------- Bot API methods

    async def _api_getMe(self, params: JSONDict, files: dict[str, bytes]) -> JSONDict:  # noqa: N802
        return self.bot_user

    async def _api_getUpdates(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> list[JSONDict]:
        if self.webhook_url is not None:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset < 0 and self._pending:
            keep = self._pending[offset:]
            self._pending = keep
        elif offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        await self._notify()
        if not self._pending and timeout > 0 and not self._closing:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    async with self._changed:
                        await self._changed.wait_for(lambda: bool(self._pending) or self._closing)
        return [dict(u) for u in self._pending[:limit]]

    async def _api_sendMessage(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> JSONDict:
        chat = self._known_chat(params)
        text = str(params.get("text", ""))
        _check_text(text)
        markup = _check_markup(params.get("reply_markup"))
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSONDict = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.raw,
            "from": self.bot_user,
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        chat.raw_messages[message_id] = message
        snapshot = self._snapshot(chat, message, from_bot=True)
        chat.messages[message_id] = snapshot
        chat.outputs.append(snapshot)
        return message

    async def _api_editMessageText(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> JSONDict:
        chat, message = self._editable(params)
        text = str(params.get("text", ""))
        _check_text(text)
        markup = _check_markup(params.get("reply_markup"))
        if message.get("text") == text and (message.get("reply_markup") or None) == markup:
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
                benign=True,
            )
        message["text"] = text
        return self._store_edit(chat, message, markup)

    async def _api_editMessageReplyMarkup(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> JSONDict:
        chat, message = self._editable(params)
        markup = _check_markup(params.get("reply_markup"))
        if (message.get("reply_markup") or None) == markup:
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
                benign=True,
            )
        return self._store_edit(chat, message, markup)

    async def _api_answerCallbackQuery(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> bool:
        query = self._callbacks.get(str(params.get("callback_query_id")))
        if query is None or query.answered:
            raise _ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        query.answered = True
        text = params.get("text")
        query.text = str(text) if text else None
        if text and len(str(text)) > 200:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_setMyCommands(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not commands or len(commands) > 100:
            raise _ApiError(400, "Bad Request: commands must be a non-empty list")
        for command in commands:
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not _COMMAND_NAME.match(name):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        language_code = str(params.get("language_code") or "")
        if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
            raise _ApiError(400, "Bad Request: invalid language code")
        self.commands[(str(scope.get("type")), language_code)] = list(commands)
        return True

    async def _api_deleteWebhook(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> bool:
        self.webhook_url = None
        self.webhook_secret = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _api_setWebhook(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._api_deleteWebhook(params, files)
        if not url.startswith(("http://127.0.0.1", "https://")):
            raise _ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(str(secret)):
            raise _ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook_url = url
        self.webhook_secret = str(secret) if secret is not None else None
        if self._pending:
            self._ensure_deliverer()
        return True

    async def _api_getFile(  # noqa: N802
        self, params: JSONDict, files: dict[str, bytes]
    ) -> JSONDict:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise _ApiError(
                400, "Bad Request: wrong file_id or the file is temporarily unavailable"
            )
        if stored.size > self.download_limit:
            raise _ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    # ---------------------------------------------------------------- helpers for methods

    def _known_chat(self, params: JSONDict) -> _Chat:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise _ApiError(400, "Bad Request: chat not found")
        return self._chats[chat_id]

    def _editable(self, params: JSONDict) -> tuple[_Chat, JSONDict]:
        if "inline_message_id" in params:
            raise _ApiError(400, "Bad Request: this fake knows no inline messages")
        chat = self._known_chat(params)
        message = chat.raw_messages.get(int(params.get("message_id") or 0))
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise _ApiError(400, "Bad Request: message can't be edited")
        return chat, message

    def _store_edit(self, chat: _Chat, message: JSONDict, markup: JSONDict | None) -> JSONDict:
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        snapshot = self._snapshot(chat, message, from_bot=True, kind="edited")
        chat.messages[int(message["message_id"])] = snapshot
        chat.outputs.append(snapshot)
        return message

    # ---------------------------------------------------------------- webhook delivery

    def _ensure_deliverer(self) -> None:
        if self._deliverer is None or self._deliverer.done():
            self._deliverer = asyncio.create_task(self._deliver_webhook())

    async def _deliver_webhook(self) -> None:
        """POST pending updates one at a time, in order, like Telegram does per bot."""
        if self._webhook_session is None:
            self._webhook_session = aiohttp.ClientSession()
        while self._pending and self.webhook_url is not None:
            update = self._pending[0]
            headers = {}
            if self.webhook_secret is not None:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
            try:
                async with self._webhook_session.post(
                    self.webhook_url, json=update, headers=headers
                ) as response:
                    status = response.status
            except aiohttp.ClientError:
                status = 0
            self.webhook_deliveries.append(WebhookDelivery(int(update["update_id"]), status))
            if status == 0:
                await asyncio.sleep(0.05)
                continue
            self._pending.pop(0)
            await self._notify()


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
    def _state(self) -> _Chat:
        return self.api._chats[self.chat_id]

    def mark(self) -> int:
        """A bookmark in the bot's output in this chat, for :meth:`replies_since`."""
        return len(self._state.outputs)

    # ------------------------------------------------------------ acting

    async def send(self, text: str) -> BotMessage:
        """Write a text message (commands included, e.g. ``/start``)."""
        body: JSONDict = {"text": text}
        command = _COMMAND_RUN.match(text)
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
        self.api._callbacks[query_id] = _CallbackQuery(query_id, self.chat_id)
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
        snapshot = self.api._snapshot(self._state, raw, from_bot=False, kind="edited")
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


# -------------------------------------------------------------------- module helpers


def _decode(key: str, value: str) -> Any:
    if key in _JSON_KEYS:
        return json.loads(value)
    if key in _INT_KEYS:
        try:
            return int(value)
        except ValueError:
            return value
    if key in _BOOL_KEYS:
        return value.lower() in {"true", "1"}
    return value


def _check_text(text: str) -> None:
    if not text.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise _ApiError(400, "Bad Request: message is too long")


def _check_markup(markup: Any) -> JSONDict | None:
    if not markup:
        return None
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        raise _ApiError(400, "Bad Request: this fake expects inline keyboards only")
    rows = markup["inline_keyboard"]
    if not rows:
        return None
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise _ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if data is None and button.get("url") is None:
                raise _ApiError(400, "Bad Request: can't parse inline keyboard button")
    return {"inline_keyboard": rows}


def _error_response(error: _ApiError) -> web.Response:
    body: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.status)


def _failure_response(failure: _Failure) -> web.Response:
    if failure.status == 429:
        retry = failure.retry_after or 1
        return _error_response(
            _ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        )
    if failure.status >= 500:
        return web.Response(
            status=failure.status,
            text=f"<html><body><h1>{failure.status} Bad Gateway</h1></body></html>",
            content_type="text/html",
        )
    return _error_response(_ApiError(failure.status, f"Injected failure {failure.status}"))
