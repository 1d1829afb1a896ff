"""Command line: ``innspill`` run, web, chat, health, check, outbox, export, compile, stats, purge.

Operator mistakes (a bad setting, a missing token without a terminal, an unreachable network)
end here as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.i18n.languages import codes
from bot.ops.settings import Settings
from bot.ops.settings_errors import load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="innspill", description="Innspill til offentlige høringer, via Telegram og nettsiden."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="start boten (Telegram med token, ellers samtalen i terminalen)"
    )
    run.add_argument("--webhook-url", help="bruk webhook på denne adressen i stedet for polling")
    run.add_argument("--listen", help="adresse webhooken lytter på (standard 0.0.0.0)")
    run.add_argument("--port", type=int, help="port webhooken lytter på (standard 8443)")

    web = sub.add_parser("web", help="samtalen som nettside (WEB_LISTEN:WEB_PORT)")
    web.add_argument("--listen", help="adresse nettsiden lytter på (standard WEB_LISTEN)")
    web.add_argument("--port", type=int, help="port nettsiden lytter på (standard WEB_PORT)")

    chat = sub.add_parser("chat", help="samtalen i terminalen")
    chat.add_argument("--user", default="terminal", help="hvem du er (hver bruker har sitt utkast)")
    chat.add_argument("--lang", choices=codes(), help="språk: " + ", ".join(codes()))

    sub.add_parser("health", help="sjekk at alt virker (database, språk, høring, utboks, Telegram)")

    check = sub.add_parser("check", help="sjekk en høringsfil (TOML)")
    check.add_argument("file", type=Path)

    outbox = sub.add_parser("outbox", help="e-post som venter, er sendt eller feilet")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    outbox_sub.add_parser("send", help="send det som venter, én runde")
    listing = outbox_sub.add_parser("list", help="vis utboksen")
    listing.add_argument("--status", choices=["pending", "sending", "sent", "failed"])
    retry = outbox_sub.add_parser("retry", help="prøv en feilet e-post på nytt")
    retry.add_argument("id", type=int)
    ack = outbox_sub.add_parser(
        "ack", help="kvitter for en feilet e-post (health slutter å varsle)"
    )
    ack.add_argument("id", type=int)

    export = sub.add_parser("export", help="eksporter innspill (XLSX, CSV eller JSON)")
    export.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx")
    export.add_argument("--output", type=Path, help="fil å skrive til (standard: skjermen)")
    export.add_argument("--delimiter", default=";", help="skilletegn i CSV (standard: ;)")

    compile_ = sub.add_parser("compile", help="alle svar samlet per tema og spørsmål")
    compile_.add_argument("--format", choices=["docx", "html"], default="docx")
    compile_.add_argument("--output", type=Path, help="fil å skrive til (standard: skjermen)")

    stats = sub.add_parser("stats", help="statistikk over innspill")
    stats.add_argument("--json", action="store_true", help="maskinlesbart, som JSON")
    sub.add_parser("purge", help="slett gamle, uferdige utkast")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``innspill`` console script and ``python -m bot``."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        from bot.consultation.loader import check_consultation

        problems = check_consultation(args.file)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(f"{args.file}: OK")
        return 1 if problems else 0

    previous_umask = os.umask(PRIVATE_UMASK)
    try:
        return _main(args)
    finally:
        os.umask(previous_umask)


def _main(args: argparse.Namespace) -> int:
    loaded = load_settings()
    if isinstance(loaded, list):
        for line in loaded:
            print(line, file=sys.stderr)
        return 1
    settings = loaded
    if _needs_token(args, settings):
        from bot.ops.operator_errors import NO_TOKEN

        print(NO_TOKEN, file=sys.stderr)
        return 1
    _configure_logging(settings, quiet=args.command == "chat" or _is_terminal_run(args, settings))
    from bot.cli import dispatch
    from bot.ops.operator_errors import explain

    try:
        return asyncio.run(dispatch(args, settings))
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        explained = explain(error, settings)
        if explained is None:
            raise
        print(explained, file=sys.stderr)
        return 1


PRIVATE_UMASK = 0o077
"""Files the bot creates (database, WAL, .eml files, folders) are its user's alone: 0600/0700."""


def _needs_token(args: argparse.Namespace, settings: Settings) -> bool:
    """``run`` without a token only makes sense with a person at a terminal."""
    return _is_terminal_run(args, settings) and not sys.stdin.isatty()


def _is_terminal_run(args: argparse.Namespace, settings: Settings) -> bool:
    """``run`` without a token: the terminal chat, unless the web chat is enabled."""
    return bool(
        args.command == "run" and settings.telegram_bot_token is None and not settings.web_enabled
    )


def _configure_logging(settings: Settings, *, quiet: bool) -> None:
    from bot.ops.logs import configure_logging

    configure_logging(settings, quiet=quiet)


if __name__ == "__main__":
    raise SystemExit(main())
