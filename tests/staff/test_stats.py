"""``innspill stats``: figures staff can read, from real submissions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.__main__ import main


def test_stats_count_answers_per_theme_and_question_and_the_late_ones(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["submissions"] == 3
    assert stats["late"] == 1
    assert stats["by_language"] == {"nb": 2, "nn": 1}
    assert stats["by_municipality"] == {"0301": 1, "1804": 1, "5503": 1}
    assert stats["by_day"] == {"2021-02-10": 1, "2021-03-01": 1, "2021-03-02": 1}
    assert stats["outbox"]["pending"] == 3
    assert stats["by_theme"]["Tilgjengelighet"] == {
        "answered": 2,
        "skipped": 0,
        "not_reached": 1,
        "not_chosen": 0,
    }
    assert stats["by_theme"]["Attraktive byer og levende sentrum"] == {
        "answered": 0,
        "skipped": 1,
        "not_reached": 1,
        "not_chosen": 1,
    }
    first, second, third = list(stats["by_question"].values())[:3]
    assert first == {"answered": 1, "skipped": 1, "not_reached": 1}
    assert second == {"answered": 0, "skipped": 2, "not_reached": 1}
    assert third == {"answered": 0, "skipped": 1, "not_reached": 2}


def test_stats_as_text(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    text = capsys.readouterr().out
    assert "Innspill i alt: 3" in text
    assert "Mottatt etter fristen: 1" in text
    assert "  Tilgjengelighet – besvart 2, hoppet over 0, ikke besvart 1, ikke valgt 0" in text
    assert "  Oslo: 1" in text
    assert "  nynorsk: 1" in text
    assert "  venter: 3" in text
