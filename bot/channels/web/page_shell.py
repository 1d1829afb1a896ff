"""The frame of every page: head, header, footer, and escaping.

Every text a person typed reaches HTML only through :func:`esc` (or :func:`paragraphs`, which
escapes too); a fragment built here is marked :class:`Html` so it is not escaped twice. No
inline script or style anywhere: the Content-Security-Policy forbids both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from bot.i18n.catalogs import N_, gettext_for
from bot.i18n.languages import codes, is_known, language

Translate = Callable[[str], str]

"""Each language in its own words (the switch shows them so, whatever the page's language)."""


class Html(str):
    """A fragment of HTML that is already safe (built from escaped parts)."""

    __slots__ = ()


def esc(value: object) -> Html:
    """Text as HTML: ``<``, ``>``, ``&`` and both quotes escaped."""
    if isinstance(value, Html):
        return value
    return Html(escape(str(value), quote=True))


def paragraphs(text: str) -> Html:
    """Plain text as paragraphs: a blank line starts a new one, a newline breaks the line."""
    parts = [part for part in text.strip().split("\n\n") if part.strip()]
    return Html(
        "".join(
            "<p>" + "<br>".join(esc(line) for line in part.split("\n")) + "</p>" for part in parts
        )
    )


def html_lang(code: str) -> str:
    """The ``lang`` attribute of a page in ``code`` (the language registry will say it)."""
    return language(code).html if is_known(code) else language("").html


def translator(lang: str) -> Translate:
    """The gettext function of ``lang``."""
    return gettext_for(lang).gettext


@dataclass(frozen=True)
class Assets:
    """Versioned addresses of our own script and style sheet (cache them forever)."""

    script: str
    style: str


SKIP_LINK = N_("Gå til spørsmålet")
SKIP_TO_CONTENT = N_("Gå til innholdet")
ABOUT = N_("Om tjenesten")
LANGUAGE = N_("Språk")
FOOTER_LINKS = (
    ("/personvern", N_("Personvern")),
    ("/tilgjengelighet", N_("Tilgjengelighet")),
    ("/fortsett", N_("Fortsett på en annen enhet")),
    ("/slett", N_("Slett alt om meg")),
)


def shell(
    *,
    lang: str,
    title: str,
    site: str,
    main: str,
    assets: Assets,
    header_extra: str = "",
    skip_to: str = "innhold",
    current: str = "",
) -> str:
    """A whole page: ``main`` is the page's own HTML (already escaped)."""
    _ = translator(lang)
    here = ' aria-current="page"'
    links = "".join(
        f'<li><a href="{href}"{here if href == current else ""}>{esc(_(label))}</a></li>'
        for href, label in FOOTER_LINKS
    )
    skip = _(SKIP_LINK) if skip_to == "sporsmal" else _(SKIP_TO_CONTENT)
    return (
        "<!doctype html>\n"
        f'<html lang="{html_lang(lang)}">'
        "<head>"
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{esc(title)}</title>"
        f'<link rel="stylesheet" href="{assets.style}">'
        f'<script src="{assets.script}" defer></script>'
        "</head>"
        "<body>"
        f'<a class="skip" href="#{skip_to}">{esc(skip)}</a>'
        '<header class="site"><div class="wrap">'
        f'<p class="site-name"><a href="/">{esc(site)}</a></p>'
        f"{header_extra}"
        "</div></header>"
        f'<main id="innhold" class="wrap" tabindex="-1">{main}</main>'
        # Filled by chat.js with the new messages of a turn; outside <main>, so it stays put.
        '<div id="kunngjoring" class="visually-hidden" role="status" aria-live="polite"></div>'
        '<footer class="site"><div class="wrap">'
        f'<nav aria-label="{esc(_(ABOUT))}"><ul>{links}</ul></nav>'
        "</div></footer>"
        "</body></html>"
    )


def language_links(lang: str, path: str) -> Html:
    """Plain links to the same page in the other languages (for pages that change nothing)."""
    _ = translator(lang)
    items = "".join(
        f'<li><a href="{path}?lang={code}" lang="{code}" hreflang="{code}">'
        f"{esc(language(code).native_name)}</a></li>"
        for code in codes()
        if code != lang
    )
    return Html(f'<nav class="languages" aria-label="{esc(_(LANGUAGE))}"><ul>{items}</ul></nav>')
