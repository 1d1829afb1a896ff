"""The one registry of the languages the bot speaks: adding one is a row here and a catalog.

Everything that differs between languages and is not a translated message lives in a
:class:`Language` row: the babel locale, the names a person and a clerk read, the language
codes clients send, the command names people type, the HTML ``lang``. Every table that used to
list languages reads these rows, so a fourth language (Northern Sami, say) is a row, a catalog
under ``locales/<code>/`` and the texts in the consultation file, not a hunt through the code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated

from pydantic import AfterValidator


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


@dataclass(frozen=True)
class Language:
    """One language: its codes, names and the words people type for commands in it."""

    code: str
    """Our code: the catalog folder, the key of consultation texts, the session's language."""
    babel_locale: str
    """The locale babel formats dates and numbers with (``nb_NO``)."""
    native_name: str
    """The language in itself, as on the language button («Nynorsk»)."""
    norwegian_name: str
    """The language as staff read it («nynorsk»), a bokmål msgid translated for receipts."""
    asked_in: str
    """The line staff read above a question shown in this language (bokmål msgid); empty for
    the source language, in which questions are asked as the ministry wrote them."""
    choose_prompt: str
    """«Choose language» in this language, shown in every language on the language menu."""
    language_word: str
    """The word «language» in this language, for the button everyone must be able to find."""
    client_codes: frozenset[str]
    """Primary subtags of client language codes (Telegram, browsers) that mean this language."""
    commands: Mapping[str, str] = field(default_factory=dict)
    """Command names people type in this language, each to its canonical command."""
    html_lang: str = ""
    """The HTML ``lang`` value (the code itself when empty)."""

    @property
    def html(self) -> str:
        """The value for ``<html lang>``."""
        return self.html_lang or self.code


_COMMON_COMMANDS = {"start": "start", "status": "status", "hjelp": "help"}
"""Names that are the same in bokmål and nynorsk (and ``start`` everywhere)."""

_LANGUAGES: list[Language] = [
    Language(
        code="nb",
        babel_locale="nb_NO",
        native_name="Bokmål",
        norwegian_name=N_("bokmål"),
        asked_in="",
        choose_prompt="Velg språk",
        language_word="Språk",
        client_codes=frozenset({"nb", "no"}),
        commands=MappingProxyType(
            {
                **_COMMON_COMMANDS,
                "tilbake": "back",
                "hopp": "skip",
                "hopp_over": "skip",
                "fortsett": "continue",
                "neste": "next",
                "oppsummering": "summary",
                "avbryt": "cancel",
                "slett": "delete",
                "språk": "language",
                "sprak": "language",
                "sprog": "language",
                "personvern": "privacy",
                "vedlegg": "attach",
            }
        ),
    ),
    Language(
        code="nn",
        babel_locale="nn_NO",
        native_name="Nynorsk",
        norwegian_name=N_("nynorsk"),
        asked_in=N_("Stilt på nynorsk"),
        choose_prompt="Vel språk",
        language_word="Språk",
        client_codes=frozenset({"nn"}),
        commands=MappingProxyType({**_COMMON_COMMANDS, "attende": "back", "samandrag": "summary"}),
    ),
    Language(
        code="en",
        babel_locale="en_GB",
        native_name="English",
        norwegian_name=N_("engelsk"),
        asked_in=N_("Stilt på engelsk"),
        choose_prompt="Choose language",
        language_word="Language",
        client_codes=frozenset({"en"}),
        commands=MappingProxyType(
            {
                "start": "start",
                "help": "help",
                "status": "status",
                "back": "back",
                "skip": "skip",
                "continue": "continue",
                "next": "next",
                "summary": "summary",
                "cancel": "cancel",
                "delete": "delete",
                "language": "language",
                "privacy": "privacy",
                "attach": "attach",
            }
        ),
    ),
]
"""The rows, the source language (bokmål) first. Only :func:`register` adds to it."""

SOURCE = "nb"
"""The source language: a message id is bokmål text, and the ministry reads bokmål."""


def languages() -> tuple[Language, ...]:
    """Every language, bokmål first."""
    return tuple(_LANGUAGES)


def codes() -> tuple[str, ...]:
    """Every language's code, bokmål first."""
    return tuple(lang.code for lang in _LANGUAGES)


def is_known(code: str) -> bool:
    """Whether ``code`` is one of the registry's languages."""
    return any(lang.code == code for lang in _LANGUAGES)


def language(code: str) -> Language:
    """The row for ``code``; an unknown code gives the source language."""
    for lang in _LANGUAGES:
        if lang.code == code:
            return lang
    return _LANGUAGES[0]


def language_name(code: str) -> str:
    """The language as staff read it («nynorsk»); an unknown code as it is."""
    return language(code).norwegian_name if is_known(code) else code


def register(row: Language) -> None:
    """Add a language (or replace the row with its code); the source language stays first."""
    for index, lang in enumerate(_LANGUAGES):
        if lang.code == row.code:
            _LANGUAGES[index] = row
            break
    else:
        _LANGUAGES.append(row)
    _ALIASES.clear()


def unregister(code: str) -> None:
    """Remove a language added with :func:`register` (tests); the source language stays."""
    if code != SOURCE:
        _LANGUAGES[:] = [lang for lang in _LANGUAGES if lang.code != code]
        _ALIASES.clear()


def find_language(text: str) -> str | None:
    """The language a person named: its code or either of its names («nynorsk», «English»)."""
    wanted = text.strip().casefold()
    for lang in _LANGUAGES:
        if wanted in {lang.code, lang.native_name.casefold(), lang.norwegian_name.casefold()}:
            return lang.code
    return None


def resolve_language(code: str | None) -> tuple[str, bool]:
    """Map a client language code (Telegram's ``language_code``, a browser's) to one of ours.

    Returns the language and whether the code was one we know; an unknown code gives bokmål
    and ``False`` so the caller can offer the switch. Babel reads ``no`` as a locale of its
    own and rejects ``no-NO``, so this mapping is ours, not babel's.
    """
    if not code:
        return SOURCE, False
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    for lang in _LANGUAGES:
        if primary in lang.client_codes:
            return lang.code, True
    return SOURCE, False


_ALIASES: dict[str, str] = {}
"""Every language's command names together, built on first use (each text is checked)."""


def command_aliases() -> Mapping[str, str]:
    """Every command name people type, in any language, to its canonical command."""
    if not _ALIASES:
        for lang in _LANGUAGES:
            _ALIASES.update(lang.commands)
    return _ALIASES


def language_button(offered: Sequence[str]) -> str:
    """The language button's label, in every offered language at once: «Språk / Language»."""
    return " / ".join(dict.fromkeys(language(code).language_word for code in offered))


def choose_language_prompt(offered: Sequence[str]) -> str:
    """The language menu's question, the same in every language: «Velg språk · Choose …»."""
    return " · ".join(dict.fromkeys(language(code).choose_prompt for code in offered))


def other_languages_hint(offered: Sequence[str]) -> str:
    """For someone whose client language we did not know: «Nynorsk? English? → «Språk / …»»."""
    others = [language(code).native_name + "?" for code in offered if code != SOURCE]
    return " ".join(others) + " → «" + language_button(offered) + "»"


def _known_language(code: str) -> str:
    if not is_known(code):
        raise ValueError(f"unknown language {code!r}; known: {', '.join(codes())}")
    return code


Lang = Annotated[str, AfterValidator(_known_language)]
"""A language code that the registry knows, validated wherever pydantic reads one."""
