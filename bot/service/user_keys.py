"""People's keys: each front end names its people in its own namespace, ``<prefix>:<id>``.

Telegram users are ``tg:<user id>``, terminal users ``cli:<name>`` and web visitors
``web:<hash of their cookie>``. The prefix is how the service knows which channel a
submission came in by, without the engine (or the front ends' calls) having to say it.
"""

from __future__ import annotations

from bot.conversation.submission import Channel

PREFIXES: dict[str, Channel] = {
    "tg": Channel.TELEGRAM,
    "web": Channel.WEB,
    "cli": Channel.TERMINAL,
}
"""Each front end's namespace and its channel."""


def channel_of(user_key: str) -> Channel | None:
    """The channel a person's key belongs to, or ``None`` for a key of no front end (tests)."""
    prefix, colon, _rest = user_key.partition(":")
    return PREFIXES.get(prefix) if colon else None


def web_user_key(local_id: str) -> str:
    """The key of a web visitor known by ``local_id``."""
    return f"web:{local_id}"
