"""Command names people type, in bokmål, nynorsk and English, mapped to one canonical name.

Both front ends parse with this table, so ``/tilbake`` means the same on Telegram and in the
terminal. Telegram only allows a-z, 0-9 and _ in registered commands, hence ``/sprak``.
"""

from __future__ import annotations

ALIASES: dict[str, str] = {
    "start": "start",
    "hjelp": "help",
    "help": "help",
    "status": "status",
    "tilbake": "back",
    "attende": "back",
    "back": "back",
    "hopp": "skip",
    "hopp_over": "skip",
    "skip": "skip",
    "fortsett": "continue",
    "continue": "continue",
    "neste": "next",
    "next": "next",
    "oppsummering": "summary",
    "samandrag": "summary",
    "summary": "summary",
    "avbryt": "cancel",
    "cancel": "cancel",
    "slett": "delete",
    "delete": "delete",
    "språk": "language",
    "sprak": "language",
    "sprog": "language",
    "language": "language",
    "personvern": "privacy",
    "privacy": "privacy",
    "vedlegg": "attach",
    "attach": "attach",
}

CANONICAL = frozenset(ALIASES.values())


def parse_command(text: str) -> tuple[str, str] | None:
    """Return ``(canonical_name, argument)`` if ``text`` is a known command, else ``None``.

    Accepts Telegram's ``/cmd@BotName`` form and any case. An unknown ``/word`` is returned as
    ``("unknown", word)`` so the engine can answer it kindly instead of storing it as an answer.
    """
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, arg = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name or not all(ch.isalnum() or ch == "_" for ch in name):
        return None
    return ALIASES.get(name, "unknown"), arg.strip() if name in ALIASES else name
