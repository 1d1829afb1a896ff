"""Which message is the newest in each private chat, as far as this process has seen.

A button pressed on the newest message can be answered by editing that message (the choice and
the next question in one call); on an older message the answer must come as a new message, or
the person would not see it. Message ids in a chat count up for both sides, so the newest is
the highest id seen. Unknown after a restart: then the bot answers with a new message.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_CHATS = 10_000
"""Chats remembered; the least recently active are forgotten first."""


class LatestMessages:
    """The highest message id seen per chat, for a bounded number of chats."""

    def __init__(self, max_chats: int = MAX_CHATS) -> None:
        self._latest: OrderedDict[int, int] = OrderedDict()
        self._max_chats = max_chats

    def seen(self, chat_id: int, message_id: int) -> None:
        """A message (the person's or ours) appeared in the chat."""
        self._latest[chat_id] = max(message_id, self._latest.get(chat_id, 0))
        self._latest.move_to_end(chat_id)
        if len(self._latest) > self._max_chats:
            self._latest.popitem(last=False)

    def is_latest(self, chat_id: int, message_id: int) -> bool:
        """Whether nothing newer than ``message_id`` is known in the chat."""
        return self._latest.get(chat_id) == message_id
