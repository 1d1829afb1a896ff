"""A local stand-in for Telegram's Bot API server (the people in its chats: ``user.py``).

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
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from tests.channels.telegram.fake_bot_api.user import FakeUser
from tests.channels.telegram.fake_bot_api.wire import (
    COMMAND_NAME,
    DEFAULT_DOWNLOAD_LIMIT,
    SECRET_TOKEN,
    ApiError,
    BotMessage,
    CallbackQuery,
    Chat,
    Failure,
    JSONDict,
    check_markup,
    check_text,
    decode,
    error_response,
    failure_response,
    snapshot_of,
    user_json,
)

_Method = Callable[[JSONDict, dict[str, bytes]], Awaitable[Any]]
"""A Bot API method: the decoded parameters and uploaded files in, the ``result`` out."""


@dataclass
class ApiCall:
    """One request the bot made."""

    method: str
    params: JSONDict
    files: dict[str, bytes]
    status: int = 200


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    size: int


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
        self.long_polls_waiting = 0
        """``getUpdates`` calls holding the line because no update is pending."""
        self.all_handled: Callable[[], Awaitable[None]] | None = None
        """Returns once the bot has handled every update it took (set where the bot starts)."""
        self._chats: dict[int, Chat] = {}
        self._pending: list[JSONDict] = []
        self._sent_updates: dict[int, JSONDict] = {}
        self._confirmed_up_to = 0
        self.served: list[list[int]] = []
        """The update ids each answered ``getUpdates`` returned, in order."""
        self.poll_requests = 0
        """How many ``getUpdates`` requests arrived (answered or still long-polling)."""
        self._update_ids = itertools.count(10_001)
        self._ids = itertools.count(1)
        self._files: dict[str, _StoredFile] = {}
        self._callbacks: dict[str, CallbackQuery] = {}
        self._failures: list[Failure] = []
        self._held: dict[str, asyncio.Event] = {}
        """Methods whose requests wait (a slow Telegram) until released."""
        self._late: dict[str, float] = {}
        """Methods whose answers come this many seconds after the work is done."""
        self.dropped_held = 0
        """Held requests whose client gave up before they were released (never delivered)."""
        self.held_waiting = 0
        """Requests waiting in a hold now."""
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._deliverer: asyncio.Task[None] | None = None
        self._webhook_session: aiohttp.ClientSession | None = None
        self._methods: dict[str, _Method] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getFile": self._get_file,
        }
        """The Bot API methods this fake knows, by their Telegram name."""

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
        for method in list(self._held):
            self.release(method)
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
        user = user_json(user_id, first_name, language_code)
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
        user = user_json(user_id, first_name, language_code)
        chat = {"id": group_id, "type": "supergroup", "title": title}
        self._chat(chat)
        return FakeUser(self, user, chat)

    async def channel_post(self, text: str, *, channel_id: int = -100_900_900) -> BotMessage:
        """A post in a channel the bot is an administrator of."""
        chat = {"id": channel_id, "type": "channel", "title": "Kanalen"}
        state = self._chat(chat)
        message = self._new_user_message(state, None, {"text": text})
        await self._enqueue({"channel_post": message})
        return snapshot_of(state, message, from_bot=False)

    async def send_raw(self, body: JSONDict) -> int:
        """Queue an update exactly as given (``update_id`` added): shapes Telegram never sends.

        For the bot's handling of malformed updates; nothing here checks or records it.
        """
        return await self._enqueue(body)

    def hold(self, method: str) -> None:
        """Let requests of ``method`` wait until :meth:`release`, like a slow Telegram.

        A request whose client has gone by then is dropped, never carried out: what a proxy
        that held the request would do (the bot cannot tell this from Telegram's side).
        """
        self._held.setdefault(method, asyncio.Event())

    def release(self, method: str) -> None:
        """Let the held requests of ``method`` through, and new ones at once."""
        event = self._held.pop(method, None)
        if event is not None:
            event.set()

    def answer_late(self, method: str, seconds: float) -> None:
        """Carry out ``method`` at once but answer only ``seconds`` later (a slow answer)."""
        self._late[method] = seconds

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (429 with retry_after, 502, …)."""
        self._failures.append(Failure(method, status, retry_after, times))

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

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``condition`` holds; it is checked after every request and update."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(condition)

    async def wait_until_delivered(self, timeout: float = 5.0) -> None:
        """Wait until the bot has fetched (and confirmed) every queued update."""
        await self.wait_until(lambda: not self._pending, timeout)

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

    def _chat(self, raw: JSONDict) -> Chat:
        chat_id = int(raw["id"])
        if chat_id not in self._chats:
            self._chats[chat_id] = Chat(raw=raw)
        return self._chats[chat_id]

    def _new_user_message(self, chat: Chat, user: JSONDict | None, body: JSONDict) -> JSONDict:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSONDict = {"message_id": message_id, "date": int(time.time()), "chat": chat.raw}
        if user is not None:
            message["from"] = user
        message.update(body)
        chat.raw_messages[message_id] = message
        chat.messages[message_id] = snapshot_of(chat, message, from_bot=False)
        return message

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
            held = self._held.get(method)
            if held is not None:
                self.held_waiting += 1
                try:
                    await held.wait()
                except asyncio.CancelledError:  # the client went away: never carried out
                    self.dropped_held += 1
                    raise
                finally:
                    self.held_waiting -= 1
                    await self._notify()
                if request.transport is None or request.transport.is_closing():
                    self.dropped_held += 1
                    return web.Response(status=499)
            call = ApiCall(method, params, files)
            self.calls.append(call)
            response = await self._call(method, params, files)
            if method in self._late:
                await asyncio.sleep(self._late[method])
            call.status = response.status
            await self._notify()
            return response
        if path.startswith("/bot") or path.startswith("/file/bot"):
            self.errors.append(f"{request.method} {self._redacted(path)}: wrong token or method")
            return error_response(ApiError(401, "Unauthorized"))
        self.errors.append(f"unexpected request {request.method} {self._redacted(path)}")
        return error_response(ApiError(404, "Not Found"))

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
            params[key] = decode(key, str(value))
        return params, files

    async def _call(self, method: str, params: JSONDict, files: dict[str, bytes]) -> web.Response:
        for failure in self._failures:
            if failure.method == method and failure.remaining > 0:
                failure.remaining -= 1
                return failure_response(failure)
        handler = self._methods.get(method)
        if handler is None:
            self.errors.append(f"unexpected Bot API method {method}")
            return error_response(ApiError(404, "Not Found: method not found"))
        try:
            result = await handler(params, files)
        except ApiError as exc:
            refusal = f"{method} refused: {exc.description} (params {params})"
            if exc.benign:
                self.benign_refusals.append(refusal)
            elif exc.status != 409:
                self.errors.append(refusal)
            return error_response(exc)
        return web.json_response({"ok": True, "result": result})

    def _download(self, file_path: str) -> web.Response:
        for stored in self._files.values():
            if stored.file_path == file_path:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        self.errors.append(f"download of unknown file {file_path}")
        return error_response(ApiError(404, "Not Found"))

    # ---------------------------------------------------------------- Bot API methods

    async def _get_me(self, params: JSONDict, files: dict[str, bytes]) -> JSONDict:
        return self.bot_user

    async def _get_updates(self, params: JSONDict, files: dict[str, bytes]) -> list[JSONDict]:
        if self.webhook_url is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self.poll_requests += 1
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
            self.long_polls_waiting += 1
            await self._notify()
            try:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout), self._changed:
                        await self._changed.wait_for(lambda: bool(self._pending) or self._closing)
            finally:
                self.long_polls_waiting -= 1
        batch = [dict(u) for u in self._pending[:limit]]
        self.served.append([u["update_id"] for u in batch])
        await self._notify()
        return batch

    async def _send_message(self, params: JSONDict, files: dict[str, bytes]) -> JSONDict:
        chat = self._known_chat(params)
        text = str(params.get("text", ""))
        check_text(text)
        markup = check_markup(params.get("reply_markup"))
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
        snapshot = snapshot_of(chat, message, from_bot=True)
        chat.messages[message_id] = snapshot
        chat.outputs.append(snapshot)
        return message

    async def _send_document(self, params: JSONDict, files: dict[str, bytes]) -> JSONDict:
        chat = self._known_chat(params)
        if "document" not in files:
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = str(params.get("caption") or "")
        check_text(caption)
        stored = self._new_file(files["document"], len(files["document"]), "documents", "")
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSONDict = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.raw,
            "from": self.bot_user,
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": stored.size,
            },
        }
        if caption:
            message["caption"] = caption
        chat.raw_messages[message_id] = message
        snapshot = snapshot_of(chat, message, from_bot=True)
        chat.messages[message_id] = snapshot
        chat.outputs.append(snapshot)
        return message

    def sent_document(self, chat_id: int, message_id: int) -> bytes:
        """The bytes of a document the bot sent."""
        file_id = self._chats[chat_id].raw_messages[message_id]["document"]["file_id"]
        return self._files[str(file_id)].data

    def staff_chat(self, chat_id: int = -100_555_000, title: str = "Departementet") -> int:
        """A group the bot posts to (the staff chat); returns its id."""
        self._chat({"id": chat_id, "type": "supergroup", "title": title})
        return chat_id

    async def _edit_message_text(self, params: JSONDict, files: dict[str, bytes]) -> JSONDict:
        chat, message = self._editable(params)
        text = str(params.get("text", ""))
        check_text(text)
        markup = check_markup(params.get("reply_markup"))
        if message.get("text") == text and (message.get("reply_markup") or None) == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
                benign=True,
            )
        message["text"] = text
        return self._store_edit(chat, message, markup)

    async def _edit_message_reply_markup(
        self, params: JSONDict, files: dict[str, bytes]
    ) -> JSONDict:
        chat, message = self._editable(params)
        markup = check_markup(params.get("reply_markup"))
        if (message.get("reply_markup") or None) == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
                benign=True,
            )
        return self._store_edit(chat, message, markup)

    async def _answer_callback_query(self, params: JSONDict, files: dict[str, bytes]) -> bool:
        query = self._callbacks.get(str(params.get("callback_query_id")))
        if query is None or query.answered:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
                # A press served again after a restart is answered again: a correct bot
                # meets that (and goes on); an unknown id is a bug.
                benign=query is not None,
            )
        query.answered = True
        text = params.get("text")
        query.text = str(text) if text else None
        if text and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _set_my_commands(self, params: JSONDict, files: dict[str, bytes]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not commands or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a non-empty list")
        for command in commands:
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not COMMAND_NAME.match(name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        language_code = str(params.get("language_code") or "")
        if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
            raise ApiError(400, "Bad Request: invalid language code")
        scope_name = str(scope.get("type"))
        if scope_name == "chat":  # one menu per chat: "chat:<id>"
            scope_name = f"chat:{scope.get('chat_id')}"
        self.commands[(scope_name, language_code)] = list(commands)
        return True

    async def _delete_webhook(self, params: JSONDict, files: dict[str, bytes]) -> bool:
        self.webhook_url = None
        self.webhook_secret = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _set_webhook(self, params: JSONDict, files: dict[str, bytes]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params, files)
        if not url.startswith(("http://127.0.0.1", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook_url = url
        self.webhook_secret = str(secret) if secret is not None else None
        if self._pending:
            self._ensure_deliverer()
        return True

    async def _get_file(self, params: JSONDict, files: dict[str, bytes]) -> JSONDict:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file_id or the file is temporarily unavailable")
        if stored.size > self.download_limit:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    # ---------------------------------------------------------------- helpers for methods

    def _known_chat(self, params: JSONDict) -> Chat:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise ApiError(400, "Bad Request: chat not found")
        return self._chats[chat_id]

    def _editable(self, params: JSONDict) -> tuple[Chat, JSONDict]:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: this fake knows no inline messages")
        chat = self._known_chat(params)
        message = chat.raw_messages.get(int(params.get("message_id") or 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, message

    def _store_edit(self, chat: Chat, message: JSONDict, markup: JSONDict | None) -> JSONDict:
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        snapshot = snapshot_of(chat, message, from_bot=True, kind="edited")
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
            if status == 0 or status >= 500:  # Telegram keeps the update and tries again
                await asyncio.sleep(0.05)
                continue
            self._pending.pop(0)
            await self._notify()
