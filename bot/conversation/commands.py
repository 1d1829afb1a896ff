"""Commands: the canonical commands (an enum), the names people type, and what each one does.

The engine parses commands itself, so ``/tilbake`` means the same on Telegram, in the terminal
and on the web. Telegram only allows a-z, 0-9 and _ in registered commands, hence ``/sprak``.
The names people type are each language's row in the language registry
(:func:`bot.i18n.languages.command_aliases`); each maps to a :class:`Command` here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from bot.conversation import deadline_notice, flow
from bot.conversation.attaching import send_a_document
from bot.conversation.context import Ctx
from bot.conversation.info import on_help, on_privacy, on_status
from bot.conversation.names import Pick
from bot.conversation.navigation import (
    advance,
    confirm,
    enter_flow,
    goto,
    remember_return,
    show,
    start_over,
)
from bot.conversation.steps.welcome import switch_language
from bot.i18n.languages import command_aliases, find_language


class Command(StrEnum):
    """What a command does, whatever language it was typed in."""

    START = "start"
    HELP = "help"
    STATUS = "status"
    BACK = "back"
    SKIP = "skip"
    CONTINUE = "continue"
    NEXT = "next"
    SUMMARY = "summary"
    CANCEL = "cancel"
    DELETE = "delete"
    LANGUAGE = "language"
    PRIVACY = "privacy"
    ATTACH = "attach"
    OPEN = "open"
    """Not typed by people: a front end opening the chat (start, or continue where they were).
    ``arg`` may name the language the front end was told to use."""
    UNKNOWN = "unknown"
    """A ``/word`` no language has; answered kindly instead of being stored as an answer."""


_BY_VALUE: dict[str, Command] = {command.value: command for command in Command}
"""A dictionary lookup, not ``Command(value)``: a failed enum lookup raises, which costs more."""

OPEN = Command.OPEN
"""The command a front end sends when the chat opens (see :attr:`Command.OPEN`)."""


def command_named(name: str) -> Command:
    """The command a canonical name stands for (front ends send names such as ``"open"``)."""
    return _BY_VALUE.get(name, Command.UNKNOWN)


def parse_command(text: str) -> tuple[Command, str] | None:
    """Return ``(command, argument)`` if ``text`` is a command, else ``None``.

    Accepts Telegram's ``/cmd@BotName`` form and any case. An unknown ``/word`` is returned as
    ``(Command.UNKNOWN, word)`` so the engine can answer it kindly instead of storing it as an
    answer.
    """
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, arg = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name or not all(ch.isalnum() or ch == "_" for ch in name):
        return None
    canonical = command_aliases().get(name)
    if canonical is None:
        return Command.UNKNOWN, name
    return command_named(canonical), arg.strip()


_STARTS = frozenset({Command.START, Command.CONTINUE, Command.OPEN})


def is_start(command: Command) -> bool:
    """Whether a command begins or resumes the conversation (no "welcome back" before it)."""
    return command in _STARTS


def on_command(ctx: Ctx, command: Command, arg: str) -> None:
    """Run ``command`` with its argument."""
    if command in _NEEDS_A_DRAFT and ctx.s.step == flow.START:
        ctx.say(ctx._("Du har ikke begynt på et innspill ennå."))
        show(ctx)
        return
    if command in _NEEDS_A_DRAFT and ctx.s.step == flow.DONE:
        show(ctx)  # sent: the reference, and the way to send another
        return
    _COMMANDS[command](ctx, arg)


def _on_start(ctx: Ctx, arg: str) -> None:
    s = ctx.s
    wants_quick = arg.strip().lower() == "rask" and ctx.c.quick_path and not ctx.closed
    if s.status == "draft" and s.has_content and s.step != flow.START:
        confirm(ctx, flow.RESUME, from_confirmation=flow.SUMMARY)
        return
    if s.status == "submitted" and s.step == flow.DONE and not wants_quick:
        show(ctx)
        return
    if s.status == "submitted":
        start_over(ctx)
    if wants_quick:
        # The quick path's link skips the welcome: its deadline and notice come first.
        notice = deadline_notice.notice(ctx)
        if not ctx.notice_seen:
            notice += "\n\nℹ️ " + ctx.t(ctx.c.publication_notice)
            ctx.notice_told = True
        ctx.say(notice)
        enter_flow(ctx, Pick.QUICK)
        return
    ctx.s.step = flow.START
    show(ctx)


def _on_continue(ctx: Ctx, _arg: str) -> None:
    if ctx.s.step != flow.START:
        ctx.say(
            ctx._("Velkommen tilbake! Du fortsetter der du slapp.")
            + "\n\n"
            + deadline_notice.notice(ctx)
        )
    show(ctx)


def _on_open(ctx: Ctx, arg: str) -> None:
    """A front end opens the chat: switch to its language if asked, then start or continue."""
    if arg and arg != ctx.s.lang:
        _on_language(ctx, arg)
    if ctx.s.step in (flow.START, flow.DONE):
        _on_start(ctx, "")
    else:
        _on_continue(ctx, "")


def _on_next(ctx: Ctx, _arg: str) -> None:
    here = ctx.here
    if here.answer and here.is_done(ctx):
        advance(ctx)
    else:
        ctx.say(ctx._("Skriv svaret først, eller skriv /hopp for å hoppe over."))


def _on_cancel(ctx: Ctx, _arg: str) -> None:
    if not ctx.s.has_content:
        ctx.say(ctx._("Du har ikke noe utkast å avbryte."))
        show(ctx)
        return
    confirm(ctx, flow.CANCEL, from_confirmation=flow.SUMMARY)


def _on_language(ctx: Ctx, arg: str) -> None:
    lang = find_language(arg) if arg else None
    if lang is not None and lang in ctx.c.languages:
        remember_return(ctx, flow.START)
        ctx.s.step = flow.LANGUAGE
        switch_language(ctx, lang)
        return
    confirm(ctx, flow.LANGUAGE, from_confirmation=flow.START)


def _on_attach(ctx: Ctx, _arg: str) -> None:
    ctx.say(send_a_document(ctx))


def _unknown(ctx: Ctx, _arg: str) -> None:
    ctx.say(ctx._("Den kommandoen kjenner jeg ikke. Skriv /hjelp for å se hva du kan gjøre."))
    show(ctx)


_COMMANDS: dict[Command, Callable[[Ctx, str], None]] = {
    Command.START: _on_start,
    Command.CONTINUE: _on_continue,
    Command.OPEN: _on_open,
    Command.HELP: lambda ctx, _arg: on_help(ctx),
    Command.STATUS: lambda ctx, _arg: on_status(ctx),
    Command.BACK: lambda ctx, _arg: ctx.here.on_back(ctx),
    Command.SKIP: lambda ctx, _arg: ctx.here.on_skip(ctx),
    Command.NEXT: _on_next,
    Command.SUMMARY: lambda ctx, _arg: goto(ctx, flow.SUMMARY),
    Command.CANCEL: _on_cancel,
    Command.DELETE: lambda ctx, _arg: confirm(ctx, flow.DELETE, from_confirmation=flow.START),
    Command.LANGUAGE: _on_language,
    Command.PRIVACY: lambda ctx, _arg: on_privacy(ctx),
    Command.ATTACH: _on_attach,
    Command.UNKNOWN: _unknown,
}
"""Each command and its handler."""

_NEEDS_A_DRAFT = frozenset({Command.BACK, Command.SKIP, Command.NEXT, Command.SUMMARY})
"""Commands that mean nothing before a draft is begun (or right after sending)."""
