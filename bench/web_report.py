"""The web chat's figures (issue #20) as a section of ``docs/performance.md``.

``python -m bench --web`` measures them and puts this section into the report between its
markers; a full ``python -m bench`` keeps the section as it was, so the two runs (minutes
each on a busy machine) need not be repeated together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.load import Result

BEGIN = "<!-- web:begin (python -m bench --web) -->"
END = "<!-- web:end -->"


@dataclass
class WebFigures:
    """Everything one web run measured."""

    command: str
    when: str
    service_events_per_s: float = 0.0
    service_users: int = 0
    closed: list[Result] = field(default_factory=list)
    ratio_run: Result | None = None
    paced: Result | None = None
    telegram_only: Result | None = None
    both: Result | None = None
    notes: list[str] = field(default_factory=list)


def _row(result: Result) -> str:
    per_action = result.driver_cpu_seconds * 1000 / result.actions if result.actions else 0.0
    return (
        f"| {result.scenario.label} | {result.actions_per_s:.0f} | {result.submissions_per_s:.2f}"
        f" | {result.latency(0.5):.1f} | {result.latency(0.99):.1f}"
        f" | {result.cpu_ms_per_action:.2f} | {result.peak_rss_mb:.0f} | {per_action:.2f}"
        f" | {len(result.stuck)} |"
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def section(figures: WebFigures) -> str:
    """The section, with its markers."""
    out = [
        BEGIN,
        "## The web chat (issue #20)",
        "",
        f"- date: {figures.when}",
        f"- command: `{figures.command}`",
        "",
        "Simulated people walk the web chat over HTTP as a browser without JavaScript does "
        "(aiohttp client, a cookie each, the page's forms with their CSRF token and turn id): "
        "each action is a form post answered with a redirect, and the page it leads to, and "
        "its latency is both requests. They read the page and decide like the Telegram "
        "people above (guided and quick submissions in turn). The server is `innspill web` "
        "in a subprocess (its CPU and peak RSS are its own) with the per-person and "
        "per-address limits lifted, since every simulated person comes from 127.0.0.1. The "
        "in-process service (`bench/micro.py`, the same people's events without HTTP) runs "
        "in the same run, for the ratio. Rows marked *with chat.js* post as the script does "
        "(the next page in the answer to the post, one request per action). *Both channels*: "
        "`innspill run` with `WEB_ENABLED=true`, the web people's actions counted, 100 "
        "Telegram people (through the Bot API fake) at the same time; *Telegram only* is the "
        "same process without the web chat and its people.",
        "",
        "| run | actions / s | submissions / s | p50 (ms) | p99 (ms) | server CPU ms / action "
        "| peak RSS (MB) | driver CPU ms / action | stuck |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    runs = [*figures.closed]
    if figures.ratio_run is not None:
        runs.append(figures.ratio_run)
    if figures.paced is not None:
        runs.append(figures.paced)
    if figures.telegram_only is not None:
        runs.append(figures.telegram_only)
    if figures.both is not None:
        runs.append(figures.both)
    out += [_row(r) for r in runs]
    out += ["", "| target | measured | |", "|---|---:|---|"]
    if figures.ratio_run is not None and figures.service_events_per_s:
        ratio = figures.ratio_run.actions_per_s / figures.service_events_per_s
        out.append(
            f"| web actions/s at N={figures.ratio_run.scenario.users} ≥ 0.6× in-process service "
            f"events/s ({figures.service_events_per_s:.0f}/s, {figures.service_users} people) "
            f"| {ratio:.2f}× | {_verdict(ratio >= 0.6)} |"
        )
    if figures.paced is not None:
        p99 = figures.paced.latency(0.99)
        out.append(
            f"| p99 at an action a second, N={figures.paced.scenario.users} ≤ 50 ms "
            f"| {p99:.1f} ms | {_verdict(p99 <= 50)} |"
        )
    if figures.telegram_only is not None and figures.both is not None:
        rss = figures.both.peak_rss_mb / figures.telegram_only.peak_rss_mb
        out.append(
            f"| peak RSS with both channels ≤ 1.2× Telegram only "
            f"| {figures.both.peak_rss_mb:.0f} / {figures.telegram_only.peak_rss_mb:.0f} MB "
            f"= {rss:.2f}× | {_verdict(rss <= 1.2)} |"
        )
    if figures.notes:
        out += ["", *figures.notes]
    out.append(END)
    return "\n".join(out) + "\n"


def merge(report: str, web: str | None) -> str:
    """``report`` with its web section replaced by ``web`` (``None``: keep the old one)."""
    before, found, rest = report.partition(BEGIN)
    old = ""
    if found:
        body, _end, after = rest.partition(END)
        old = BEGIN + body + END + "\n"
        report = before.rstrip("\n") + "\n\n" + after.lstrip("\n")
    new = web if web is not None else old
    return report.rstrip("\n") + "\n\n" + new if new else report


def write(path: Path, web: str) -> None:
    """Put the web section into the report file (creating it if needed)."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    path.write_text(merge(current, web), encoding="utf-8")
