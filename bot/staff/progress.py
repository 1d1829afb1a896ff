"""A progress bar on stderr for long exports, shown only to a person at a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

LARGE_EXPORT = 500
"""Below this many rows an export is quick enough that a bar would only flicker."""


class Progress:
    """Counts rows done and redraws one line; silent when the stream is not a terminal."""

    def __init__(
        self, total: int, label: str, *, stream: TextIO | None = None, minimum: int = LARGE_EXPORT
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self._shown = -1
        self.active = total >= minimum and self.stream.isatty()

    def step(self, count: int = 1) -> None:
        """Record ``count`` more rows and redraw when the percentage changed."""
        self.done = min(self.total, self.done + count)
        if not self.active:
            return
        percent = self.done * 100 // self.total
        if percent != self._shown:
            self._shown = percent
            filled = percent * 30 // 100
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r{self.label} [{bar}] {percent:3d}% ({self.done}/{self.total})")
            self.stream.flush()

    def finish(self) -> None:
        """End the bar's line so what follows starts on a fresh one."""
        if self.active:
            self.stream.write("\n")
            self.stream.flush()
