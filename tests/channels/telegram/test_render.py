"""The pure parts of the Telegram adapter: callback data, keyboards, splitting, menu, redaction."""

from __future__ import annotations

import logging
import re

import pytest

from bot.channels.telegram import callbacks
from bot.channels.telegram.menu import MENU, bot_commands, menu_languages
from bot.channels.telegram.render import (
    MAX_MESSAGE_CHARS,
    button_label,
    keyboard_for,
    render,
    split_text,
)
from bot.conversation.commands import parse_command
from bot.conversation.events import Choice, Reply
from bot.ops.logs import install_redaction


def test_callback_data_round_trips_and_carries_the_step() -> None:
    data = callbacks.encode("themes", "sentrum")
    assert data == "a:themes:sentrum"
    assert callbacks.decode(data) == callbacks.ButtonPress("themes", "sentrum")


def test_callback_data_fits_telegrams_64_bytes_for_the_longest_ids() -> None:
    longest_step = "q." + "x" * 16  # Slug ids are at most 16 characters
    longest_choice = "y" * 16
    assert len(callbacks.encode(longest_step, longest_choice).encode()) <= 64
    with pytest.raises(ValueError, match="64 bytes"):
        callbacks.encode("step", "ø" * 40)


@pytest.mark.parametrize("data", [None, "", "b:themes:x", "a:themes", "a::x", "a:themes:", "junk"])
def test_unknown_callback_data_is_not_guessed_at(data: str | None) -> None:
    assert callbacks.decode(data) is None


def test_toggles_show_their_state_and_plain_buttons_do_not() -> None:
    assert button_label(Choice("a", "Sentrum", selected=True)) == "✅ Sentrum"
    assert button_label(Choice("a", "Sentrum", selected=False)) == "⬜ Sentrum"
    assert button_label(Choice("a", "Neste")) == "Neste"


def test_short_labels_share_a_row_and_long_ones_get_their_own() -> None:
    yes_no = keyboard_for(Reply("Sikker?", (Choice("yes", "Ja"), Choice("no", "Nei")), "cancel"))
    assert yes_no is not None
    assert [[b.text for b in row] for row in yes_no.inline_keyboard] == [["Ja", "Nei"]]
    long = keyboard_for(
        Reply(
            "Hvem?",
            (Choice("p", "Privatperson"), Choice("o", "Organisasjon, lag eller forening")),
            "r.type",
        )
    )
    assert long is not None
    assert [len(row) for row in long.inline_keyboard] == [1, 1]
    assert long.inline_keyboard[1][0].callback_data == "a:r.type:o"


def test_a_reply_without_choices_has_no_keyboard_and_choices_need_a_step() -> None:
    assert keyboard_for(Reply("Hei")) is None
    with pytest.raises(ValueError, match="step"):
        keyboard_for(Reply("Velg", (Choice("a", "A"),)))


def test_long_text_is_split_between_paragraphs_within_telegrams_limit() -> None:
    paragraphs = [f"Avsnitt {i}. " + "Ord " * 300 for i in range(12)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p) <= MAX_MESSAGE_CHARS for p in parts)
    assert all(p.startswith("Avsnitt") for p in parts), "a part began mid-paragraph"
    assert "\n\n".join(parts) == text


def test_a_single_huge_paragraph_or_word_is_still_split() -> None:
    line = "ord " * 3000
    parts = split_text(line, limit=1000)
    assert all(len(p) <= 1000 for p in parts)
    assert " ".join(parts).split() == line.split()
    word = "x" * 2500
    assert split_text(word, limit=1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_the_keyboard_goes_with_the_last_part_only() -> None:
    rendered = render(Reply("a" * 5000, (Choice("next", "Neste"),), "q.q1"))
    assert len(rendered.parts) == 2
    assert rendered.keyboard is not None


def test_every_menu_command_is_valid_for_telegram_and_known_to_the_engine() -> None:
    for name, _description in MENU:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
        parsed = parse_command(f"/{name}")
        assert parsed is not None
        assert parsed[0] != "unknown", name
    assert parse_command("/språk") == ("language", "")
    for lang in menu_languages():
        commands = bot_commands(lang or "nb")
        assert [c.command for c in commands] == [name for name, _ in MENU]
        assert all(1 <= len(c.description) <= 256 for c in commands)


def test_secrets_are_redacted_from_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "123456:SECRET-token-that-must-not-leak"
    install_redaction(secret)
    log = logging.getLogger("tests.redaction")
    with caplog.at_level(logging.INFO):
        log.info("POST https://api.telegram.org/bot%s/getMe", secret)
        try:
            raise RuntimeError(f"failed https://api.telegram.org/bot{secret}/sendMessage")
        except RuntimeError:
            log.exception("request failed")
    assert caplog.records
    assert secret not in caplog.text
    assert "[REDACTED]" in caplog.text
