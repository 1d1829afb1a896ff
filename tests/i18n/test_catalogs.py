"""Bokmål, nynorsk and English: complete catalogs, intact placeholders, whole conversations.

The catalogs must match the source (re-extracted here with babel, the way ``make extract``
does), every message must be translated, and people who talk nynorsk or English must get the
whole consultation in their language, while the ministry always gets bokmål.
"""

from __future__ import annotations

import ast
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.build import localized
from bot.conversation.events import IncomingDocument, Reply
from bot.conversation.submission import Submission
from bot.i18n.catalogs import gettext_for
from bot.i18n.formats import format_date, format_size
from bot.i18n.languages import resolve_language
from bot.mail.compose import compose_ministry_message, compose_receipt
from bot.mail.headers import message_id_for
from bot.service.conversations import ConversationService
from bot.storage import Store
from tests.conftest import ROOT
from tests.conversation.talk import ServiceTalk, Talk, spoken

LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"
TRANSLATED = ("nn", "en")
MAX_MESSAGE_CHARS = 1000
"""About a phone screen: one turn is one message (the welcome, a notice or help joins the
question after it), and each stays short enough to read at a glance."""
BEFORE_DEADLINE = datetime(2021, 2, 15, 10, 0, tzinfo=UTC)
LANGUAGE_MENU = "Velg språk · Vel språk · Choose language"
"""The language picker speaks all three languages on purpose."""

BOKMAAL_ONLY = frozenset(
    (
        "ikke",
        "hva",
        "hvordan",
        "hvem",
        "hvilken",
        "hvilke",
        "hvor",
        "hvis",
        "jeg",
        "noe",
        "mer",
        "nå",
        "ennå",
        "allerede",
        "innspill",
        "innspillet",
        "navn",
        "navnet",
        "velg",
        "videre",
        "tidligere",
        "fortsett",
        "fortsetter",
        "lagret",
        "slettet",
        "fjernet",
        "endret",
        "hoppet",
        "mottatt",
        "vedtatt",
        "gjelder",
        "trenger",
        "svarer",
        "heter",
        "hører",
        "flere",
        "kommuner",
        "sifrene",
        "spørsmålene",
        "svarene",
        "oppsummeringen",
        "velkommen",
    )
)
"""Common bokmål words whose nynorsk form differs (ikkje, kva, korleis, kven, …)."""

NORWEGIAN = frozenset(
    (
        "ikke",
        "ikkje",
        "hva",
        "kva",
        "jeg",
        "eg",
        "og",
        "det",
        "er",
        "du",
        "deg",
        "har",
        "vil",
        "kan",
        "skriv",
        "svar",
        "svaret",
        "spørsmål",
        "innspill",
        "innspel",
        "tema",
        "vedlegg",
        "navn",
        "namn",
        "svarer",
        "svarar",
        "vedtatt",
        "vedteke",
        "kommune",
        "velg",
        "vel",
    )
)
"""Norwegian words that should never appear in an English message."""


# --- reading the catalogs -----------------------------------------------------------------


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=locale)


def catalog_for(lang: str) -> Catalog:
    return read_catalog(LOCALES / lang / "LC_MESSAGES" / "messages.po", lang)


def msgid(message: Message) -> str:
    """The singular msgid, which is the key for plural messages too."""
    return message.id[0] if isinstance(message.id, tuple) else str(message.id)


def entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def fields(text: str) -> Counter[str]:
    """The ``{named}`` placeholders of a ``str.format`` string, with their format specs."""
    found: Counter[str] = Counter()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            found[f"{name}!{conversion or ''}:{spec or ''}"] += 1
    return found


def symbols(text: str) -> set[str]:
    """Emoji and other pictographs (✅, ➡️, 😊, 🗑, …)."""
    return {ch for ch in text if unicodedata.category(ch) == "So"}


def words(text: str) -> set[str]:
    """Lower-case words, leaving out /commands (their names are the same in every language)."""
    return set(re.findall(r"[a-zæøå]+", re.sub(r"/\w+", " ", text.lower())))


# --- the template is current --------------------------------------------------------------


def fresh_template(tmp_path: Path) -> Catalog:
    """Extract the source again with babel.cfg, as ``make extract`` does, into ``tmp_path``."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp, "babel.cfg")  # type: ignore[no-untyped-call]
    keywords = dict(DEFAULT_KEYWORDS)
    for options in options_map.values():
        keywords.update(options.get("keywords", {}))
    template = Catalog(project="innspill")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    path = tmp_path / "messages.pot"
    with path.open("wb") as fp:
        write_po(fp, template, width=0, sort_output=True)
    return read_catalog(path)


def test_the_template_has_every_string_in_the_source(tmp_path: Path) -> None:
    fresh = {msgid(m) for m in entries(fresh_template(tmp_path))}
    committed = {msgid(m) for m in entries(read_catalog(TEMPLATE))}
    assert fresh, "babel.cfg extracted nothing"
    new, gone = sorted(fresh - committed), sorted(committed - fresh)
    assert not new, (
        "New strings in the source: run `make update-catalogs` and translate them in "
        f"locales/nn and locales/en: {new}"
    )
    assert not gone, f"Strings no longer in the source: run `make update-catalogs`: {gone}"


def marked_literals() -> dict[str, str]:
    """Every string literal passed to ``_``, ``n_``, ``N_``, ``gettext`` or ``ngettext``.

    Read with :mod:`ast`, which also sees calls inside f-strings; babel's extractor cannot on
    Python 3.11, so such a string would silently stay in bokmål.
    """
    names = {"_", "n_", "N_", "gettext", "ngettext"}
    found: dict[str, str] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            first = node.args[0]
            if name in names and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_marked_string_reaches_the_template() -> None:
    committed = {msgid(m) for m in entries(read_catalog(TEMPLATE))}
    missed = [
        f"{where} {text!r}"
        for text, where in sorted(marked_literals().items())
        if text not in committed
    ]
    assert not missed, (
        "Marked for translation but not in locales/messages.pot. Run `make update-catalogs`; "
        "if they are still missing, babel cannot see them (a _() call inside an f-string): "
        'move the call out, e.g. `label = _("Tema")` then f"{label}: …". ' + "; ".join(missed)
    )


# --- every message is translated, and translated well -------------------------------------


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    template = read_catalog(TEMPLATE)
    catalog = catalog_for(lang)
    assert not catalog.fuzzy, f"the {lang} catalog's header is marked fuzzy"
    assert catalog.num_plurals == 2
    assert catalog.plural_expr == "(n != 1)"
    problems = []
    for message in entries(template):
        translated = catalog.get(msgid(message))
        if translated is None:
            problems.append(f"missing: {msgid(message)!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {msgid(message)!r}")
        elif not all(form.strip() for form in forms(translated.string)) or not forms(
            translated.string
        ):
            problems.append(f"empty: {msgid(message)!r}")
        elif isinstance(message.id, tuple) and len(forms(translated.string)) != 2:
            problems.append(f"needs two plural forms: {msgid(message)!r}")
    where = f"locales/{lang}/LC_MESSAGES/messages.po"
    assert not problems, f"{where} (run `make update-catalogs`): " + "; ".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_and_emoji_are_kept(lang: str) -> None:
    catalog = catalog_for(lang)
    checked = [(msgid(m), [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not checked, checked
    problems = []
    for message in entries(catalog):
        sources = forms(message.id)
        for form in forms(message.string):
            if fields(form) != fields(sources[0]):
                problems.append(f"placeholders differ: {sources[0]!r} → {form!r}")
            if symbols(form) != symbols(sources[0]):
                problems.append(f"emoji differ: {sources[0]!r} → {form!r}")
            try:
                form.format(**{name.split("!")[0]: "x" for name in fields(form)})
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(f"cannot format {form!r}: {exc}")
            if lang == "en" and "«" in form:
                problems.append(f"use “” quotes in English: {form!r}")
    assert not problems, "; ".join(problems)


def test_nynorsk_is_nynorsk() -> None:
    problems = []
    for message in entries(catalog_for("nn")):
        for form in forms(message.string):
            bokmaal = words(form) & BOKMAAL_ONLY
            if bokmaal:
                problems.append(f"{form!r} has bokmål words {sorted(bokmaal)}")
    assert not problems, "; ".join(problems)


def test_english_has_no_norwegian_words() -> None:
    problems = []
    for message in entries(catalog_for("en")):
        for form in forms(message.string):
            # "Change language / Bytt språk" names the switch in bokmål on purpose.
            norwegian = words(form.replace("Bytt språk", "")) & NORWEGIAN
            if norwegian:
                problems.append(f"{form!r} has Norwegian words {sorted(norwegian)}")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_bot_says_what_the_catalog_says(lang: str) -> None:
    """Whether read from a compiled .mo or the .po, the running bot uses the current text."""
    translations = gettext_for(lang)
    for message in entries(catalog_for(lang)):
        sources, translated = forms(message.id), forms(message.string)
        if not all(translated) or message.fuzzy:
            continue  # reported by test_every_message_is_translated
        if len(sources) == 2:
            singular, plural = sources
            assert translations.ngettext(singular, plural, 1) == translated[0]
            assert translations.ngettext(singular, plural, 3) == translated[1]
        else:
            assert translations.gettext(sources[0]) == translated[0]


def test_no_message_is_a_wall_of_text() -> None:
    too_long = []
    for catalog in (read_catalog(TEMPLATE), *(catalog_for(lang) for lang in TRANSLATED)):
        for message in entries(catalog):
            for text in forms(message.id) + forms(message.string):
                if len(text) > MAX_MESSAGE_CHARS:
                    too_long.append(f"{len(text)} characters: {text[:60]!r}…")
    assert not too_long, "; ".join(too_long)


# --- language codes and formatting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("nb", ("nb", True)),
        ("no", ("nb", True)),
        ("nb-NO", ("nb", True)),
        ("no-NO", ("nb", True)),
        ("nn", ("nn", True)),
        ("nn-NO", ("nn", True)),
        ("en", ("en", True)),
        ("en-GB", ("en", True)),
        ("en-US", ("en", True)),
        ("de", ("nb", False)),
        (None, ("nb", False)),
        ("", ("nb", False)),
    ],
)
def test_telegram_language_codes_map_to_ours(code: str | None, expected: tuple[str, bool]) -> None:
    assert resolve_language(code) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("nb", "1. mars 2021"), ("nn", "1. mars 2021"), ("en", "1 March 2021")]
)
def test_the_deadline_is_written_the_local_way(lang: str, expected: str) -> None:
    assert format_date(date(2021, 3, 1), lang) == expected


# --- whole conversations through the real service and storage -----------------------------


@pytest.fixture
def service(consultation: Consultation, store: Store) -> ConversationService:
    return ConversationService(consultation, store, clock=lambda: BEFORE_DEADLINE)


def texts(replies: Iterable[Reply]) -> list[str]:
    """What the bot said, with button labels, leaving out the trilingual language menu."""
    said = []
    for reply in replies:
        if reply.text == LANGUAGE_MENU:
            continue
        said.append(reply.text)
        said += [c.label for c in reply.choices if c.label != "Språk / Language"]
    return said


def assert_nynorsk(texts: Iterable[str]) -> None:
    for text in texts:
        bokmaal = words(text) & BOKMAAL_ONLY
        assert not bokmaal, f"bokmål {sorted(bokmaal)} in a nynorsk reply: {text!r}"


def assert_english(texts: Iterable[str]) -> None:
    for text in texts:
        norwegian = words(text) & NORWEGIAN
        assert not norwegian, f"Norwegian {sorted(norwegian)} in an English reply: {text!r}"


def assert_short(person: ServiceTalk) -> None:
    for reply in person.heard:
        if reply.text.startswith("📋"):  # the summary may be long
            continue
        assert len(reply.text) <= MAX_MESSAGE_CHARS, reply.text


def ministry_mail(sub: Submission) -> str:
    message = compose_ministry_message(
        sub,
        [],
        mail_from="Innspill <innspill@example.no>",
        to="postmottak@kmd.dep.no",
        message_id=message_id_for(sub.reference, "ministry", "example.no"),
    )
    return body_of(message)


def body_of(message: EmailMessage) -> str:
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    part = parsed.get_body(preferencelist=("plain",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


async def test_a_whole_conversation_in_nynorsk(service: ConversationService, store: Store) -> None:
    kari = ServiceTalk(service, "tg:1", language_code="nn-NO")
    welcome = spoken(await kari.command("start"))
    assert "Regjeringa lagar ein strategi for småbyar" in welcome
    assert "Frist: 1. mars 2021." in welcome
    assert "Korleis vil du svare?" in welcome
    assert "Kven svarar du for?" in spoken(await kari.press(flow.START, "guided"))
    assert "Kva heiter organisasjonen" in spoken(await kari.press(flow.TYPE, "organisasjon"))
    assert "Har de eit organisasjonsnummer?" in spoken(await kari.send("Harstad idrettslag"))
    assert "Det er ikkje eit gyldig organisasjonsnummer" in spoken(await kari.send("123"))
    assert "Er innspelet vedteke av styret?" in spoken(await kari.send("974760673"))
    assert "Kva heiter du?" in spoken(await kari.send("12.2.2021"))
    assert "Kva kommune held de til i" in spoken(await kari.send("Kari Nordmann"))
    said = spoken(await kari.send("Harstad"))
    assert "Kommune: Harstad – Hárstták ✅" in said
    assert "Vil du ha ei kvittering på e-post?" in said
    assert "Vel eitt eller fleire" in spoken(await kari.send("kari@example.no"))
    await kari.press(flow.THEMES, "tilgjengelighet")
    said = spoken(await kari.press(flow.THEMES, "done"))
    assert "Tema 1 av 1: Tilgjenge" in said
    said = spoken(await kari.send("Fleire bussar og betre vegar."))
    assert "Lagra ✅" in said
    assert "Spørsmål 1 av 6" in said
    said = spoken(await kari.press(flow.question_step("q1"), "more"))
    assert "Tema 1 av 1: Tilgjenge" in said
    said = spoken(await kari.command("help"))
    assert "Til dømes buss og tog" in said
    assert "Dette kan du skrive:" in said
    said = spoken(await kari.send("Og nattbuss i helgane."))
    assert "Svaret har no 2 delar" in said
    assert "Spørsmål 1 av 6" in said
    said = spoken(await kari.send("Fleire arbeidsplassar i sentrum."))
    assert "Spørsmål 2 av 6" in said
    said = spoken(await kari.command("status"))
    assert "Du har svart på 1 av 6 spørsmål. Tema: 1 av 1." in said
    assert "Står att:" in said
    said = spoken(await kari.press(flow.question_step("q1"), "stale"))
    assert "Den knappen gjeld eit tidlegare spørsmål. Her er du no:" in said
    said = spoken(await kari.command("summary"))
    assert "📋 Samandrag" in said
    assert "Når du trykkjer «Send inn», går innspelet til Kommunal- og" in said
    said = spoken(await kari.press(flow.SUMMARY, "send"))
    assert "Takk! Innspelet ditt er sendt til Kommunal- og moderniseringsdep" in said
    assert "Du får ei kvittering på e-post til kari@example.no." in said

    assert_nynorsk(texts(kari.heard))
    assert_short(kari)

    (sub,) = await store.list_submissions()
    assert sub.language == "nn"
    assert sub.respondent.type_label == "Organisasjon, lag eller forening"
    assert sub.themes == ["Tilgjengelighet"]
    assert [a.heading for a in sub.answers][:2] == [
        "Tilgjengelighet",
        "Hva skal til for at småbyer kan bli sterkere sentre for hele regionen? "
        "Tenk gjerne på din egen by.",
    ]
    mail = ministry_mail(sub)
    assert "Språk: nynorsk" in mail
    assert "INNSENDER" in mail
    assert "Tema: Tilgjengelighet" in mail
    assert "Vedtatt av styret: 12. februar 2021" in mail
    assert "Tilgjenge" not in mail.replace("Tilgjengelighet", "")
    assert "Fleire bussar og betre vegar." in mail


async def test_a_whole_conversation_in_english(service: ConversationService, store: Store) -> None:
    emma = ServiceTalk(service, "tg:2", language_code="en-GB")
    welcome = spoken(await emma.command("start"))
    assert "The government is making a strategy for small towns." in welcome
    assert "Deadline: 1 March 2021." in welcome
    assert "How do you want to answer?" in welcome
    assert "Who are you answering for?" in spoken(await emma.press(flow.START, "guided"))
    assert "What is your name?" in spoken(await emma.press(flow.TYPE, "privatperson"))
    assert "Which municipality" in spoken(await emma.send("Emma Smith"))
    assert "Would you like a receipt by e-mail?" in spoken(await emma.send("Tromsø"))
    assert "That e-mail address doesn't look right" in spoken(await emma.send("emma at example"))
    assert "Which themes" in spoken(await emma.send("emma@example.org"))
    said = spoken(await emma.press(flow.THEMES, "done"))
    assert "Choose at least one theme" in said
    await emma.press(flow.THEMES, "tjenester")
    said = spoken(await emma.press(flow.THEMES, "done"))
    assert "Theme 1 of 1: Services" in said
    said = spoken(await emma.send("A doctor who stays longer than a year."))
    assert "Saved ✅" in said
    assert "Question 1 of 6" in said
    assert "Skipped" not in spoken(await emma.command("skip"))
    await emma.send("More flights to Oslo.")
    said = spoken(await emma.command("status"))
    assert "You have answered 1 of 6 questions. Themes: 1 of 1." in said
    assert "Skipped: Question 1." in said
    said = spoken(await emma.command("summary"))
    assert "📋 Summary" in said
    assert "(skipped)" in said
    said = spoken(await emma.press(flow.SUMMARY, "send"))
    assert "Thank you! Your input has been sent to the Ministry of Local Government" in said
    assert "Reference number:" in said

    assert_english(texts(emma.heard))
    assert_short(emma)

    (sub,) = await store.list_submissions()
    assert sub.language == "en"
    assert sub.respondent.type_label == "Privatperson"
    assert sub.themes == ["Tjenester"]
    mail = ministry_mail(sub)
    assert "Språk: engelsk" in mail
    assert "Tema: Tjenester" in mail
    assert "Hoppet over" in mail
    assert "A doctor who stays longer than a year." in mail
    receipt = compose_receipt(
        localized(service.consultation, sub, sub.language),
        mail_from="Innspill <innspill@example.no>",
        to="emma@example.org",
        message_id=message_id_for(sub.reference, "receipt", "example.no"),
    )
    assert str(receipt["Subject"]).startswith("Receipt: your input has been sent")
    receipt_text = body_of(receipt)
    assert "The mail server for postmottak@kmd.dep.no has accepted it." in receipt_text
    assert "Services" in receipt_text, "the receipt names the theme in English"
    assert "Private individual" in receipt_text
    assert "Tjenester" not in receipt_text


async def test_switching_language_midway_keeps_every_answer(
    service: ConversationService, store: Store
) -> None:
    ola = ServiceTalk(service, "tg:3", language_code="nn")
    await ola.command("start")
    await ola.press(flow.START, "guided")
    await ola.press(flow.TYPE, "privatperson")
    await ola.send("Ola Nordmann")
    await ola.send("Bodø")
    await ola.command("skip")  # no receipt
    await ola.press(flow.THEMES, "sentrum")
    await ola.press(flow.THEMES, "done")
    await ola.send("Fleire kafear i sentrum.")
    said = spoken(await ola.send("Betre samarbeid med bygdene."))
    assert "Spørsmål 2 av 6" in said
    await ola.send("Del fagfolk.")
    said = spoken(await ola.press(flow.question_step("q3"), "more"))
    assert "Spørsmål 2 av 6" in said
    before = await service.session_of(ola.user)
    assert before is not None
    assert_nynorsk(texts(ola.heard))

    assert "Choose language" in spoken(await ola.command("language"))
    said = spoken(await ola.press(flow.LANGUAGE, "en"))
    assert "Language changed." in said
    assert "Question 2 of 6" in said
    assert "What can and should the town's municipality do so that the whole region grows" in said
    assert "Del fagfolk." in said  # the answer so far, shown again
    assert_english(texts(ola.replies))

    after = await service.session_of(ola.user)
    assert after is not None
    assert after.lang == "en"
    assert after.step == before.step == flow.question_step("q2")
    assert after.answers == before.answers
    assert after.respondent == before.respondent
    assert after.themes == before.themes

    said = spoken(await ola.command("summary"))
    assert "Fleire kafear i sentrum." in said
    assert "Betre samarbeid med bygdene." in said
    assert "Del fagfolk." in said
    assert "Thank you!" in spoken(await ola.press(flow.SUMMARY, "send"))
    assert_short(ola)

    (sub,) = await store.list_submissions()
    assert sub.language == "en"
    assert [a.answer for a in sub.answers][:3] == [
        "Fleire kafear i sentrum.",
        "Betre samarbeid med bygdene.",
        "Del fagfolk.",
    ]
    assert sub.answers[0].heading == "Attraktive byer og levende sentrum"
    mail = ministry_mail(sub)
    assert "Språk: engelsk" in mail
    assert "Spørsmål 2: Hvilken rolle kan og bør bykommunen ta" in mail
    assert "Stilt på engelsk: What can and should the town's municipality do" in mail


@pytest.mark.parametrize(
    ("size", "lang", "shown"),
    [
        (0, "nb", "1 kB"),
        (340 * 1024, "nb", "340 kB"),
        (1_040_000, "nb", "1,0 MB"),
        (20 * 1024 * 1024, "nb", "20,0 MB"),
        (20 * 1024 * 1024, "nn", "20,0 MB"),
        (20 * 1024 * 1024, "en", "20.0 MB"),
        (2_500_000, "en", "2.4 MB"),
    ],
)
def test_file_sizes_read_the_same_way_everywhere(size: int, lang: str, shown: str) -> None:
    assert format_size(size, lang) == shown


def test_the_chat_and_both_mails_give_one_file_the_same_size(consultation: Consultation) -> None:
    t = Talk(consultation)
    t.command("start", "rask")
    t.click("Privatperson")
    t.send("Kari")
    t.send("Bodø")
    t.upload(IncomingDocument("notat.pdf", "application/pdf", 1_040_000, attachment_id="A1"))
    t.click("Endre noe")
    t.click("E-post")
    t.send("kari@example.no")
    assert "notat.pdf (1,0 MB)" in t.text
    t.click("send inn")
    sub = t.submissions[0].submission
    ministry = compose_ministry_message(
        sub,
        mail_from="innspill@example.no",
        to="postmottak@example.no",
        message_id=message_id_for(sub.reference, "ministry", "example.no"),
        attachments=[("notat.pdf", "application/pdf", b"%PDF" + bytes(1_039_996))],
    )
    receipt = compose_receipt(
        sub,
        mail_from="innspill@example.no",
        to="kari@example.no",
        message_id=message_id_for(sub.reference, "receipt", "example.no"),
    )
    for mail in (ministry, receipt):
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        assert "1,0 MB" in body.get_content()
