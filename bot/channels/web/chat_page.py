"""The chat page: the conversation so far, the current question, and the forms to answer it.

One page per turn, built on the server and complete without JavaScript: the choices are
``<button type="submit">`` in a ``<form method="post">``, free text goes in a labelled
``<textarea>``, documents in a labelled file input, and every form carries the visitor's CSRF
token and a one-off ``turn`` id (the update key, so a double submit is applied once).
``chat.js`` only makes the same forms work without a page load.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.channels.web.page_shell import (
    Assets,
    Html,
    esc,
    shell,
    translator,
)
from bot.channels.web.transcript import Message, Page
from bot.conversation.events import Choice
from bot.i18n.catalogs import N_
from bot.i18n.languages import codes, language

PROBLEMS = {
    "empty": N_("Skriv svaret ditt før du trykker «Send»."),
    "no_file": N_("Velg en fil før du trykker «Last opp»."),
    "too_large": N_("Filen er for stor. Den kan være på høyst {size}."),
    "duplicate": N_("Dette var sendt allerede. Her er samtalen slik den står nå."),
}
"""What went wrong with the last form, shown once above the form (bokmål msgids)."""
FIELD_OF_PROBLEM = {"empty": "svar-tekst", "no_file": "dokument", "too_large": "dokument"}
ACCEPTED_FILES = ".pdf,.docx,.odt,.txt,application/pdf,text/plain"
TOOLS = (
    ("back", N_("Tilbake")),
    ("skip", N_("Hopp over")),
    ("summary", N_("Oppsummering")),
    ("status", N_("Hvor langt har jeg kommet?")),
    ("help", N_("Hjelp")),
)
"""The commands under «Flere valg»: what Telegram's menu offers, as buttons."""
CONVERSATION = N_("Samtalen")
PICK_ONE = N_("Velg et svar")
A_PROBLEM = N_("Det er et problem")
SEND = N_("Send")
CHOOSE_FILE = N_("Velg en fil")
UPLOAD = N_("Last opp")
ATTACH = N_("Legg ved et dokument")
MORE = N_("Flere valg")
ANOTHER_DEVICE = N_("Fortsette på en annen enhet?")
LANGUAGE = N_("Språk")
YOUR_ANSWER = N_("Svaret ditt")


@dataclass(frozen=True)
class ChatView:
    """What the chat page needs besides the person's page."""

    site: str
    title: str
    csrf: str
    turn: str
    assets: Assets
    resume_code: str | None
    upload_limit: str


HIDDEN = "\x00hidden\x00"
"""Where a cached form template takes the page's hidden fields (CSRF token and turn id)."""


def _hidden(view: ChatView) -> str:
    return (
        f'<input type="hidden" name="csrf" value="{esc(view.csrf)}">'
        f'<input type="hidden" name="turn" value="{esc(view.turn)}">'
    )


def page_title(page: Page, site: str, lang: str) -> str:
    """The browser tab names the question (screen readers read it first after a load)."""
    _ = translator(lang)
    current = page.current()
    question = _question_line(current.text) if current else site
    title = f"{question} – {site}" if question != site else site
    return (_("Feil:") + " " + title) if page.problem else title


def _question_line(text: str) -> str:
    """The line that asks (ends with «?»), else the first line; at most 80 characters."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    asking = [line for line in lines if line.endswith("?")]
    line = (asking[-1] if asking else lines[0]) if lines else ""
    return line if len(line) <= 80 else line[:79].rstrip() + "…"


def _message(message: Message, lang: str, *, current: bool, new: bool) -> str:
    _ = translator(lang)
    who = _("Boten skrev:") if message.from_bot else _("Du skrev:")
    classes = "msg bot" if message.from_bot else "msg me"
    attrs = ""
    if current:
        classes += " current"
        attrs = ' id="sporsmal" tabindex="-1"'
    if new:
        attrs += " data-new"
    return (
        f'<li class="{classes}"{attrs}><span class="visually-hidden">{esc(who)} </span>'
        f'<div class="text">{message.html}</div></li>'
    )


def _chat(page: Page, lang: str) -> str:
    messages = list(page.messages)
    current = page.current()
    first_new = len(messages) - page.newest
    items = "".join(
        _message(
            m, lang, current=m is current and index == len(messages) - 1, new=index >= first_new
        )
        for index, m in enumerate(messages)
    )
    _ = translator(lang)
    return (
        '<section class="conversation" aria-labelledby="samtale-tittel">'
        f'<h2 id="samtale-tittel" class="visually-hidden">{esc(_(CONVERSATION))}</h2>'
        f'<ol class="chat" id="chat" data-turn="{page.turn}">{items}</ol></section>'
    )


def _choice_button(choice: Choice, lang: str) -> str:
    _ = translator(lang)
    if choice.selected is None:
        return (
            f'<button type="submit" name="choice" value="{esc(choice.id)}">'
            f"{esc(choice.label)}</button>"
        )
    mark = "☑" if choice.selected else "☐"
    return (
        f'<button type="submit" name="choice" value="{esc(choice.id)}" class="toggle" '
        f'aria-pressed="{"true" if choice.selected else "false"}">'
        f'<span aria-hidden="true">{mark}</span> {esc(choice.label)}</button>'
    )


def _choices(current: Message | None, view: ChatView, lang: str) -> str:
    if current is None or not current.choices or current.step is None:
        return ""
    _ = translator(lang)
    buttons = "".join(_choice_button(c, lang) for c in current.choices)
    return (
        '<form method="post" action="/valg" class="choices" data-enhance>'
        f'{_hidden(view)}<input type="hidden" name="step" value="{esc(current.step)}">'
        f'<div role="group" aria-label="{esc(_(PICK_ONE))}" class="buttons">'
        f"{buttons}</div></form>"
    )


def _problem(page: Page, lang: str, view: ChatView) -> str:
    if page.problem is None:
        return ""
    _ = translator(lang)
    text = _(PROBLEMS.get(page.problem, PROBLEMS["duplicate"])).format(size=view.upload_limit)
    target = FIELD_OF_PROBLEM.get(page.problem)
    item = f'<a href="#{target}">{esc(text)}</a>' if target else esc(text)
    return (
        '<div class="problem" role="alert" tabindex="-1" id="problem"'
        ' aria-labelledby="problem-tittel">'
        f'<h2 id="problem-tittel">{esc(_(A_PROBLEM))}</h2>'
        f"<ul><li>{item}</li></ul></div>"
    )


def _text_form(page: Page, view: ChatView, lang: str, has_choices: bool) -> str:
    _ = translator(lang)
    label = _("Eller skriv svaret ditt") if has_choices else _("Skriv svaret ditt")
    invalid = page.problem == "empty"
    error = (
        f'<p class="field-problem" id="svar-feil">{esc(_(PROBLEMS["empty"]))}</p>'
        if invalid
        else ""
    )
    described = ' aria-describedby="svar-feil" aria-invalid="true"' if invalid else ""
    return (
        '<form method="post" action="/svar" class="text" data-enhance>'
        f"{_hidden(view)}"
        f'<label for="svar-tekst">{esc(label)}</label>{error}'
        f'<textarea id="svar-tekst" name="tekst" rows="5"{described}></textarea>'
        f'<button type="submit">{esc(_(SEND))}</button></form>'
    )


def _upload_form(page: Page, view: ChatView, lang: str) -> str:
    invalid = page.problem in ("no_file", "too_large")
    return _upload_template(lang, view.upload_limit, invalid).replace(HIDDEN, _hidden(view))


@lru_cache(maxsize=64)
def _upload_template(lang: str, upload_limit: str, invalid: bool) -> str:
    _ = translator(lang)
    hint = _("PDF, Word (DOCX), ODT eller tekst, høyst {size}.").format(size=upload_limit)
    described = ' aria-describedby="dokument-hint"' + (' aria-invalid="true"' if invalid else "")
    return (
        f'<details class="upload"{" open" if invalid else ""}>'
        f"<summary>{esc(_(ATTACH))}</summary>"
        '<form method="post" action="/vedlegg" enctype="multipart/form-data" data-enhance>'
        f"{HIDDEN}"
        f'<label for="dokument">{esc(_(CHOOSE_FILE))}</label>'
        f'<p class="hint" id="dokument-hint">{esc(hint)}</p>'
        f'<input type="file" id="dokument" name="dokument" multiple accept="{ACCEPTED_FILES}"'
        f"{described}>"
        f'<button type="submit">{esc(_(UPLOAD))}</button></form></details>'
    )


def _tools(view: ChatView, lang: str) -> str:
    return _tools_template(lang).replace(HIDDEN, _hidden(view))


@lru_cache(maxsize=8)
def _tools_template(lang: str) -> str:
    _ = translator(lang)
    buttons = "".join(
        f'<button type="submit" name="command" value="{name}" class="secondary">'
        f"{esc(_(label))}</button>"
        for name, label in TOOLS
    )
    return (
        '<section class="tools" aria-labelledby="verktoy-tittel">'
        f'<h2 id="verktoy-tittel">{esc(_(MORE))}</h2>'
        f'<form method="post" action="/kommando" data-enhance>{HIDDEN}'
        f'<div class="buttons">{buttons}</div></form></section>'
    )


def _resume(view: ChatView, lang: str) -> str:
    if view.resume_code is None:
        return ""
    _ = translator(lang)
    return (
        '<aside class="resume" aria-labelledby="kode-tittel">'
        f'<h2 id="kode-tittel">{esc(_(ANOTHER_DEVICE))}</h2>'
        "<p>"
        + esc(_("Koden din er"))
        + f' <strong class="code">{esc(view.resume_code)}</strong>. '
        + esc(_("Skriv den inn under «Fortsett på en annen enhet». Ikke del koden med andre."))
        + "</p></aside>"
    )


def language_switch(view: ChatView, lang: str) -> Html:
    """Three buttons that change the conversation's language (a post, like the others)."""
    return Html(_switch_template(lang).replace(HIDDEN, _hidden(view)))


@lru_cache(maxsize=8)
def _switch_template(lang: str) -> str:
    _ = translator(lang)
    buttons = "".join(
        f'<button type="submit" name="command" value="language:{code}" lang="{code}" '
        f'aria-pressed="{"true" if code == lang else "false"}">'
        f"{esc(language(code).native_name)}</button>"
        for code in codes()
    )
    return (
        f'<form method="post" action="/kommando" class="languages" data-enhance>'
        f'{HIDDEN}<div role="group" aria-label="{esc(_(LANGUAGE))}">{buttons}</div></form>'
    )


def chat_page(page: Page, view: ChatView) -> str:
    """The whole page for one person at this turn."""
    lang = page.lang
    _ = translator(lang)
    current = page.current()
    has_choices = bool(current and current.choices)
    main = (
        f"<h1>{esc(view.title)}</h1>"
        f"{_chat(page, lang)}"
        '<section class="answer" aria-labelledby="svar-tittel">'
        f'<h2 id="svar-tittel" class="visually-hidden">{esc(_(YOUR_ANSWER))}</h2>'
        f"{_problem(page, lang, view)}"
        f"{_choices(current, view, lang)}"
        f"{_text_form(page, view, lang, has_choices)}"
        f"{_upload_form(page, view, lang)}"
        "</section>"
        f"{_tools(view, lang)}"
        f"{_resume(view, lang)}"
    )
    return shell(
        lang=lang,
        title=page_title(page, view.site, lang),
        site=view.site,
        main=main,
        assets=view.assets,
        header_extra=language_switch(view, lang),
        skip_to="sporsmal" if current else "innhold",
    )
