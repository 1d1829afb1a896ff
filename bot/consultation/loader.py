"""Read a consultation file and say, in plain words and with line numbers, what is wrong with it.

The people who write consultation files are not programmers. A problem must name the file, the
line where possible, the place in the file (``questions[2].text.nn``) and what to do about it,
rather than a pydantic traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from bot.consultation.model import KINDS_CONTEXT, Consultation
from bot.consultation.municipalities import load_municipalities
from bot.consultation.problems import syntax_problem, validation_problems
from bot.consultation.toml_lines import KeyLines
from bot.conversation.kinds import KINDS


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
        raise ConsultationError(file, [syntax_problem(file, exc)]) from exc
    try:
        consultation = Consultation.model_validate(data, context={KINDS_CONTEXT: KINDS})
    except ValidationError as exc:
        lines = KeyLines(text).scan()
        raise ConsultationError(file, validation_problems(file, exc, data, lines)) from exc
    # Read the municipality register now, with the file: never inside the first step().
    # (The catalogs and babel's locale data are loaded when the runtime opens.)
    load_municipalities()
    return consultation


def check_consultation(path: str | Path) -> list[str]:
    """Return the problems in a consultation file, or ``[]`` when it can be used."""
    try:
        load_consultation(path)
    except ConsultationError as exc:
        return exc.problems
    return []
