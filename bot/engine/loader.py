"""Read a consultation file and say, in plain words and with line numbers, what is wrong with it.

The people who write consultation files are not programmers. A problem must name the file, the
line where possible, the place in the file (``questions[2].text.nn``) and what to do about it,
rather than a pydantic traceback.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.engine.model import Consultation

Loc = tuple[str | int, ...]
"""A place in the parsed file: keys and list indexes, e.g. ``("questions", 2, "text", "nn")``."""

_LANGUAGE_TABLE = 'must be a table of languages, like { nb = "...", nn = "...", en = "..." }'
_LANG_NAMES = {"nb": "bokmål (nb)", "nn": "nynorsk (nn)", "en": "English (en)"}
_SYNTAX_AT = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.S)
_SYNTAX_END = re.compile(r"^(?P<msg>.*) \(at end of document\)$", re.S)
_MISSING_TEXT = "text missing in a declared language: "
_DUPLICATE_IDS = re.compile(r"^(?P<name>[\w.]+): duplicate id\(s\) (?P<ids>.+)$")
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class ConsultationError(Exception):
    """A consultation file that cannot be used.

    Attributes:
        path: The file that was read.
        problems: One human-readable line per problem, each starting with the file (and line).
    """

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"{path}: {count}\n" + "\n".join(problems))


def load_consultation(path: str | Path) -> Consultation:
    """Read and validate a consultation file.

    Raises:
        ConsultationError: The file is missing, is not valid TOML or does not fit the schema.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ConsultationError(file, [f"{file}: file not found"]) from None
    except IsADirectoryError:
        raise ConsultationError(file, [f"{file}: is a folder, not a consultation file"]) from None
    except OSError as exc:
        problem = f"{file}: cannot read the file ({exc.strerror or exc})"
        raise ConsultationError(file, [problem]) from exc
    try:
        # utf-8-sig: editors on Windows may put a byte-order mark first; tomllib rejects it.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = f"{file}:{line}: the file is not UTF-8 text; save it as UTF-8"
        raise ConsultationError(file, [problem]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConsultationError(file, [_syntax_problem(file, exc)]) from exc
    try:
        return Consultation.model_validate(data)
    except ValidationError as exc:
        lines = _KeyLines(text).scan()
        raise ConsultationError(file, _validation_problems(file, exc, data, lines)) from exc


def check_consultation(path: str | Path) -> list[str]:
    """Return the problems in a consultation file, or ``[]`` when it can be used."""
    try:
        load_consultation(path)
    except ConsultationError as exc:
        return exc.problems
    return []


def _syntax_problem(file: Path, exc: tomllib.TOMLDecodeError) -> str:
    message = str(exc)
    if match := _SYNTAX_AT.match(message):
        where = f"{file}:{match['line']}:{match['col']}"
        return f"{where}: TOML syntax error: {match['msg']}"
    if match := _SYNTAX_END.match(message):
        return f"{file}: TOML syntax error at the end of the file: {match['msg']}"
    return f"{file}: TOML syntax error: {message}"


def _validation_problems(
    file: Path, exc: ValidationError, data: dict[str, Any], lines: dict[Loc, int]
) -> list[str]:
    problems: list[str] = []
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if not loc and error["type"] == "value_error":
            problems.extend(_model_problems(file, _strip_prefix(error["msg"]), data, lines))
        else:
            problems.append(_problem(file, loc, _explain(error), lines))
    return problems


def _model_problems(
    file: Path, message: str, data: dict[str, Any], lines: dict[Loc, int]
) -> list[str]:
    """Split the model's whole-file checks into one problem per place in the file."""
    if message.startswith(_MISSING_TEXT):
        problems = []
        for dotted in message.removeprefix(_MISSING_TEXT).split(", "):
            loc = _parse_path(dotted)
            lang = str(loc[-1]) if loc else ""
            name = _LANG_NAMES.get(lang, lang)
            text = f"the {name} text is missing or empty; every declared language needs it"
            problems.append(_problem(file, loc, text, lines))
        return problems
    if match := _DUPLICATE_IDS.match(message):
        base = _parse_path(match["name"])
        items = _get(data, base)
        problems = []
        for dupe in match["ids"].split(", "):
            index = _second_index(items, dupe)
            loc = (*base, index, "id") if index is not None else base
            text = f'the id "{dupe}" is used more than once; each id must be unique'
            problems.append(_problem(file, loc, text, lines))
        return problems
    return [_problem(file, (), message, lines)]


def _explain(error: ErrorDetails) -> str:
    """Say what is wrong in words a person editing the file understands."""
    kind = error["type"]
    loc = error["loc"]
    last = loc[-1] if loc else ""
    if kind == "missing":
        return "required, but missing"
    if kind == "extra_forbidden":
        return "unknown key; check the spelling (it is not part of a consultation file)"
    if kind == "dict_type":
        return _LANGUAGE_TABLE + _got(error)
    if kind.startswith(("date_", "datetime_")):
        return "must be a date like 2021-03-01, written without quotes" + _got(error)
    if kind.startswith("bool_"):
        return "must be true or false, written without quotes" + _got(error)
    if kind == "literal_error" and last == "[key]":
        return f"{error['input']!r} is not a language; use nb, nn or en"
    if kind == "string_pattern_mismatch" and last == "id":
        return (
            "must be a short id: lowercase letters a-z, digits and hyphens, "
            "at most 16 characters" + _got(error)
        )
    if kind == "string_pattern_mismatch" and last == "reference_prefix":
        return "must be 2 to 5 capital letters A-Z, like SMB" + _got(error)
    return _strip_prefix(error["msg"]) + _got(error)


def _got(error: ErrorDetails) -> str:
    value = error.get("input")
    if isinstance(value, dict | list) or value is None:
        return ""
    shown = repr(value)
    return f" (found {shown[:60] + '…' if len(shown) > 60 else shown})"


def _strip_prefix(message: str) -> str:
    return message.removeprefix("Value error, ")


def _problem(file: Path, loc: Loc, message: str, lines: dict[Loc, int]) -> str:
    line = _find_line(loc, lines)
    where = f"{file}:{line}" if line else str(file)
    return f"{where}: {_format_path(loc) or '(top level)'}: {message}"


def _format_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _parse_path(dotted: str) -> Loc:
    return tuple(int(index) if index else key for index, key in _PATH_PART.findall(dotted.strip()))


def _find_line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    """The line of ``loc``, or of its nearest parent that the file spells out."""
    place = tuple(part for part in loc if part != "[key]")
    while place:
        if place in lines:
            return lines[place]
        place = place[:-1]
    return None


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _second_index(items: Any, item_id: str) -> int | None:
    if not isinstance(items, list):
        return None
    seen = False
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == item_id:
            if seen:
                return index
            seen = True
    return None


class _KeyLines:
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
