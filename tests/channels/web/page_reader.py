"""Reads a web chat page as a person (or a screen reader) would: messages, forms, buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Button:
    """A submit button: its label and what it posts."""

    label: str
    name: str
    value: str
    pressed: str | None


@dataclass
class Form:
    """A form: where it posts, its hidden fields and its buttons."""

    action: str
    method: str
    enctype: str
    hidden: dict[str, str] = field(default_factory=dict)
    buttons: list[Button] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    """Names of the visible fields (textarea, text and file inputs)."""


@dataclass
class ChatMessage:
    """One bubble on the page."""

    from_bot: bool
    text: str
    current: bool


@dataclass
class Page:
    """What a page shows."""

    lang: str = ""
    title: str = ""
    messages: list[ChatMessage] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    """``src`` of every ``<script>``, and ``"inline"`` for one without."""
    event_handlers: list[str] = field(default_factory=list)
    """Attributes like ``onerror`` anywhere on the page (there must be none)."""
    links: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """``for`` → label text."""

    def form(self, action: str) -> Form:
        """The first form posting to ``action``."""
        return next(f for f in self.forms if f.action == action)

    def button(self, label: str) -> tuple[Form, Button]:
        """The form and button whose label contains ``label``."""
        for form in self.forms:
            for button in form.buttons:
                if label in button.label:
                    return form, button
        raise AssertionError(f"no button {label!r} on the page; buttons: {self.button_labels}")

    @property
    def button_labels(self) -> list[str]:
        """Every button's label."""
        return [b.label for f in self.forms for b in f.buttons]

    @property
    def question(self) -> str:
        """The current question's text."""
        current = [m for m in self.messages if m.current]
        return current[-1].text if current else ""

    @property
    def text(self) -> str:
        """Every message's text, joined."""
        return "\n".join(m.text for m in self.messages)


SPEAKERS = (
    *("Boten skrev:", "Du skrev:", "Boten skreiv:", "Du skreiv:"),
    *("The bot wrote:", "You wrote:"),
)
"""Who said it, as screen readers hear it before each message (the catalogs' words)."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._stack: list[str] = []
        self._message: ChatMessage | None = None
        self._form: Form | None = None
        self._button: Button | None = None
        self._capture: list[str] | None = None
        self._heading: list[str] | None = None
        self._problem: list[str] | None = None
        self._label_for: str | None = None
        self._label: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.page.event_handlers += [k for k in a if k.startswith("on")]
        if tag == "html":
            self.page.lang = a.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "script":
            self.page.scripts.append(a.get("src") or "inline")
        elif tag == "a":
            self.page.links.append(a.get("href", ""))
        elif tag == "li" and "msg" in a.get("class", ""):
            self._message = ChatMessage("bot" in a["class"], "", "current" in a["class"])
            self._capture = []
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get"), a.get("enctype", ""))
            self.page.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            if a.get("type") == "hidden":
                self._form.hidden[a.get("name", "")] = a.get("value", "")
            else:
                self._form.fields.append(a.get("name", ""))
        elif tag == "textarea" and self._form is not None:
            self._form.fields.append(a.get("name", ""))
        elif tag == "button" and self._form is not None:
            self._button = Button("", a.get("name", ""), a.get("value", ""), a.get("aria-pressed"))
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "div" and "problem" in a.get("class", "").split():
            self._problem = []
        elif tag == "label":
            self._label_for, self._label = a.get("for", ""), []
        if tag == "p" and self._capture is not None and self._capture:
            self._capture.append("\n")
        if tag == "br" and self._capture is not None:
            self._capture.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "li" and self._message is not None and self._capture is not None:
            text = "".join(self._capture).strip()
            for prefix in SPEAKERS:
                text = text.removeprefix(prefix).strip()
            self._message.text = text
            self.page.messages.append(self._message)
            self._message, self._capture = None, None
        elif tag == "form":
            self._form = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._button.label = " ".join(self._button.label.split())
            self._form.buttons.append(self._button)
            self._button = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.page.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        elif tag == "div" and self._problem is not None:
            self.page.problems.append(" ".join("".join(self._problem).split()))
            self._problem = None
        elif tag == "label" and self._label is not None:
            self.page.labels[self._label_for or ""] = " ".join("".join(self._label).split())
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data
        for sink in (self._capture, self._heading, self._problem, self._label):
            if sink is not None:
                sink.append(data)
        if self._button is not None:
            self._button.label += data


def read_page(html: str) -> Page:
    """Parse a page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page
