"""The edges people still met (issue #23), tried in the terminal as a person would: the chat
as a subprocess fed through a pipe."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n.formats import format_count
from tests.channels.terminal.test_terminal_e2e import chat
from tests.conversation.test_long_answers import paste

pytestmark = pytest.mark.slow

TO_THE_QUICK_INPUT = ["2", "1", "Kari Nordmann", "Harstad"]
"""The quick path as a private person: the prompt for the text or a document comes next."""
TO_THE_FIRST_THEME = ["1", "1", "Kari Nordmann", "Harstad", "Nei takk", "5", "Ferdig"]
"""The guided path with one theme chosen (Tjenester): its question comes next."""


def test_the_quick_path_says_how_to_send_a_file_here(tmp_path: Path) -> None:
    result = chat(tmp_path, TO_THE_QUICK_INPUT, "--user", "lag")
    assert result.returncode == 0, result.stderr
    assert "skriv /vedlegg og filstien, for eksempel /vedlegg innspill.pdf" in result.stdout
    assert "📎" not in result.stdout


def test_a_50000_character_line_is_kept_up_to_the_limit_and_said_so(tmp_path: Path) -> None:
    text = paste(50_000).replace("\n\n", " ")  # one line, as a paste without line breaks
    result = chat(tmp_path, [*TO_THE_FIRST_THEME, text, "/oppsummering"], "--user", "kari")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Meldingen var for lang. Et svar kan ha opptil 30\xa0000 tegn" in out
    assert f"av {format_count(len(text), 'nb')} tegn" in out
    assert "Legg resten i en fil, og send den med /vedlegg FIL." in out
    assert "Spørsmål 1 av 6" in out, "the theme counts as answered; on to the questions"
    summary = out[out.rindex("📋 Oppsummering") :]
    assert "Avsnitt 1." in summary


def test_back_at_an_answer_the_retyped_answer_replaces_it(tmp_path: Path) -> None:
    lines = [*TO_THE_FIRST_THEME, "Bussen går for sjelden.", "/tilbake"]
    lines += ["Bussen går for sjelden, særlig om kvelden.", "/oppsummering"]
    result = chat(tmp_path, lines, "--user", "kari")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Skriver du noe nå, erstatter det svaret over." in out
    assert "  2) Erstatt svaret\n  3) Legg til\n" in out
    assert "Nytt svar lagret ✅" in out
    summary = out[out.rindex("📋 Oppsummering") :]
    assert "Bussen går for sjelden, særlig om kvelden." in summary
    assert "Bussen går for sjelden.\n" not in summary, "one version, not both"


def test_personal_data_only_in_a_document_offers_to_remove_it(tmp_path: Path) -> None:
    klage = tmp_path / "klage.txt"
    klage.write_text("Naboen min har fødselsnummer 15076500565.", encoding="utf-8")
    lines = [*TO_THE_QUICK_INPUT, "Vi vil ha flere tog mellom byene.", f"/vedlegg {klage}"]
    lines += ["1", "2", "1"]  # Send inn; Fjern vedlegg: klage.txt; Send inn
    result = chat(tmp_path, lines, "--user", "lag")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Dokumentet «klage.txt» ser ut til å inneholde personopplysninger" in out
    assert "  1) Send likevel\n  2) Fjern vedlegg: klage.txt\n" in out
    assert "Gå tilbake og endre" not in out
    assert "Vedlegget «klage.txt» er fjernet." in out
    assert "Referansenummer" in out
    (eml,) = [f for f in (tmp_path / "outbox").glob("*.eml") if "receipt" not in f.name]
    assert b"klage.txt" not in eml.read_bytes()


def test_after_sending_and_deleting_the_terminal_says_nothing_untrue(tmp_path: Path) -> None:
    lines = [*TO_THE_QUICK_INPUT, "Vi vil ha flere tog mellom byene.", "1"]  # Send inn
    lines += ["/hjelp", "/tilbake", "/slett", "1"]  # then: Ja, slett alt
    result = chat(tmp_path, lines, "--user", "kari")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    after = out[out.index("Referansenummer: SMB-") :]
    assert "Innspillet ditt er sendt. Referansenummer: SMB-" in after  # /hjelp and /tilbake
    for contradiction in ("Svarene er lagret", "Du har ikke begynt", "Slettet nå: utkastet"):
        assert contradiction not in after
    # Delivered by then (the worker runs beside the chat), or still waiting: said as it is.
    delivered = "Kopien vi hadde av innspill du har sendt, er slettet." in after
    waiting = "Innspillet du sendte, er ikke levert til departementet ennå." in after
    assert delivered != waiting
    outbox = f"📨 1 e-post lagt i {tmp_path / 'outbox'}/"
    assert after.rstrip().splitlines()[-2:] == ["Ha det!", outbox]
