"""The conversation so far, as the web page shows it, kept in this process's memory only.

Telegram keeps a chat's history on the person's phone; a web page has to be drawn again on
every request, so the web chat keeps the last messages of each person here. Only the bot's
replies and the person's own messages of this visit are kept, bounded per person and in all,
and never written to disk: the answers themselves are stored by the service. After a restart
(or when a person's page was forgotten to make room) the page opens with the service's
«Velkommen tilbake» and the current question, as Telegram does after ``/start``.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.channels.web.page_shell import paragraphs
from bot.conversation.events import Choice, Reply

MAX_MESSAGES = 24
"""Messages kept per person: the summary shows everything given, so older ones can go."""
MAX_PEOPLE = 5_000
"""People whose page is kept; the one idle longest is forgotten first."""
IDLE_SECONDS = 6 * 3600.0
"""A page untouched this long is forgotten (the answers are stored; only the page goes)."""
OWN_CHARS = 2_000
"""The person's own message is shown up to this long (the summary shows all of it)."""
PAGE_CHARS = 200_000
"""Older messages go once a page holds more text than this (the newest always stays)."""
ALL_CHARS = 50_000_000
"""All pages together; beyond it the page idle longest is forgotten, so a flood of long
texts cannot exhaust the memory (about 150 MB of text and its HTML at most)."""


@dataclass(frozen=True)
class Message:
    """One bubble: from the bot (with the choices of the current question) or the person."""

    text: str
    from_bot: bool = True
    choices: tuple[Choice, ...] = ()
    step: str | None = None
    html: str = field(default="", compare=False)
    """The text as escaped HTML paragraphs, made once (a page shows it many times)."""

    def __post_init__(self) -> None:
        if not self.html:
            object.__setattr__(self, "html", paragraphs(self.text))


@dataclass
class Page:
    """One person's page: the messages, the newest turn, and a one-off problem to show."""

    lang: str
    messages: deque[Message] = field(default_factory=lambda: deque(maxlen=MAX_MESSAGES))
    newest: int = 0
    """How many of the last messages the bot said in the newest turn (to announce them)."""
    problem: str | None = None
    """A problem with the last form (an empty answer, a file too large), shown once."""
    turn: int = 0
    """Bumped on every change, so a page can tell whether it is still the newest."""
    touched: float = 0.0
    weight: int = 0
    """Characters of text on the page."""

    def add_turn(self, said: str | None, replies: Sequence[Reply]) -> None:
        """The person said ``said`` (``None``: a toggle or a command); the bot answered."""
        if said is not None:
            shown = said if len(said) <= OWN_CHARS else said[: OWN_CHARS - 1].rstrip() + "…"
            self.messages.append(Message(shown, from_bot=False))
        count = 0
        for reply in replies:
            if reply.replace_previous and self._replace_current(reply):
                count = max(count, 1)
                continue
            self.messages.append(
                Message(
                    reply.text, choices=reply.choices, step=reply.step if reply.choices else None
                )
            )
            count += 1
        self.weight = sum(len(m.text) for m in self.messages)
        while self.weight > PAGE_CHARS and len(self.messages) > 1:
            self.weight -= len(self.messages.popleft().text)
        self.newest = min(count, len(self.messages))
        self.problem = None
        self.turn += 1

    def _replace_current(self, reply: Reply) -> bool:
        """A toggle redraws the question it belongs to instead of adding a message."""
        if not self.messages or not self.messages[-1].from_bot or not self.messages[-1].choices:
            return False
        self.messages[-1] = Message(reply.text, choices=reply.choices, step=reply.step)
        return True

    def current(self) -> Message | None:
        """The question being asked: the newest message, if it is the bot's."""
        if self.messages and self.messages[-1].from_bot:
            return self.messages[-1]
        return None

    def choice_label(self, step: str, choice: str) -> str | None:
        """The label of a choice offered on the current question (``None``: not offered)."""
        current = self.current()
        if current is None or current.step != step:
            return None
        return next((c.label for c in current.choices if c.id == choice), None)

    def show_problem(self, problem: str) -> None:
        """Show ``problem`` with the form once; nothing was sent."""
        self.problem = problem
        self.turn += 1


class Transcripts:
    """Every person's page, bounded in number and in idle time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """Pages are timed by ``clock`` (monotonic seconds)."""
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._clock = clock
        self._weight = 0
        """Characters on all pages, as last settled."""
        self._weights: dict[str, int] = {}

    def get(self, user_key: str) -> Page | None:
        """The person's page, or ``None`` if this process has none (new, restarted, idle)."""
        page = self._pages.get(user_key)
        if page is None:
            return None
        now = self._clock()
        if now - page.touched > IDLE_SECONDS:
            self.forget(user_key)
            return None
        page.touched = now
        self._pages.move_to_end(user_key)
        return page

    def open(self, user_key: str, lang: str) -> Page:
        """A fresh page for the person (replacing any they had)."""
        page = Page(lang, touched=self._clock())
        self._pages[user_key] = page
        self._pages.move_to_end(user_key)
        self.settle(user_key, page)
        while len(self._pages) > MAX_PEOPLE:
            self.forget(next(iter(self._pages)))
        return page

    def settle(self, user_key: str, page: Page) -> None:
        """Count a changed page's text in the total; forget the idlest pages beyond it."""
        self._weight += page.weight - self._weights.get(user_key, 0)
        self._weights[user_key] = page.weight
        while self._weight > ALL_CHARS and len(self._pages) > 1:
            oldest = next(iter(self._pages))
            self.forget(oldest if oldest != user_key else list(self._pages)[1])

    def forget(self, user_key: str) -> None:
        """Drop the person's page (they deleted their data, or moved to another person)."""
        self._pages.pop(user_key, None)
        self._weight -= self._weights.pop(user_key, 0)

    def __len__(self) -> int:
        return len(self._pages)
