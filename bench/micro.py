"""Micro-benchmarks of the pieces in this process (engine, service + SQLite, lookup, mail).

Machines here are shared and noisy, so compare figures from one run with each other (for
example, a step through the service costs about N pure engine steps), not with fixed numbers.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.consultation.municipalities import lookup
from bot.conversation.events import ChoiceEvent, CommandEvent, Event, TextEvent
from bot.conversation.machine import new_session, step
from bot.conversation.session import Session
from bot.mail.compose import compose_ministry_message
from bot.ops.resources import conversations_dir
from bot.service.conversations import ConversationService
from bot.storage import Store

EMAIL = "kari@example.no"

SCRIPT: list[tuple[str, str, str]] = [
    ("command", "start", ""),
    ("choice", "start", "guided"),
    ("choice", "r.type", "privatperson"),
    ("text", "Kari Nordmann", ""),
    ("text", "Harstad", ""),
    ("text", EMAIL, ""),
    ("choice", "themes", "tilgjengelighet"),
    ("choice", "themes", "done"),
    ("text", "Flere bussavganger mellom byen og bygdene, også om kvelden.", ""),
    *[("command", "skip", "")] * 6,
    ("choice", "summary", "send"),
]


DRAFTS_IN_MEMORY = 300


def _event(kind: str, a: str, b: str, at: datetime) -> Event:
    if kind == "command":
        return CommandEvent(at=at, fresh_id="F", name=a, arg=b)
    if kind == "choice":
        return ChoiceEvent(at=at, fresh_id="F", step=a, choice=b)
    return TextEvent(at=at, fresh_id="F", text=a)


def _timed(label: str, runs: int, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(runs):
        fn()
    per = (time.perf_counter() - start) / runs
    print(f"{label:<48} {per * 1e6:>10.1f} µs")
    return per


def bench_engine(c: Consultation) -> float:
    at = datetime(2026, 11, 26, tzinfo=UTC)

    def conversation() -> None:
        s = new_session(c, user_id="u", draft_id="D", lang="nb", at=at, lang_confirmed=True)
        for kind, a, b in SCRIPT:
            s = step(c, s, _event(kind, a, b, at)).session

    conversation()  # warm up (catalogs, first validations)
    per = _timed("engine: one whole guided conversation", 100, conversation)
    return per / len(SCRIPT)


async def bench_service(c: Consultation, engine_step: float, users: int = 50) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.sqlite3")
        service = ConversationService(c, store)

        async def person(n: int | str) -> None:
            user = f"u{n}"
            for kind, a, b in SCRIPT:
                if kind == "command":
                    await service.handle_command(user, a, b)
                elif kind == "choice":
                    await service.handle_choice(user, a, b)
                else:
                    # Each person their own address: one shared address would reach the
                    # receipt limit and measure the refusal instead.
                    text = a.replace(EMAIL, f"{user}.{EMAIL}")
                    await service.handle_text(user, text)

        # Warm up first (lazy imports, catalogs, pydantic's first validations), so the figure
        # is the steady state a running bot is in, not its first second.
        await asyncio.gather(*(person(f"warm{n}") for n in range(5)))
        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(person(n) for n in range(users)))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        events = users * len(SCRIPT)
        per = elapsed / events
        label = f"service + SQLite: one event, {users} people at once"
        print(f"{label:<48} {per * 1e6:>10.1f} µs")
        print(f"{'  = events per second':<48} {events / elapsed:>10.0f}")
        print(f"{'  = pure engine steps per stored step':<48} {per / engine_step:>10.1f}")
        # CPU time (all threads) is what the code costs; wall time also holds the waits
        # for a core on a shared machine.
        print(f"{'  CPU time per event (all threads)':<48} {cpu / events * 1e6:>10.1f} µs")
        await store.close()
        return events / elapsed


def bench_validation(c: Consultation) -> dict[str, float]:
    """What the session costs per step: the engine's copy, the JSON for the save, and parsing a
    stored session (only on a cache miss); the old dump+validate copy for comparison."""
    at = datetime(2026, 11, 26, tzinfo=UTC)
    s = new_session(c, user_id="u", draft_id="D", lang="nb", at=at, lang_confirmed=True)
    for kind, a, b in SCRIPT[:10]:
        s = step(c, s, _event(kind, a, b, at)).session
    data = s.model_dump_json()
    copy = _timed("engine: session copy in step (containers only)", 2000, s.working_copy)
    _timed(
        "  (the copy as dump+validate, before)",
        2000,
        lambda: Session.model_validate(s.model_dump()),
    )
    parse = _timed(
        "pydantic: stored session parsed (cache miss)",
        2000,
        lambda: Session.model_validate_json(data),
    )
    dump = _timed("pydantic: session to JSON (every save)", 2000, s.model_dump_json)
    return {"copy_us": copy * 1e6, "parse_us": parse * 1e6, "dump_us": dump * 1e6}


def bench_lookup() -> None:
    _timed("municipality: exact ('harstad kommune')", 2000, lambda: lookup("harstad kommune"))
    _timed("municipality: fuzzy ('Harsatd')", 200, lambda: lookup("Harsatd"))


def bench_memory(c: Consultation) -> None:
    at = datetime(2026, 11, 26, tzinfo=UTC)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    sessions = []
    for n in range(DRAFTS_IN_MEMORY):
        s = new_session(c, user_id=f"u{n}", draft_id="D", lang="nb", at=at, lang_confirmed=True)
        for kind, a, b in SCRIPT[:10]:
            s = step(c, s, _event(kind, a, b, at + timedelta(seconds=n))).session
        sessions.append(s)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    print(f"{'memory: one draft held in memory':<48} {grown / DRAFTS_IN_MEMORY / 1024:>10.1f} kB")
    json_size = len(sessions[-1].model_dump_json())
    print(f"{'storage: one draft as JSON':<48} {json_size / 1024:>10.1f} kB")


def bench_compose(c: Consultation) -> None:
    at = datetime(2026, 11, 26, tzinfo=UTC)
    s = new_session(c, user_id="u", draft_id="D", lang="nb", at=at, lang_confirmed=True)
    outcome = None
    for kind, a, b in SCRIPT:
        outcome = step(c, s, _event(kind, a, b, at))
        s = outcome.session
    assert outcome is not None
    submission = outcome.effects[0].submission  # type: ignore[union-attr]
    attachment = ("vedlegg.pdf", "application/pdf", b"%PDF-1.4\n" + b"x" * 2_000_000)
    _timed(
        "mail: compose ministry e-mail with a 2 MB PDF",
        3,
        lambda: compose_ministry_message(
            submission, [attachment], mail_from="a@b.no", to="c@d.no", message_id="<x@y>"
        ).as_bytes(),
    )


def main(*, service_users: int = 50) -> dict[str, float]:
    """Print every figure; return the ones the report keeps."""
    c = load_consultation(conversations_dir() / "strategi-for-smabyer.toml")
    engine_step = bench_engine(c)
    print(f"{'engine: one step':<48} {engine_step * 1e6:>10.1f} µs")
    events_per_s = asyncio.run(bench_service(c, engine_step, service_users))
    validation = bench_validation(c)
    bench_lookup()
    bench_compose(c)
    bench_memory(c)
    return {
        "engine_step_us": engine_step * 1e6,
        "service_events_per_s": events_per_s,
        "service_event_us": 1e6 / events_per_s,
        **validation,
    }
