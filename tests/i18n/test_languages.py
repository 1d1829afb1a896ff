"""The language registry: one row per language, and a fourth language needs no code.

The last test adds Northern Sami the way a maintainer would: a registry row, a catalog under
``locales/se/`` and the texts in the consultation file (in a temporary copy of both), then
runs a whole conversation in it and reads the ministry's e-mail.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.consultation.loader import load_consultation
from bot.conversation.commands import parse_command
from bot.i18n import catalogs, formats
from bot.i18n.languages import (
    Language,
    choose_language_prompt,
    codes,
    find_language,
    language,
    language_button,
    language_name,
    register,
    resolve_language,
    unregister,
)
from bot.mail.compose import compose_ministry_message
from tests.conftest import ROOT, SEED
from tests.conversation.talk import Talk


@pytest.mark.parametrize(
    ("client_code", "expected"),
    [
        ("nb", ("nb", True)),
        ("no", ("nb", True)),
        ("no-NO", ("nb", True)),
        ("nb_NO", ("nb", True)),
        ("nn-NO", ("nn", True)),
        ("en-GB", ("en", True)),
        ("EN", ("en", True)),
        ("de", ("nb", False)),
        ("", ("nb", False)),
        (None, ("nb", False)),
    ],
)
def test_client_language_codes_map_to_ours(
    client_code: str | None, expected: tuple[str, bool]
) -> None:
    assert resolve_language(client_code) == expected


def test_every_language_has_what_people_and_staff_read() -> None:
    assert codes()[0] == "nb"  # the source language first
    assert [language(code).native_name for code in codes()] == ["Bokmål", "Nynorsk", "English"]
    assert language_name("nn") == "nynorsk"
    assert language_name("xx") == "xx"  # an old row's code is shown as it is, not hidden
    assert language_button(codes()) == "Språk / Language"
    assert choose_language_prompt(codes()) == "Velg språk · Vel språk · Choose language"
    assert language("xx").code == "nb"


@pytest.mark.parametrize(
    ("typed", "expected"), [("nynorsk", "nn"), ("English", "en"), ("nb", "nb"), ("tysk", None)]
)
def test_a_language_can_be_named_by_code_or_name(typed: str, expected: str | None) -> None:
    assert find_language(typed) == expected


def test_command_names_come_from_every_language() -> None:
    assert parse_command("/attende") == ("back", "")
    assert parse_command("/summary") == ("summary", "")
    assert parse_command("/tilbake") == ("back", "")


# --- a fourth language ---------------------------------------------------------------------

SAMI = Language(
    code="se",
    babel_locale="se_NO",
    native_name="Davvisámegiella",
    norwegian_name="nordsamisk",
    asked_in="Stilt på nordsamisk",
    choose_prompt="Vállje giela",
    language_word="Giella",
    client_codes=frozenset({"se"}),
    commands={"veahkki": "help", "ruovttoluotta": "back"},
)
SAMI_MESSAGES = {
    "Hvem svarer du for?": "Geasa ovddas don vástidat?",
    "Hva heter du?": "Mii du namma lea?",
    "Hvordan vil du svare?": "Movt don háliidat vástidit?",
}
"""A few real entries of a Northern Sami catalog (the rest falls back to bokmål)."""


def _with_sami(value: Any) -> Any:
    """Every language table of a consultation file, with a Northern Sami text added."""
    if isinstance(value, dict):
        if "nb" in value and all(isinstance(v, str) for v in value.values()):
            return {**value, "se": f"(sámegillii) {value['nb']}"}
        return {key: _with_sami(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_sami(item) for item in value]
    return value


def _toml(data: dict[str, Any]) -> str:
    """A small TOML writer for the consultation file's shapes (tables, arrays of tables)."""
    lines: list[str] = []

    def scalar(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if isinstance(value, list):
            return "[" + ", ".join(scalar(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{ " + ", ".join(f'"{k}" = {scalar(v)}' for k, v in value.items()) + " }"
        return str(value)

    def table(prefix: str, body: dict[str, Any], *, array: bool = False) -> None:
        plain = {
            k: v
            for k, v in body.items()
            if not (isinstance(v, list) and v and isinstance(v[0], dict))
        }
        nested = {k: v for k, v in body.items() if k not in plain}
        if prefix:
            lines.append(f"[[{prefix}]]" if array else f"[{prefix}]")
        lines.extend(f"{key} = {scalar(value)}" for key, value in plain.items())
        for key, items in nested.items():
            for item in items:
                table(f"{prefix}.{key}" if prefix else key, item, array=True)

    table("", data)
    return "\n".join(lines) + "\n"


@pytest.fixture
def sami(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Northern Sami added as a maintainer would, in a copy of the catalogs; its file."""
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    catalog = Catalog(locale="se", domain="messages")
    for msgid, msgstr in SAMI_MESSAGES.items():
        catalog.add(msgid, msgstr)
    folder = locales / "se" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as fp:
        write_po(fp, catalog)
    monkeypatch.setattr(catalogs, "locales_dir", lambda: locales)
    catalogs.translations.cache_clear()
    register(SAMI)
    data = tomllib.loads(SEED.read_text("utf-8"))
    data = _with_sami(data)
    data["languages"] = ["nb", "nn", "en", "se"]
    file = tmp_path / "med-samisk.toml"
    file.write_text(_toml(data), encoding="utf-8")
    try:
        yield file
    finally:
        unregister("se")
        catalogs.translations.cache_clear()
        formats.babel_locale.cache_clear()
        formats.format_date.cache_clear()


def test_a_fourth_language_is_a_registry_row_a_catalog_and_the_files_texts(sami: Path) -> None:
    c = load_consultation(sami)
    assert resolve_language("se-NO") == ("se", True)
    talk = Talk(c, lang="nb")
    talk.command("start")
    talk.click("Giella")  # the language button names the new language's word too
    assert "Vállje giela" in talk.text
    talk.click("Davvisámegiella")
    assert talk.session.lang == "se"
    assert "(sámegillii)" in talk.text  # the consultation's own texts, from the file
    assert "Movt don háliidat vástidit?" in talk.text  # the catalog's translation
    talk.click("Svar på spørsmålene")  # not in the small catalog: bokmål, never a gap
    assert "Geasa ovddas don vástidat?" in talk.text
    talk.send("/veahkki")  # a command name from the new row
    assert "Geasa ovddas don vástidat?" in talk.text  # help ends on the question again
    talk.click("(sámegillii) Privat")  # the respondent types, in the file's Sami text
    assert "Mii du namma lea?" in talk.text
    talk.send("Máret Máhtte")
    talk.send("Guovdageaidnu")
    talk.click("Nei takk")  # no e-mail address
    talk.click("(sámegillii) Næringsutvikling")
    talk.click("Ferdig")
    talk.send("Buorre áigumuš: eanet busset Guovdageainnus.")
    talk.click("Hopp over resten")
    talk.click("Send inn")
    submission = talk.submissions[0].submission
    assert submission.language == "se"
    mail = compose_ministry_message(
        submission, [], mail_from="innspill@example.org", to=c.recipient, message_id="<x@y>"
    )
    body = mail.get_body(("plain",))
    assert body is not None
    text = str(body.get_content())
    assert "Språk: nordsamisk" in text
    assert "Stilt på nordsamisk" in text
