"""What each ``innspill`` subcommand does, once settings and logging are in place."""

from __future__ import annotations

import argparse
import json
import sys

from bot.app import Runtime, run_telegram
from bot.exports import submissions_csv, submissions_json
from bot.settings import Settings
from bot.statistics import render_stats


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one subcommand against an opened runtime; return the exit code."""
    if args.command == "run" and settings.telegram_bot_token is not None:
        await run_telegram(
            settings, webhook_url=args.webhook_url, listen=args.listen, port=args.port
        )
        return 0
    runtime = await Runtime.open(settings)
    try:
        return await _run(args, runtime)
    finally:
        await runtime.close()


async def _run(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.terminal import run_terminal_chat

    if args.command == "run":
        print(
            "Ingen TELEGRAM_BOT_TOKEN er satt – samtalen kjører i terminalen. "
            "(No TELEGRAM_BOT_TOKEN set – running the conversation in the terminal.)"
        )
        await run_terminal_chat(runtime, "terminal", None)
        return 0
    if args.command == "chat":
        await run_terminal_chat(runtime, args.user, args.lang)
        return 0
    if args.command == "outbox":
        return await _outbox(args, runtime)
    if args.command == "export":
        submissions = await runtime.store.list_submissions(runtime.consultation.id)
        text = (
            submissions_csv(submissions) if args.format == "csv" else submissions_json(submissions)
        )
        if args.output:
            args.output.write_text(text, encoding="utf-8")
            print(f"{len(submissions)} innspill skrevet til {args.output}")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "stats":
        stats = await runtime.store.stats(runtime.consultation.id)
        if args.json:
            print(json.dumps(stats, ensure_ascii=False, indent=2, default=str))
        else:
            sys.stdout.write(render_stats(stats, runtime.consultation))
        return 0
    if args.command == "purge":
        purged = await runtime.purge_abandoned_drafts()
        print(f"{purged} gamle utkast slettet.")
        return 0
    return 2


async def _outbox(args: argparse.Namespace, runtime: Runtime) -> int:
    store = runtime.store
    if args.outbox_command == "send":
        report = await runtime.worker.run_once()
        print(
            f"Sendt: {report.sent}, prøves igjen senere: {report.retried}, feilet: {report.failed}"
        )
        return 0 if report.failed == 0 else 1
    if args.outbox_command == "retry":
        from bot.clock import utc_now

        if await store.retry_outbox(args.id, utc_now()):
            print(f"E-post {args.id} sendes på nytt ved neste runde (innspill outbox send).")
            return 0
        print(f"Fant ingen feilet e-post med id {args.id}.", file=sys.stderr)
        return 1
    rows = await store.list_outbox(args.status)
    print(f"{'id':>5}  {'status':<8} {'type':<9} {'forsøk':>6}  {'referanse':<15} mottaker / feil")
    for row in rows:
        failed_before = row.last_error and row.status != "sent"
        detail = row.recipient + (f"  ({row.last_error})" if failed_before else "")
        print(
            f"{row.id:>5}  {row.status:<8} {row.kind:<9} {row.attempts:>6}  "
            f"{row.reference:<15} {detail}"
        )
    if not rows:
        print("(tom)")
    return 0
