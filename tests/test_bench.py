"""The load benchmark runs end to end (CI checks it runs, not how fast the machine is)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import main

pytestmark = pytest.mark.slow


def test_the_tiny_benchmark_compares_both_bots_and_writes_the_report(tmp_path: Path) -> None:
    output = tmp_path / "performance.md"
    report = main(["--tiny", "--no-micro", "--output", str(output)])

    text = output.read_text(encoding="utf-8")
    assert "| user actions / s |" in text
    assert "answers lost per kill" in text
    for ours, theirs in report.pairs:
        assert ours.bot == "innspill"
        assert theirs.bot == "canonical"
        for result in (ours, theirs):
            assert result.submissions >= 1, f"{result.bot}: no submission in {result.scenario}"
            assert not result.stuck, result.stuck
            assert result.cpu_seconds > 0
            assert result.peak_rss_mb > 0
    killed = next(pair for pair in report.pairs if pair[0].scenario.kills)
    assert killed[0].kills == 1
    assert killed[0].lost == 0, "an acknowledged answer did not survive kill -9"
