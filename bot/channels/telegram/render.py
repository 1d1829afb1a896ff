"""How an engine reply looks on Telegram: text split to fit, choices as an inline keyboard.

Pure functions, no I/O: the sender (``bot.channels.telegram.reply_sender``) makes the Bot API calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit

from bot.channels.telegram import callbacks
from bot.conversation.capabilities import ChannelCapabilities, DocumentWay
from bot.conversation.events import Choice, Reply

MAX_MESSAGE_CHARS: int = MessageLimit.MAX_TEXT_LENGTH
"""Telegram's limit for one text message (4096), from PTB, as the sender takes it too."""

TELEGRAM = ChannelCapabilities(message_chars=MAX_MESSAGE_CHARS, documents=DocumentWay.SEND_FILE)
"""What the engine must know of Telegram: how long one message may be, and that a document
is sent as a file. The handlers pass it with every event."""

SELECTED = "✅"
NOT_SELECTED = "⬜"

SHORT_LABEL = 16
"""Labels up to this many characters may share a row with others."""
MAX_ROW_CHARS = 34
"""Rough width of a phone screen in button text, for packing short labels side by side."""
MAX_PER_ROW = 3


@dataclass(frozen=True)
class Rendered:
    """One reply ready to send: its text in Telegram-sized parts and the keyboard for the last."""

    parts: tuple[str, ...]
    keyboard: InlineKeyboardMarkup | None
    replace_previous: bool


def render(reply: Reply) -> Rendered:
    """Turn an engine reply into what Telegram shows."""
    return Rendered(
        parts=tuple(split_text(reply.text)),
        keyboard=keyboard_for(reply),
        replace_previous=reply.replace_previous,
    )


def button_label(choice: Choice) -> str:
    """The label, with a ✅ or ⬜ in front for toggles (multi-select)."""
    if choice.selected is None:
        return choice.label
    return f"{SELECTED if choice.selected else NOT_SELECTED} {choice.label}"


def keyboard_for(reply: Reply) -> InlineKeyboardMarkup | None:
    """An inline keyboard for the reply's choices, or ``None`` when it has none.

    Raises ``ValueError`` when the reply has choices but no step: a button without its step
    could not be told apart from an old one later.
    """
    if not reply.choices:
        return None
    if not reply.step:
        raise ValueError("a reply with choices needs the step they belong to")
    step = reply.step
    buttons = [
        InlineKeyboardButton(button_label(c), callback_data=callbacks.encode(step, c.id))
        for c in reply.choices
    ]
    return InlineKeyboardMarkup(layout(buttons))


def layout(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """One button per row, except that short labels share rows (e.g. "Ja" / "Nei").

    Long labels are cut off by Telegram when squeezed, so only keyboards whose labels are all
    short are packed, a few to a row.
    """
    if not buttons or any(len(b.text) > SHORT_LABEL for b in buttons):
        return [[b] for b in buttons]
    rows: list[list[InlineKeyboardButton]] = []
    row: list[InlineKeyboardButton] = []
    width = 0
    for button in buttons:
        if row and (len(row) == MAX_PER_ROW or width + len(button.text) > MAX_ROW_CHARS):
            rows.append(row)
            row, width = [], 0
        row.append(button)
        width += len(button.text)
    rows.append(row)
    return rows


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` characters.

    Cuts between paragraphs where possible, else between lines, then between words; only a
    single "word" longer than a whole message is cut in the middle.
    """
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        separator = piece[0]
        body = piece[1]
        candidate = f"{current}{separator}{body}" if current else body
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = body
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, limit: int) -> list[tuple[str, str]]:
    """The text as (separator, piece) pairs, each piece at most ``limit`` long."""
    pieces: list[tuple[str, str]] = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            pieces.append(("\n\n", paragraph))
            continue
        first_line = True
        for line in paragraph.split("\n"):
            separator = "\n\n" if first_line else "\n"
            first_line = False
            if len(line) <= limit:
                pieces.append((separator, line))
                continue
            first_word = True
            for word in line.split(" "):
                word_separator = separator if first_word else " "
                first_word = False
                while len(word) > limit:
                    pieces.append((word_separator, word[:limit]))
                    word, word_separator = word[limit:], ""
                pieces.append((word_separator, word))
    return [(sep, body) for sep, body in pieces if body]


def pressed_label(message: Message, data: str | None) -> str | None:
    """The text of the button that sent ``data``, to show under the question once chosen."""
    markup = message.reply_markup
    if markup is None or data is None:
        return None
    buttons = [b for row in markup.inline_keyboard for b in row]
    pressed = next((b.text for b in buttons if b.callback_data == data), None)
    if pressed is None or pressed.startswith(SELECTED):
        return pressed  # a plain button whose label starts with ✅ («✅ … send inn»)
    selected = [
        b.text.removeprefix(SELECTED).strip() for b in buttons if b.text.startswith(SELECTED)
    ]
    if selected:  # a multi-select: what counts is what was ticked, not "Ferdig"
        return ", ".join(selected)
    return pressed
