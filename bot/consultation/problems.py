"""What is wrong with a consultation file, in plain words, with the line where possible.

The people who write consultation files are not programmers. A problem names the file, the
line, the place in the file (``questions[2].text.nn``) and what to do about it, rather than a
pydantic traceback. :mod:`bot.consultation.loader` calls this only when a file does not load.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.consultation.toml_lines import Loc
from bot.i18n.languages import codes, is_known, language

_LANGUAGE_TABLE = 'must be a table of languages, like { nb = "...", nn = "...", en = "..." }'
_SYNTAX_AT = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.S)
_SYNTAX_END = re.compile(r"^(?P<msg>.*) \(at end of document\)$", re.S)
_MISSING_TEXT = "text missing in a declared language: "
_DUPLICATE_IDS = re.compile(r"^(?P<name>[\w.]+): duplicate id\(s\) (?P<ids>.+)$")
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def syntax_problem(file: Path, exc: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error with its line, in words a file's author can act on."""
    message = str(exc)
    if match := _SYNTAX_AT.match(message):
        where = f"{file}:{match['line']}:{match['col']}"
        return f"{where}: TOML syntax error: {match['msg']}"
    if match := _SYNTAX_END.match(message):
        return f"{file}: TOML syntax error at the end of the file: {match['msg']}"
    return f"{file}: TOML syntax error: {message}"


def validation_problems(
    file: Path, exc: ValidationError, data: dict[str, Any], lines: dict[Loc, int]
) -> list[str]:
    """Each schema problem as one line: file, line, place in the file, and what to do."""
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
            name = f"{language(lang).native_name} ({lang})" if is_known(lang) else lang
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
    if kind in ("literal_error", "value_error") and last == "[key]":
        return f"{error['input']!r} is not a language; use {', '.join(codes())}"
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
