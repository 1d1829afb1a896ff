"""A simulated person in the web chat: a browser without JavaScript (or with), over HTTP.

It reads each page as :class:`bench.person.Person` reads Telegram's messages (the current
question and its buttons) and decides the same way, then posts the page's form with its
cookie, CSRF token and turn id, and follows the redirect to the next page: one action is one
post and the page it leads to (with ``script``, the post as ``chat.js`` sends it, answered
with the next page in one response). Pages are read with a few regular expressions, not a full HTML
parser, so the driver stays cheap beside the server it measures.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bench.person import Action, Person, Stats, Stuck
from bot.consultation.model import Consultation

_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
_BUTTON = re.compile(
    r'<button type="submit" name="(\w+)" value="([^"]*)"([^>]*)>(.*?)</button>', re.S
)
_CURRENT = re.compile(r'<li class="msg bot current"[^>]*>(.*?)</li>', re.S)
_NEW = re.compile(r'<li class="msg bot[^"]*"[^>]*data-new>(.*?)</li>', re.S)
_TAG = re.compile(r"<[^>]+>")
_HIDDEN_SPEAKER = re.compile(r'<span class="visually-hidden">.*?</span>', re.S)
_PRESSED = re.compile(r'aria-pressed="(true|false)"')


def _text(fragment: str) -> str:
    fragment = _HIDDEN_SPEAKER.sub("", fragment)
    fragment = fragment.replace("</p><p>", "\n\n").replace("<br>", "\n")
    return html.unescape(_TAG.sub("", fragment)).strip()


@dataclass(frozen=True)
class WebButton:
    """A button on the page: the form it posts and what it sends."""

    action: str
    fields: dict[str, str]
    label: str


@dataclass
class WebPage:
    """What the person reads on a page: the question, the new messages, the buttons."""

    question: str = ""
    new: list[str] = field(default_factory=list)
    buttons: list[WebButton] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """Button labels, toggles marked ✅/⬜ as on Telegram (the decisions read them so)."""
        return [button.label for button in self.buttons]


def read_page(text: str) -> WebPage:
    """The parts of a chat page a person acts on."""
    page = WebPage()
    current = _CURRENT.search(text)
    page.question = _text(current.group(1)) if current else ""
    page.new = [_text(m) for m in _NEW.findall(text)]
    for action, body in _FORM.findall(text):
        hidden = dict(_HIDDEN.findall(body))
        page.hidden.update({k: v for k, v in hidden.items() if k in ("csrf", "turn")})
        for name, value, attributes, label in _BUTTON.findall(body):
            shown = _text(label).lstrip("☑☐ ")
            pressed = _PRESSED.search(attributes)
            if pressed is not None:
                shown = ("✅ " if pressed.group(1) == "true" else "⬜ ") + shown
            page.buttons.append(WebButton(action, {**hidden, name: value}, shown))
    return page


class _Message:
    """The current question as :meth:`Person._action_for` reads a Telegram message."""

    def __init__(self, page: WebPage) -> None:
        self.text = page.question
        self.labels = page.labels
        self.message_id = 0


@dataclass(frozen=True)
class _User:
    id: int


class WebPerson(Person):
    """One web visitor playing guided and quick submissions in turn."""

    def __init__(
        self,
        base_url: str,
        number: int,
        consultation: Consultation,
        stats: Stats,
        *,
        pause: Callable[[], float] | None = None,
        reply_timeout: float = 30.0,
        script: bool = False,
    ) -> None:
        """``script``: post as ``chat.js`` does (the next page in the same response)."""
        super().__init__(
            None,  # type: ignore[arg-type]  # no Bot API: the web is reached over HTTP
            _User(number),  # type: ignore[arg-type]
            consultation,
            stats,
            pause=pause,
            reply_timeout=reply_timeout,
        )
        self.base_url = base_url
        self.headers = {"X-Requested-With": "fetch"} if script else {}
        self.session: aiohttp.ClientSession | None = None
        self.page = WebPage()

    async def close(self) -> None:
        """Close the browser."""
        if self.session is not None:
            await self.session.close()

    async def _request(self, method: str, path: str, data: dict[str, str] | None = None) -> None:
        if self.session is None:
            self.session = aiohttp.ClientSession(
                cookie_jar=aiohttp.CookieJar(unsafe=True),
                timeout=aiohttp.ClientTimeout(total=self.reply_timeout),
                headers={"Accept-Language": "nb-NO,nb"},
            )
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, self.base_url + path, data=data, headers=self.headers
            ) as answer:
                body = await answer.text()
                status = answer.status
        except (aiohttp.ClientError, TimeoutError) as error:
            self.stats.stuck.append(f"web {self.user.id}: {error!r}")
            raise Stuck(str(error)) from None
        self.stats.latencies.append(time.perf_counter() - started)
        if status != 200:
            self.stats.stuck.append(f"web {self.user.id}: HTTP {status} at {path}")
            raise Stuck(f"HTTP {status}")
        self.page = read_page(body)

    async def submission(self, until: Callable[[], bool], restarts: Callable[[], int]) -> None:
        """One submission from opening the page to the reference number."""
        self.answered = set()
        self.acked_here: list[str] = []
        self.acted = set()
        first_action = self.actions
        self.stats.actions += 1
        self.actions += 1
        await self._request("GET", "/?rask" if self.path == "quick" else "/")
        while not until():
            if "Referansenummer" in self.page.question:
                self.stats.submissions += 1
                self.stats.sent_answers.extend(self.acked_here)
                self.stats.actions_per_submission[self.path].append(self.actions - first_action)
                return
            action = self._action_for(_Message(self.page), self.page.labels)  # type: ignore[arg-type]
            if action is None:
                self.stats.stuck.append(f"web {self.user.id}: {self.page.question[:120]!r}")
                raise Stuck(self.page.question[:120])
            await self._act(action)
            if self.pause is not None:
                await asyncio.sleep(self.pause())

    async def _act(self, action: Action) -> None:
        self.stats.actions += 1
        self.actions += 1
        if action.kind == "type":
            await self._request("POST", "/svar", {**self.page.hidden, "tekst": action.value})
        else:
            wanted = action.value.lstrip("✅⬜ ")
            button = next(
                (b for b in self.page.buttons if b.label.lstrip("✅⬜ ") == wanted), None
            ) or next((b for b in self.page.buttons if wanted in b.label), None)
            if button is None:
                raise Stuck(f"no button {wanted!r}")
            await self._request("POST", button.action, button.fields)
        if action.tracked and any("Lagret" in m or "Lagt til" in m for m in self.page.new):
            self.acked_here.append(action.value)
            self.stats.acknowledged.append(action.value)
            self.stats.progress.set()
        if action.key != "start":
            self.answered.add(action.key)
