"""The compilation as one self-contained HTML page, every text escaped."""

from __future__ import annotations

from html import escape

from bot.i18n.languages import SOURCE, language
from bot.staff.compiled import Compilation

_STYLE = (
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.45}"
    ".by{font-weight:bold;margin-bottom:0}.note{font-style:italic}"
    "section.entry{border-left:3px solid #ccc;padding-left:1em;margin:1em 0}"
    "dl.overview{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}"
    "dl.overview dt{font-weight:bold}dl.overview dd{margin:0}"
)


def compilation_html(comp: Compilation) -> str:
    """Cover facts and counts, then ``<h1>``/``<h2>`` per group, theme and question."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{language(SOURCE).html}">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(comp.title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f'<header><p class="title"><strong>{escape(comp.title)}</strong></p>',
        f"<p>{escape(comp.subtitle)}</p>",
        "<table>",
    ]
    out += [f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in comp.facts]
    out.append("</table>")
    for title, counts in comp.counts:
        out.append(f"<p><strong>{escape(title)}</strong></p><ul>")
        out += [f"<li>{escape(name)}: {count}</li>" for name, count in counts] or ["<li>–</li>"]
        out.append("</ul>")
    out.append("</header>")
    for section in comp.sections:
        tag = f"h{section.level}"
        out.append(f"<{tag}>{escape(section.title)}</{tag}>")
        for note in (section.note, section.see_also):
            if note:
                out.append(f'<p class="note">{escape(note)}</p>')
        if section.overview:
            out.append('<dl class="overview">')
            for label, value in section.overview:
                out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
            out.append("</dl>")
        if not section.entries and section.empty:
            out.append(f"<p>{escape(section.empty)}</p>")
        for entry in section.entries:
            out.append(f'<section class="entry"><p class="by">{escape(entry.byline)}</p>')
            out += _paragraphs(entry.text)
            for attached in entry.documents:
                if attached.title:
                    out.append(f'<p class="note">{escape(attached.title)}</p>')
                out += _paragraphs(attached.text, css="note" if attached.note else None)
            out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _paragraphs(text: str, css: str | None = None) -> list[str]:
    """Blank lines separate paragraphs; single line breaks become ``<br>``."""
    start = f'<p class="{css}">' if css else "<p>"
    return [
        start + "<br>".join(escape(line) for line in paragraph.strip().split("\n")) + "</p>"
        for paragraph in text.split("\n\n")
        if paragraph.strip()
    ]
