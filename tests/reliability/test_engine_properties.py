"""Random event sequences against the pure engine: no crash, no broken invariant.

Hypothesis plays a person who types, presses current, stale and forged buttons, sends commands,
documents and stickers in any order. After every event: the step is one the consultation has,
every rendered Telegram message fits in 4096 characters with callback data in 64 bytes, the
session survives a JSON round trip, and answers only disappear on events that may change them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram.callbacks import encode
from bot.channels.telegram.render import render
from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation.events import (
    ChoiceEvent,
    CommandEvent,
    DocumentEvent,
    EditEvent,
    Event,
    IncomingDocument,
    Reply,
    TextEvent,
    UnsupportedEvent,
)
from bot.conversation.flow import QUESTION_PREFIX, THEME_PREFIX
from bot.conversation.machine import step
from bot.conversation.names import Step
from bot.conversation.navigation import new_session
from bot.conversation.session import Session
from tests.conftest import SEED
from tests.reliability.results import Row, full_size, record

pytestmark = pytest.mark.reliability

EXAMPLES = int(os.environ.get("RELIABILITY_EXAMPLES", 2000 if full_size() else 150))
CONSULTATION = load_consultation(SEED)
START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
COMMANDS = (
    "start",
    "tilbake",
    "hopp",
    "oppsummering",
    "status",
    "hjelp",
    "språk",
    "sprak",
    "avbryt",
    "slett",
    "personvern",
    "vedlegg",
    "ukjent",
)
HARMLESS = {"hjelp", "status", "personvern", "oppsummering", "tilbake", "ukjent", "vedlegg"}
"""Commands that may move the person but must never drop an answer."""
TEXTS = st.one_of(
    st.sampled_from(["Harstad", "Kari Nordmann", "kari@example.org", "ja", "1", "Neste", ""]),
    st.text(max_size=60),
    st.text(alphabet="\u202e\u200b\u200f\x00\x07\r\n\t<>&", max_size=20),
    st.just("Langt svar. " * 700),
)


@dataclass(frozen=True)
class Action:
    """What the person does next; resolved against the screens they have seen so far."""

    kind: str
    text: str = ""
    pick: int = 0


ACTIONS = st.one_of(
    st.builds(Action, kind=st.just("press"), pick=st.integers(0, 50)),
    st.builds(Action, kind=st.just("press"), pick=st.integers(0, 50)),
    st.builds(Action, kind=st.just("stale"), pick=st.integers(0, 500)),
    st.builds(Action, kind=st.just("forged"), text=st.text(max_size=30), pick=st.integers(0, 9)),
    st.builds(Action, kind=st.just("text"), text=TEXTS),
    st.builds(Action, kind=st.just("edit"), text=TEXTS, pick=st.integers(0, 20)),
    st.builds(Action, kind=st.just("command"), text=st.sampled_from(COMMANDS)),
    st.builds(Action, kind=st.just("document"), pick=st.integers(0, 3)),
    st.builds(Action, kind=st.just("unsupported"), text=st.sampled_from(["sticker", "photo"])),
)


def valid_steps(c: Consultation) -> set[str]:
    return (
        {str(s) for s in Step}
        | {THEME_PREFIX + t.id for t in c.themes}
        | {QUESTION_PREFIX + q.id for q in c.questions}
    )


def parts_of(s: Session) -> set[tuple[str, str]]:
    return {(key, p.text) for key, a in s.answers.items() for p in a.parts}


class Run:
    """One person's sequence, with everything needed to resolve stale and current buttons."""

    def __init__(self, c: Consultation) -> None:
        self.c = c
        self.now = START
        self.n = 0
        self.session = new_session(
            c, user_id="u1", draft_id="D0000000AA", lang="nb", at=START, lang_confirmed=False
        )
        self.screens: list[Reply] = []
        self.texts: list[str] = []

    def event(self, action: Action) -> Event:
        self.now += timedelta(seconds=1)
        self.n += 1
        at, fresh = self.now, f"FRESH{self.n:05d}"
        buttons = [(r.step, ch.id) for r in self.screens if r.step for ch in r.choices]
        current = [(r.step, ch.id) for r in self.screens[-3:] if r.step for ch in r.choices]
        if action.kind == "press" and current:
            st_, ch = current[action.pick % len(current)]
            return ChoiceEvent(at=at, fresh_id=fresh, step=st_, choice=ch)
        if action.kind == "stale" and buttons:
            st_, ch = buttons[action.pick % len(buttons)]
            return ChoiceEvent(at=at, fresh_id=fresh, step=st_, choice=ch)
        if action.kind in {"forged", "press", "stale"}:
            steps = sorted(valid_steps(self.c))
            forged_step = [action.text, steps[action.pick % len(steps)]][action.pick % 2]
            return ChoiceEvent(at=at, fresh_id=fresh, step=forged_step, choice=action.text)
        if action.kind == "edit" and self.texts:
            ref = f"m{action.pick % len(self.texts)}"
            return EditEvent(at=at, fresh_id=fresh, message_ref=ref, text=action.text)
        if action.kind == "command":
            return CommandEvent(at=at, fresh_id=fresh, name=action.text, arg="")
        if action.kind == "document":
            doc = IncomingDocument(
                file_name=f"innspill {action.pick}.pdf",
                mime_type="application/pdf",
                size=1000 * (action.pick + 1),
                attachment_id=f"A{self.n:05d}",
            )
            return DocumentEvent(at=at, fresh_id=fresh, documents=(doc,), caption=None)
        if action.kind == "unsupported":
            return UnsupportedEvent(at=at, fresh_id=fresh, kind=action.text)
        ref = f"m{len(self.texts)}"
        self.texts.append(action.text)
        return TextEvent(at=at, fresh_id=fresh, text=action.text, message_ref=ref)


FINDINGS: dict[str, int] = {"sequences": 0, "events": 0}


def check_sequence(actions: list[Action]) -> None:
    """Plays ``actions`` against the engine, asserting every invariant after each event."""
    consultation = CONSULTATION
    run = Run(consultation)
    steps = valid_steps(consultation)
    FINDINGS["sequences"] += 1
    for action in actions:
        before = run.session
        event = run.event(action)
        outcome = step(consultation, before, event)
        FINDINGS["events"] += 1
        after = outcome.session
        assert str(after.step) in steps, f"invalid step {after.step!r} after {event}"
        assert Session.model_validate_json(after.model_dump_json()) == after
        for reply in outcome.replies:
            rendered = render(reply)
            assert all(0 < len(p) <= 4096 for p in rendered.parts), "a message over 4096"
            for ch in reply.choices:
                assert len(encode(reply.step or "", ch.id).encode()) <= 64
        harmless = isinstance(event, UnsupportedEvent | DocumentEvent) or (
            isinstance(event, CommandEvent) and event.name in HARMLESS
        )
        if harmless and before.status == "draft" and after.draft_id == before.draft_id:
            lost = parts_of(before) - parts_of(after)
            assert not lost, f"{event} dropped answers {lost}"
        run.session = after
        run.screens = (run.screens + list(outcome.replies))[-60:]


def test_random_event_sequences_keep_the_engine_sound() -> None:
    """Runs the property over many random sequences and records the row from what happened."""
    explore = settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )(given(actions=st.lists(ACTIONS, min_size=1, max_size=40))(check_sequence))
    FINDINGS.update(sequences=0, events=0)
    failure: BaseException | None = None
    try:
        explore()
    except BaseException as error:  # the row must say FAILED before the test fails
        failure = error
    summary = f"{FINDINGS['events']} events in {FINDINGS['sequences']} sequences; " + (
        "no crash, valid step, ≤4096 chars, ≤64-byte buttons, JSON round trip, no answer dropped"
        if failure is None
        else f"falsified: {str(failure).splitlines()[0][:200]}"
    )
    record(
        Row.judged(
            "engine: random event sequences (hypothesis)",
            FINDINGS["sequences"],
            None if failure is None else 1,
            0,
            summary,
            ok=failure is None,
        )
    )
    if failure is not None:
        raise failure
