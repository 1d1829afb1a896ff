"""The document both e-mails are rendered from, and its two renderings (text and HTML).

One intermediate document means the plain text and the HTML alternative always say the same
thing; composing decides what goes in it, this module only how it looks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_PARAGRAPHS = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Field:
    """A ``Label: value`` line."""

    label: str
    value: str


@dataclass(frozen=True)
class Answer:
    """One answer: its heading, the question's original wording if any, and the text."""

    heading: str
    original: Field | None
    text: str | None
    placeholder: str


@dataclass(frozen=True)
class Section:
    """A titled part: labelled fields, a list of items, or answers."""

    title: str
    fields: tuple[Field, ...] = ()
    items: tuple[str, ...] = ()
    answers: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class Document:
    """A whole mail body before rendering."""

    lang: str
    title: str
    intro: tuple[str, ...] = ()
    lead: tuple[Field, ...] = ()
    sections: tuple[Section, ...] = ()
    outro: tuple[str, ...] = field(default=())


# --- Rendering ------------------------------------------------------------------------------


def _underline(text: str, char: str) -> str:
    return char * min(len(text), 78)


def render_text(doc: Document) -> str:
    """The plain-text body: short labelled lines, upper-case section titles."""
    lines = [doc.title, _underline(doc.title, "="), ""]
    for paragraph in doc.intro:
        lines += [paragraph, ""]
    lines += [f"{f.label}: {f.value}" for f in doc.lead]
    for section in doc.sections:
        while lines and not lines[-1]:
            lines.pop()
        lines += ["", "", section.title.upper(), ""]
        lines += [f"{f.label}: {f.value}" for f in section.fields]
        lines += [f"- {item}" for item in section.items]
        for answer in section.answers:
            lines += [answer.heading, _underline(answer.heading, "-")]
            if answer.original:
                lines.append(f"{answer.original.label}: {answer.original.value}")
                lines.append("")
            lines += [answer.text or answer.placeholder, ""]
    while lines and not lines[-1]:
        lines.pop()
    for paragraph in doc.outro:
        lines += ["", paragraph]
    return "\n".join(lines).rstrip() + "\n"


def _html_paragraphs(text: str) -> str:
    parts = [p.strip() for p in _PARAGRAPHS.split(text) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>\n" for p in parts)


def _html_fields(fields: Sequence[Field]) -> str:
    rows = "".join(
        f"<dt>{html.escape(f.label)}</dt><dd>{html.escape(f.value)}</dd>\n" for f in fields
    )
    return f"<dl>\n{rows}</dl>\n"


def render_html(doc: Document) -> str:
    """The HTML alternative: the same content, every value escaped, no external resources."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>\n",
        f'<html lang="{esc(doc.lang)}">\n<head>\n<meta charset="utf-8">\n',
        f"<title>{esc(doc.title)}</title>\n</head>\n<body>\n",
        f"<h1>{esc(doc.title)}</h1>\n",
    ]
    out += [f"<p>{esc(p)}</p>\n" for p in doc.intro]
    if doc.lead:
        out.append(_html_fields(doc.lead))
    for section in doc.sections:
        out.append(f"<h2>{esc(section.title)}</h2>\n")
        if section.fields:
            out.append(_html_fields(section.fields))
        if section.items:
            out.append(
                "<ul>\n" + "".join(f"<li>{esc(i)}</li>\n" for i in section.items) + "</ul>\n"
            )
        for answer in section.answers:
            out.append(f"<h3>{esc(answer.heading)}</h3>\n")
            if answer.original:
                out.append(
                    f"<p><small>{esc(answer.original.label)}: "
                    f"<q>{esc(answer.original.value)}</q></small></p>\n"
                )
            if answer.text:
                out.append(_html_paragraphs(answer.text))
            else:
                out.append(f"<p><em>{esc(answer.placeholder)}</em></p>\n")
    out += [f"<p><small>{esc(p)}</small></p>\n" for p in doc.outro]
    out.append("</body>\n</html>\n")
    return "".join(out)
