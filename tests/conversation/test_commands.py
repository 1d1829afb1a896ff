"""Commands are an enum: every name people type (in the language registry) stands for one, and
every one has a handler."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation.commands import Command, command_named, parse_command
from bot.i18n.languages import command_aliases
from tests.conversation.talk import Talk


@pytest.mark.parametrize("name", sorted(command_aliases()))
def test_every_typed_name_stands_for_a_known_command(name: str) -> None:
    parsed = parse_command(f"/{name.upper()}@innspill_bot  arg ")
    assert parsed == (command_aliases()[name], "arg")
    assert parsed[0] is not Command.UNKNOWN


def test_a_word_no_language_has_is_unknown_and_kept_for_the_reply() -> None:
    assert parse_command("/sluttmedalt") == (Command.UNKNOWN, "sluttmedalt")
    assert command_named("sluttmedalt") is Command.UNKNOWN
    assert command_named("open") is Command.OPEN


@pytest.mark.parametrize("command", list(Command))
def test_every_command_is_answered_at_the_start_and_mid_draft(
    consultation: Consultation, command: Command
) -> None:
    t = Talk(consultation)
    assert t.command(command), f"/{command} said nothing before a draft"
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    assert t.command(command), f"/{command} said nothing in a draft"
