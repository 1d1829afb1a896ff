"""Commands: the names people type (bokmål, nynorsk, English) and what each command does.

The engine parses commands itself, so ``/tilbake`` means the same on Telegram and in the
terminal. Telegram only allows a-z, 0-9 and _ in registered commands, hence ``/sprak``.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import deadline_notice as deadline
from bot.conversation import flow, prompts, screens
from bot.conversation.choices import on_language
from bot.conversation.context import Ctx
from bot.conversation.info import on_help, on_privacy, on_status
from bot.conversation.navigation import (
    advance,
    back,
    confirm,
    enter_flow,
    goto,
    remember_return,
    skip,
    start_over,
)
from bot.i18n.languages import command_aliases, find_language

OPEN = "open"
"""Not typed by people: a front end opening the chat (start, or continue where they were).
``arg`` may name the language the front end was told to use."""


def parse_command(text: str) -> tuple[str, str] | None:
    """Return ``(canonical_name, argument)`` if ``text`` is a known command, else ``None``.

    Accepts Telegram's ``/cmd@BotName`` form and any case. An unknown ``/word`` is returned as
    ``("unknown", word)`` so the engine can answer it kindly instead of storing it as an answer.
    """
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, arg = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name or not all(ch.isalnum() or ch == "_" for ch in name):
        return None
    aliases = command_aliases()
    return aliases.get(name, "unknown"), arg.strip() if name in aliases else name


def is_start(name: str) -> bool:
    """Whether a command begins or resumes the conversation (no "welcome back" before it)."""
    return name in ("start", "continue", OPEN)


def on_command(ctx: Ctx, name: str, arg: str) -> None:
    """Run the command ``name`` (canonical) with its argument."""
    if name in _NEEDS_A_DRAFT and ctx.s.step in (flow.START, flow.DONE):
        ctx.say(ctx._("Du har ikke begynt på et innspill ennå."))
        screens.show(ctx)
        return
    _COMMANDS.get(name, _unknown)(ctx, arg)


def _on_start(ctx: Ctx, arg: str) -> None:
    s = ctx.s
    wants_quick = (
        arg.strip().lower() == "rask"
        and ctx.c.quick_path
        and not deadline.is_closed(ctx.c, ctx.event.at)
    )
    if s.status == "draft" and s.has_content and s.step != flow.START:
        confirm(ctx, flow.RESUME, from_confirmation=flow.SUMMARY)
        return
    if s.status == "submitted" and s.step == flow.DONE and not wants_quick:
        screens.show(ctx)
        return
    if s.status == "submitted":
        start_over(ctx)
    if wants_quick:
        notice = deadline.notice(ctx)
        if not ctx.s.notice_shown:
            notice += "\n\nℹ️ " + ctx.t(ctx.c.publication_notice)
            ctx.s.notice_shown = True
        ctx.say(notice)
        enter_flow(ctx, prompts.QUICK)
        return
    ctx.s.step = flow.START
    screens.show_welcome(ctx)


def _on_continue(ctx: Ctx, _arg: str) -> None:
    if ctx.s.step == flow.START:
        screens.show_welcome(ctx)
        return
    ctx.say(ctx._("Velkommen tilbake! Du fortsetter der du slapp.") + "\n\n" + deadline.notice(ctx))
    screens.show(ctx)


def _on_open(ctx: Ctx, arg: str) -> None:
    """A front end opens the chat: switch to its language if asked, then start or continue."""
    if arg and arg != ctx.s.lang:
        _on_language(ctx, arg)
    if ctx.s.step in (flow.START, flow.DONE):
        _on_start(ctx, "")
    else:
        _on_continue(ctx, "")


def _on_next(ctx: Ctx, _arg: str) -> None:
    s = ctx.s
    if flow.is_answer_step(s.step) and flow.is_done(ctx.c, s, s.step):
        advance(ctx)
    else:
        ctx.say(ctx._("Skriv svaret først, eller skriv /hopp for å hoppe over."))


def _on_cancel(ctx: Ctx, _arg: str) -> None:
    if not ctx.s.has_content:
        ctx.say(ctx._("Du har ikke noe utkast å avbryte."))
        screens.show(ctx)
        return
    confirm(ctx, flow.CANCEL, from_confirmation=flow.SUMMARY)


def _on_language(ctx: Ctx, arg: str) -> None:
    lang = find_language(arg) if arg else None
    if lang is not None and lang in ctx.c.languages:
        remember_return(ctx, flow.START)
        ctx.s.step = flow.LANGUAGE
        on_language(ctx, lang)
        return
    confirm(ctx, flow.LANGUAGE, from_confirmation=flow.START)


def _on_attach(ctx: Ctx, _arg: str) -> None:
    ctx.say(ctx._("Send dokumentet som en fil, så legger jeg det ved innspillet."))


def _unknown(ctx: Ctx, _arg: str) -> None:
    ctx.say(ctx._("Den kommandoen kjenner jeg ikke. Skriv /hjelp for å se hva du kan gjøre."))
    screens.show(ctx)


_COMMANDS: dict[str, Callable[[Ctx, str], None]] = {
    "start": _on_start,
    "continue": _on_continue,
    OPEN: _on_open,
    "help": lambda ctx, _arg: on_help(ctx),
    "status": lambda ctx, _arg: on_status(ctx),
    "back": lambda ctx, _arg: back(ctx),
    "skip": lambda ctx, _arg: skip(ctx),
    "next": _on_next,
    "summary": lambda ctx, _arg: goto(ctx, flow.SUMMARY),
    "cancel": _on_cancel,
    "delete": lambda ctx, _arg: confirm(ctx, flow.DELETE, from_confirmation=flow.START),
    "language": _on_language,
    "privacy": lambda ctx, _arg: on_privacy(ctx),
    "attach": _on_attach,
}
"""Each canonical command and its handler; anything else is answered as unknown."""

_NEEDS_A_DRAFT = frozenset({"back", "skip", "next", "summary"})
"""Commands that mean nothing before a draft is begun (or right after sending)."""
