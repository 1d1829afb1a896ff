"""Where each key of a TOML file is written, so a problem can name its line.

``tomllib`` gives values but not positions; this small scanner walks the same text and
remembers the line of every key and array-of-tables entry.
"""

from __future__ import annotations

import bisect
import contextlib
import re

Loc = tuple[str | int, ...]
"""A place in the parsed file: keys and list indexes, e.g. ``("questions", 2, "text", "nn")``."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class KeyLines:
    """Find the line of every key, table and array item in TOML text that tomllib accepted.

    Not a TOML parser: it only follows the structure far enough to know where things are, and
    gives up quietly (keeping what it found) on anything it does not understand.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]
        self._lines: dict[Loc, int] = {}
        self._array_tables: dict[Loc, int] = {}

    def scan(self) -> dict[Loc, int]:
        """Return the line number of each place the text spells out."""
        # Best effort: on anything unexpected, the lines found so far are still right.
        with contextlib.suppress(IndexError, ValueError):
            self._document()
        return self._lines

    def _mark(self, loc: Loc, pos: int) -> None:
        self._lines.setdefault(loc, bisect.bisect_left(self._newlines, pos) + 1)

    def _document(self) -> None:
        table: Loc = ()
        text = self._text
        while True:
            self._skip(newlines=True)
            if self._pos >= len(text):
                return
            start = self._pos
            if text.startswith("[[", self._pos):
                self._pos += 2
                key = self._key()
                self._expect("]]")
                parent = self._resolve(key[:-1])
                array = (*parent, key[-1])
                index = self._array_tables.get(array, 0)
                self._array_tables[array] = index + 1
                table = (*array, index)
                self._mark(array, start)
                self._mark(table, start)
            elif text[self._pos] == "[":
                self._pos += 1
                key = self._key()
                self._expect("]")
                table = self._resolve(key)
                self._mark(table, start)
            else:
                self._key_value(table)
            if self._pos <= start:
                raise ValueError("no progress")
            self._skip_to_line_end()

    def _resolve(self, key: Loc) -> Loc:
        """Map a header's key to its place: an array of tables means its latest table."""
        place: Loc = ()
        for part in key:
            place = (*place, part)
            if place in self._array_tables:
                place = (*place, self._array_tables[place] - 1)
        return place

    def _key_value(self, table: Loc) -> None:
        """Read ``key = value`` (also inside an inline table) and mark where each part is."""
        start = self._pos
        key = self._key()
        for depth in range(1, len(key) + 1):
            self._mark((*table, *key[:depth]), start)
        self._expect("=")
        self._skip()
        self._value((*table, *key))

    def _value(self, loc: Loc) -> None:
        text = self._text
        char = text[self._pos]
        if char == "{":
            self._pos += 1
            while True:
                self._skip(newlines=True)
                if text[self._pos] == "}":
                    self._pos += 1
                    return
                if text[self._pos] == ",":
                    self._pos += 1
                    continue
                self._key_value(loc)
        elif char == "[":
            self._pos += 1
            index = 0
            while True:
                self._skip(newlines=True)
                if text[self._pos] == "]":
                    self._pos += 1
                    return
                if text[self._pos] == ",":
                    self._pos += 1
                    index += 1
                    continue
                self._mark((*loc, index), self._pos)
                self._value((*loc, index))
        elif char in "\"'":
            self._string()
        else:
            start = self._pos
            while self._pos < len(text) and text[self._pos] not in ",]}\n#":
                self._pos += 1
            if self._pos == start:
                raise ValueError("empty value")

    def _string(self) -> str:
        text = self._text
        quote = text[self._pos]
        basic = quote == '"'
        if text.startswith(quote * 3, self._pos):
            delimiter = quote * 3
            self._pos += 3
        else:
            delimiter = quote
            self._pos += 1
        start = self._pos
        while not text.startswith(delimiter, self._pos):
            if text[self._pos] == "\\" and basic:
                self._pos += 1
            self._pos += 1
        end = self._pos
        self._pos += len(delimiter)
        if len(delimiter) == 3:  # Up to two quotes may sit right before the closing three.
            for _ in range(2):
                if text.startswith(quote, self._pos):
                    self._pos += 1
                    end += 1
        return text[start:end]

    def _key(self) -> Loc:
        parts: list[str | int] = []
        while True:
            self._skip()
            if self._text[self._pos] in "\"'":
                parts.append(self._string())
            else:
                match = _BARE_KEY.match(self._text, self._pos)
                if not match:
                    raise ValueError("not a key")
                parts.append(match.group())
                self._pos = match.end()
            self._skip()
            if self._text.startswith(".", self._pos):
                self._pos += 1
                continue
            return tuple(parts)

    def _expect(self, token: str) -> None:
        self._skip()
        if not self._text.startswith(token, self._pos):
            raise ValueError(f"expected {token}")
        self._pos += len(token)

    def _skip(self, *, newlines: bool = False) -> None:
        text = self._text
        while self._pos < len(text):
            char = text[self._pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self._pos += 1
            elif newlines and char == "#":
                self._skip_to_line_end()
            else:
                return

    def _skip_to_line_end(self) -> None:
        end = self._text.find("\n", self._pos)
        self._pos = len(self._text) if end == -1 else end
