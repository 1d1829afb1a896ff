"""What a front end gets back from the service for one event (:class:`Handled`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.events import Reply
from bot.i18n.languages import Lang


@dataclass(frozen=True)
class Handled:
    """What a front end needs after one event; it never has to read the session itself."""

    replies: list[Reply]
    """What to show, in order (empty for an update that was handled before)."""
    keyboard_is_current: bool = False
    """For a button press: the pressed keyboard still belongs to the step the person is at,
    so a front end may update that message in place instead of sending a new one."""
    lang: Lang | None = None
    """The language the person talks in after this event (``None``: the event was handled
    before), so a front end can label its page without reading the session."""
    forgotten: bool = False
    """Everything stored about the person was deleted: a front end forgets what it holds
    about them too (a web page's conversation so far)."""
