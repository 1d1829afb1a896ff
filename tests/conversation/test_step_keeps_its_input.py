"""A step never changes the session it was given: the caller's copy (the cached, stored one)
stays exactly as it was, even though the engine now copies only what it may change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.consultation.model import Consultation
from bot.conversation.events import (
    ChoiceEvent,
    CommandEvent,
    DocumentEvent,
    Event,
    IncomingDocument,
)
from bot.conversation.events import TextEvent as Text
from bot.conversation.machine import new_session, step
from bot.conversation.session import Session

AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _events() -> list[Event]:
    """A guided submission with a document, an edit from the summary and a restart."""
    return [
        CommandEvent(at=AT, name="start"),
        ChoiceEvent(at=AT, step="start", choice="guided"),
        ChoiceEvent(at=AT, step="r.type", choice="privatperson"),
        Text(at=AT, text="Kari Nordmann"),
        Text(at=AT, text="Harstad"),
        Text(at=AT, text="kari@example.no"),
        ChoiceEvent(at=AT, step="themes", choice="tilgjengelighet"),
        ChoiceEvent(at=AT, step="themes", choice="done"),
        Text(at=AT, text="Flere bussavganger.", message_ref="m1"),
        DocumentEvent(
            at=AT,
            documents=(IncomingDocument("notat.pdf", "application/pdf", 900, "a1", text="Tekst"),),
            caption="Se vedlegget.",
        ),
        Text(at=AT, text="Samarbeid over kommunegrensene.", message_ref="m2"),
        CommandEvent(at=AT, name="skip"),
        ChoiceEvent(at=AT, step="summary", choice="edit"),
        ChoiceEvent(at=AT, step="edit", choice="themes"),
        ChoiceEvent(at=AT, step="themes", choice="sentrum"),
        CommandEvent(at=AT + timedelta(days=2), name="start"),
        ChoiceEvent(at=AT + timedelta(days=2), step="resume", choice="restart", fresh_id="D2"),
    ]


def test_a_step_leaves_the_session_it_was_given_unchanged(c: Consultation) -> None:
    session = new_session(c, user_id="u", draft_id="D", lang="nb", at=AT, lang_confirmed=True)
    for event in _events():
        before = session.model_dump()
        kept = Session.model_validate(before)
        after = step(c, session, event).session
        assert session.model_dump() == before, f"{event} changed the session it was given"
        assert session == kept
        assert after is not session
        session = after
    assert session.draft_id == "D2", "the walk reached its end"
