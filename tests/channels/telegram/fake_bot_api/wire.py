"""What goes over the wire between the bot and the fake Bot API, and how tests see it.

Decoding the bot's form fields, checking texts and keyboards the way Telegram does, error
answers in Telegram's shape, and the snapshots (:class:`BotMessage`) a test reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

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
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
COMMAND_RUN = re.compile(r"^/[A-Za-z0-9_@]+")


class ApiError(Exception):
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
class Failure:
    """A failure a test asked for: the next ``remaining`` calls of ``method`` get ``status``."""

    method: str
    status: int
    retry_after: int | None
    remaining: int


@dataclass
class Chat:
    """One chat as the server keeps it: raw messages, what people see, and the bot's output."""

    raw: JSONDict
    next_message_id: int = 1
    messages: dict[int, BotMessage] = field(default_factory=dict)
    raw_messages: dict[int, JSONDict] = field(default_factory=dict)
    outputs: list[BotMessage] = field(default_factory=list)
    """Everything the bot did in this chat, in order: new messages and edits."""


@dataclass
class CallbackQuery:
    """A button press, and whether (and with what toast) the bot answered it."""

    id: str
    chat_id: int
    answered: bool = False
    text: str | None = None


def user_json(user_id: int, first_name: str, language_code: str | None) -> JSONDict:
    """A Telegram ``User`` object for a person."""
    user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


def snapshot_of(
    chat: Chat,
    message: JSONDict,
    *,
    from_bot: bool,
    kind: Literal["sent", "edited"] = "sent",
) -> BotMessage:
    """How a person sees a raw message: its text and its buttons."""
    markup = message.get("reply_markup") or {}
    rows = tuple(
        tuple(Button(b["text"], b.get("callback_data"), b.get("url")) for b in row)
        for row in markup.get("inline_keyboard", [])
    )
    text = message.get("text") or message.get("caption") or ""
    return BotMessage(int(chat.raw["id"]), int(message["message_id"]), text, rows, from_bot, kind)


def decode(key: str, value: str) -> Any:
    """One form field as PTB meant it (it JSON-encodes every value that is not a string)."""
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


def check_text(text: str) -> None:
    """Refuse an empty or over-long message text, as Telegram does."""
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")


def check_markup(markup: Any) -> JSONDict | None:
    """The inline keyboard if Telegram would accept it (``None`` for none); else refuse."""
    if not markup:
        return None
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        raise ApiError(400, "Bad Request: this fake expects inline keyboards only")
    rows = markup["inline_keyboard"]
    if not rows:
        return None
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if data is None and button.get("url") is None:
                raise ApiError(400, "Bad Request: can't parse inline keyboard button")
    return {"inline_keyboard": rows}


def error_response(error: ApiError) -> web.Response:
    """An error answer in Telegram's JSON shape."""
    body: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.status)


def failure_response(failure: Failure) -> web.Response:
    """What an injected failure looks like: a 429 with retry_after, or a proxy's HTML page."""
    if failure.status == 429:
        retry = failure.retry_after or 1
        return error_response(
            ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        )
    if failure.status >= 500:
        return web.Response(
            status=failure.status,
            text=f"<html><body><h1>{failure.status} Bad Gateway</h1></body></html>",
            content_type="text/html",
        )
    return error_response(ApiError(failure.status, f"Injected failure {failure.status}"))
