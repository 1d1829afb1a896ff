"""Which turn of a chat a Bot API call is made in, so the message budget can rank it.

When the overall message budget (about 30 a second) runs short, what a person notices is how
long the *first* answer to what they did takes; a second message of someone else's answer
(a notice under the reply) can wait a moment, and a chat that floods the bot waits last.
:class:`bot.channels.telegram.processor.UpdateProcessor` opens a :class:`Turn` while it runs an
update; the rate limiter reads it (a context variable, so it follows the handler's awaits and
no call site has to pass it along).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from bot.channels.telegram.owed import Owed

Rank = Literal["first", "reply", "flood"]
"""``first``: a turn's first message; ``reply``: its later ones; ``flood``: a flooding chat's."""


@dataclass
class Turn:
    """One update being handled: how many messages it has sent, whether its chat floods."""

    flooding: Callable[[], bool]
    messages: int = 0
    held: bool = False
    """Storage failed under it: it goes back to its chat's lane, to be handled again."""
    owed: Owed | None = None
    """What a stop cut off while it was being shown (see :mod:`bot.channels.telegram.owed`)."""

    def rank_next_message(self) -> Rank:
        """The rank of the message about to be sent (and count it)."""
        first = self.messages == 0
        self.messages += 1
        if self.flooding():
            return "flood"
        return "first" if first else "reply"


_TURN: ContextVar[Turn | None] = ContextVar("innspill_turn", default=None)


def current() -> Turn | None:
    """The turn the running code belongs to (``None`` outside a handler, e.g. a job)."""
    return _TURN.get()


@contextmanager
def turn(flooding: Callable[[], bool]) -> Iterator[Turn]:
    """Run the block as one turn."""
    opened = Turn(flooding)
    token = _TURN.set(opened)
    try:
        yield opened
    finally:
        _TURN.reset(token)
