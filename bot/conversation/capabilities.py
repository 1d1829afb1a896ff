"""What the person's channel can do: how long one message may be, and how a document is sent.

Each channel fills its own (Telegram's in ``bot.channels.telegram.render``, the terminal's in
``bot.channels.terminal``) and passes it with every event through the service, so one process
can serve several channels at once and no channel's numbers or words live in the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DocumentWay(StrEnum):
    """How a person sends a document in a channel; the engine words its hints after it."""

    ANY = "any"
    """The channel does not say: «send it as a document»."""
    COMMAND = "command"
    """A command with the file's path (the terminal's ``/vedlegg FIL``)."""
    SEND_FILE = "file"
    """Sent as a file in the chat (Telegram's 📎)."""
    CHOOSE_FILE = "choose"
    """Chosen with a file field on the page (the web chat)."""


@dataclass(frozen=True)
class ChannelCapabilities:
    """What one channel can carry and how people use it there."""

    message_chars: int | None = None
    """The longest message the channel shows; replies are joined only while they fit in one.
    ``None``: no limit (the terminal, the web)."""
    documents: DocumentWay = DocumentWay.ANY
    """How a document is sent here, so a hint names the way this channel has."""


ANY_CHANNEL = ChannelCapabilities()
"""A channel that says nothing of itself: no message limit, documents «sent as a document»."""
