"""Drafts saved by an earlier release load and continue where the person left off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.names import AnswerStep, Step
from bot.conversation.session import SESSION_VERSION, Session
from tests.conversation.talk import Talk

DATA = Path(__file__).parent / "data"


def stored(name: str) -> Session:
    """A session exactly as storage reads it back from its JSON column."""
    return Session.model_validate_json((DATA / name).read_text(encoding="utf-8"))


def test_an_old_draft_is_read_as_the_current_version_with_typed_steps() -> None:
    draft = stored("session-v0-quick-cancel-confirm.json")
    assert draft.version == SESSION_VERSION
    assert draft.step is Step.CANCEL
    assert draft.return_step is Step.MUNICIPALITY_PICK
    assert json.loads(draft.model_dump_json())["version"] == SESSION_VERSION
    guided = stored("session-v0-guided-mid-draft.json")
    assert guided.step == AnswerStep("q.q1")
    assert not isinstance(guided.step, Step)


def test_a_draft_from_a_newer_release_is_refused_not_misread() -> None:
    data = json.loads((DATA / "session-v0-guided-mid-draft.json").read_text(encoding="utf-8"))
    data["version"] = SESSION_VERSION + 1
    with pytest.raises(ValidationError, match="newer than this release"):
        Session.model_validate(data)


def test_a_guided_draft_from_before_versioning_continues(c: Consultation) -> None:
    t = Talk.resume(c, stored("session-v0-guided-mid-draft.json"))
    t.command("status")
    assert "1 vedlegg" in t.text
    assert "Næringsutvikling" in t.text  # the skipped theme is still skipped
    t.command("back")
    assert "Næringsutvikling" in t.text
    t.command("summary")
    assert "Bedre busstilbud mellom småbyene.\n\nOg flere tog." in t.text
    assert "notat.pdf" in t.text
    t.click("Endre noe")
    t.click("Spørsmål 1")
    t.send("Flere arbeidsplasser.", ref="m3")
    assert t.session.answers[flow.question_step("q1")].text == "Flere arbeidsplasser."


def test_a_quick_draft_waiting_at_a_confirmation_continues(c: Consultation) -> None:
    t = Talk.resume(c, stored("session-v0-quick-cancel-confirm.json"))
    t.command("continue")  # what the terminal and /start show first
    t.click("Nei, fortsett")
    assert [ch.label for ch in t.buttons().choices][:3] == ["Vågå", "Vang", "Vågan"]
    t.click("Vågan")
    assert t.session.respondent.municipality is not None
    t.send("Vi vil ha flere tog.")
    t.click("send inn")
    assert len(t.submissions) == 1
    assert t.submissions[0].submission.respondent.organisation == "Harstad Idrettslag"
