"""What each ``innspill`` subcommand does, once settings and logging are in place."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from pathlib import Path

from bot.app import Runtime, run_telegram
from bot.ops.settings import Settings


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one subcommand against an opened runtime; return the exit code."""
    if args.command == "run" and settings.telegram_bot_token is not None:
        return await _run_telegram(args, settings)
    if args.command == "web" or (args.command == "run" and settings.web_enabled):
        return await _run_web(args, settings)
    if args.command == "health":
        from bot.ops.health import health

        return await health(settings)
    if args.command == "outbox" and args.outbox_command == "ack":
        return _acknowledge(args.id, settings)
    runtime = await Runtime.open(settings)
    try:
        return await _run(args, runtime)
    finally:
        await runtime.close()


async def _run_telegram(args: argparse.Namespace, settings: Settings) -> int:
    """The bot on Telegram, with the periodic counts line alongside."""
    from bot.ops.metrics import report_periodically

    reporter = asyncio.create_task(report_periodically(settings.log_stats_seconds))
    try:
        await run_telegram(
            settings, webhook_url=args.webhook_url, listen=args.listen, port=args.port
        )
    finally:
        reporter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reporter
    return 0


async def _run_web(args: argparse.Namespace, settings: Settings) -> int:
    """The web chat alone (``innspill web``, or ``run`` with WEB_ENABLED and no token)."""
    from bot.app import run_web
    from bot.ops.metrics import report_periodically

    reporter = asyncio.create_task(report_periodically(settings.log_stats_seconds))
    try:
        await run_web(
            settings,
            listen=getattr(args, "listen", None) if args.command == "web" else None,
            port=getattr(args, "port", None) if args.command == "web" else None,
        )
    finally:
        reporter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reporter
    return 0


def _acknowledge(outbox_id: int, settings: Settings) -> int:
    """Staff have seen a failed e-mail: ``innspill health`` stops reporting it."""
    from bot.ops.clock import utc_now
    from bot.storage.health_queries import acknowledge_failure, open_existing

    db = open_existing(settings.database_path)
    try:
        acknowledged = acknowledge_failure(db, outbox_id, utc_now())
    finally:
        db.close()
    if acknowledged:
        print(f"E-post {outbox_id} er kvittert; health varsler ikke om den lenger.")
        return 0
    print(f"Fant ingen feilet e-post med id {outbox_id}.", file=sys.stderr)
    return 1


async def _run(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.channels.terminal import run_terminal_chat

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
        return await _export(args, runtime)
    if args.command == "compile":
        return await _compile(args, runtime)
    if args.command == "stats":
        return await _stats(args, runtime)
    if args.command == "purge":
        purged = await runtime.purge_abandoned_drafts()
        print(f"{purged} gamle utkast slettet.")
        return 0
    return 2


async def _export(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.staff.exports import export_bytes
    from bot.staff.material import load_material
    from bot.staff.progress import Progress

    if len(args.delimiter) != 1:
        print("--delimiter må være ett tegn, for eksempel ; eller ,", file=sys.stderr)
        return 2
    if args.format == "xlsx" and args.output is None and sys.stdout.isatty():
        print("XLSX skrives ikke til skjermen: bruk --output FIL.xlsx", file=sys.stderr)
        return 2
    material = await load_material(runtime.store, runtime.consultation.id)
    progress = Progress("Eksporterer")
    data = export_bytes(
        runtime.consultation,
        material,
        args.format,
        delimiter=args.delimiter,
        progress=progress,
    )
    progress.finish()
    _write(data, args.output, f"{material.total} innspill")
    return 0


async def _compile(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.staff.compilation import build_compilation
    from bot.staff.material import load_material

    material = await load_material(runtime.store, runtime.consultation.id)
    compilation = build_compilation(runtime.consultation, material)
    if args.format == "docx":
        if args.output is None and sys.stdout.isatty():
            print("Word-filen skrives ikke til skjermen: bruk --output FIL.docx", file=sys.stderr)
            return 2
        from bot.staff.compile_docx import compilation_docx
        from bot.staff.progress import Progress

        progress = Progress("Lager Word-dokument")
        data = compilation_docx(compilation, progress=progress)
        progress.finish()
    else:
        from bot.staff.compile_html import compilation_html

        data = compilation_html(compilation).encode()
    _write(data, args.output, f"Sammenstilling av {material.total} innspill")
    return 0


async def _stats(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.staff.material import load_material
    from bot.staff.statistics import content_stats, render_stats

    stats = await runtime.store.staff.stats(runtime.consultation.id)
    material = await load_material(runtime.store, runtime.consultation.id)
    stats.update(content_stats(runtime.consultation, material))
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2, default=str))
    else:
        sys.stdout.write(render_stats(stats, runtime.consultation))
    return 0


def _write(data: bytes, output: Path | None, what: str) -> None:
    """Write to the file and say so, or send the bytes straight to stdout."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.write_bytes(data)
    print(f"{what} skrevet til {output}")


async def _outbox(args: argparse.Namespace, runtime: Runtime) -> int:
    store = runtime.store
    if args.outbox_command == "send":
        return await _outbox_send(runtime)
    if args.outbox_command == "retry":
        from bot.ops.clock import utc_now

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


async def _outbox_send(runtime: Runtime) -> int:
    """Send every pending e-mail now, ignoring retry delays, and account for every row."""
    store = runtime.store
    report = await runtime.worker.run_once(ignore_backoff=True)
    rows = await store.list_outbox()
    waiting = [row for row in rows if row.status in ("pending", "sending")]
    failed = [row for row in rows if row.status == "failed"]
    sent_before = sum(row.status == "sent" for row in rows) - report.sent
    print(
        f"Sendt nå: {report.sent}. Sendt tidligere: {sent_before}. "
        f"Venter fortsatt: {len(waiting)}. Feilet: {len(failed)}."
    )
    for row in waiting:
        if row.kind == "receipt" and await store.receipt_is_held(row.id):
            why = "kvitteringen venter til departementets server har tatt imot innspillet"
        elif row.status == "sending":
            why = "sendes akkurat nå av boten"
        else:
            why = row.last_error or "ikke forsøkt ennå"
        print(f"  venter  {row.id:>5} {row.kind:<9} {row.reference}: {why}")
    for row in failed:
        print(f"  feilet  {row.id:>5} {row.kind:<9} {row.reference}: {row.last_error or ''}")
    if failed:
        print("Feilede e-poster: innspill outbox retry ID, eller ack ID når de er håndtert.")
    return 0 if not failed and not waiting else 1
