"""A progress bar on stderr for long exports, shown only to a person at a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

LARGE_EXPORT = 500
"""Below this many rows an export is quick enough that a bar would only flicker."""


class Progress:
    """Counts rows done and redraws one line; silent when the stream is not a terminal.

    The writer that knows how many rows it will write calls :meth:`start`, then :meth:`step`
    per row, so the bar covers every sheet, not just the first.
    """

    def __init__(
        self, label: str, *, stream: TextIO | None = None, minimum: int = LARGE_EXPORT
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.minimum = minimum
        self.total = 0
        self.done = 0
        self.active = False
        self._shown = -1

    def start(self, total: int) -> None:
        """Expect ``total`` rows; show the bar only if that is many and a person is watching."""
        self.total, self.done, self._shown = total, 0, -1
        self.active = total >= self.minimum and self.stream.isatty()

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
            self.active = False
