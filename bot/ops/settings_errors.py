"""Operator mistakes in settings as one readable line per variable, never a traceback.

pydantic reports a bad setting as a multi-line block with the field's Python name; an operator
set an environment variable and needs its name, what is wrong, and what was given (never for a
secret).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.ops.settings import Settings

_SECRET_FIELDS = frozenset({"telegram_bot_token", "webhook_secret", "smtp_password"})

_MESSAGES: dict[str, str] = {
    "int_parsing": "må være et heltall",
    "int_from_float": "må være et heltall",
    "float_parsing": "må være et tall",
    "bool_parsing": "må være true eller false",
    "path_type": "må være en filsti",
    "string_type": "må være tekst",
    "missing": "mangler",
}


def _reason(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", " eller ")
        return f"må være en av {expected}"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        words = {
            "greater_than": "større enn",
            "greater_than_equal": "minst",
            "less_than": "mindre enn",
            "less_than_equal": "høyst",
        }
        limit = next(iter(ctx.values()), "")
        return f"må være {words[kind]} {limit}"
    if kind == "value_error":
        reason = str(ctx.get("error", error["msg"]))
        reason = reason.removeprefix("value is not a valid email address: ")
        if not reason.startswith(("må ", "er ", "filen ")) and "@" in reason:
            return f"er ikke en gyldig e-postadresse ({reason})"
        return reason
    return str(error["msg"])


def describe(error: ValidationError) -> list[str]:
    """One line per wrong setting: ``NAME: what is wrong (given: …)``."""
    lines: list[str] = []
    seen: set[str] = set()
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else "?"
        if field in seen:  # a union type reports each alternative; the first says enough
            continue
        seen.add(field)
        line = f"{field.upper()}: {_reason(detail)}"
        given = detail.get("input")
        if field not in _SECRET_FIELDS and isinstance(given, str):
            line += f" (fikk «{given}»)"
        lines.append(f"Ugyldig innstilling {line}")
    return lines


def load_settings() -> Settings | list[str]:
    """The settings, or the lines that say what is wrong with them."""
    try:
        return Settings()
    except ValidationError as error:
        return describe(error)
