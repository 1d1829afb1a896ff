"""After sending, after /slett and with a draft kept, nothing a person reads says the opposite
of what happened."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.names import Pick
from bot.conversation.steps.confirmations import deletion_notice
from tests.conversation.talk import Talk

KEPT = "Svarene er lagret"
NOT_BEGUN = "Du har ikke begynt"


def sent(c: Consultation) -> Talk:
    t = Talk(c)
    t.command("start", "rask")
    t.press(flow.TYPE, "privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.send("Vi vil ha flere tog mellom byene.")
    t.press(flow.SUMMARY, Pick.SEND)
    assert t.submissions
    return t


def test_help_after_sending_does_not_say_the_answers_are_kept_for_later(c: Consultation) -> None:
    t = sent(c)
    t.command("help")
    assert KEPT not in t.text
    assert "Innspillet ditt er sendt. Referansenummer" in t.text


def test_help_before_anything_is_written_does_not_speak_of_saved_answers(
    c: Consultation,
) -> None:
    t = Talk(c)
    t.command("start")
    t.command("help")
    assert KEPT not in t.text


def test_help_in_a_draft_says_the_answers_are_kept(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    t.press(flow.TYPE, "privatperson")
    t.send("Kari Nordmann")
    t.command("help")
    assert "Du kan ta pause når du vil. Svarene er lagret, og du fortsetter med /start." in t.text


@pytest.mark.parametrize("command", ["back", "skip", "summary", "next"])
def test_moving_after_sending_shows_what_was_sent_not_that_nothing_was_begun(
    c: Consultation, command: str
) -> None:
    t = sent(c)
    reference = t.session.reference
    t.command(command)
    assert NOT_BEGUN not in t.text
    assert f"Innspillet ditt er sendt. Referansenummer: {reference}." in t.text
    assert t.session.step == flow.DONE


def test_before_beginning_moving_still_says_nothing_is_begun(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    t.command("back")
    assert "Du har ikke begynt på et innspill ennå." in t.text


# --- what /slett says it deleted -------------------------------------------------------------


def test_deleting_a_draft_names_the_draft() -> None:
    said = deletion_notice("nb", erased_submissions=0, awaiting_delivery=0, had_draft=True)
    assert said.startswith("Slettet nå: utkastet ditt, med svarene")
    assert "Alt vi hadde lagret" not in said


def test_deleting_without_a_draft_does_not_name_one() -> None:
    said = deletion_notice("nb", erased_submissions=0, awaiting_delivery=0, had_draft=False)
    assert "utkast" not in said
    assert said.startswith("Alt vi hadde lagret om deg, er slettet.")


def test_a_submission_waiting_for_delivery_is_not_said_to_be_gone() -> None:
    said = deletion_notice("nb", erased_submissions=0, awaiting_delivery=1, had_draft=False)
    assert "utkast" not in said
    assert "Innspillet du sendte, er ikke levert til departementet ennå." in said
    assert "Alt annet vi hadde lagret om deg, er slettet." in said
    assert "Alt vi hadde lagret" not in said


def test_an_erased_copy_is_said_to_be_gone_and_the_ministry_still_has_it() -> None:
    said = deletion_notice("nb", erased_submissions=1, awaiting_delivery=0, had_draft=False)
    assert "Kopien vi hadde av innspill du har sendt, er slettet." in said
    assert "Departementet har fortsatt innspillet." in said
    assert "utkast" not in said
