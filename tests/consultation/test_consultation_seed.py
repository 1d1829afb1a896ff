"""The seed consultation says exactly what KMD asked for, in plain bokmål, nynorsk and English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from bot.consultation.model import Consultation, Text
from bot.i18n.languages import codes

LANGS = codes()

# The ministry's call for input (regjeringen.no, case 20/6204) is the spec for these.
THEMES = [
    "Tilgjengelighet",
    "Attraktive byer og levende sentrum",
    "Næringsutvikling",
    "Kompetanse og kompetansearbeidsplasser",
    "Tjenester",
]
QUESTIONS = [
    "Hva må til for at småbyer i større grad skal kunne fylle rollen som regionalt kraftsenter?",
    "Hvilken rolle kan og bør bykommunen ta for å sikre vekst og utvikling i hele regionen, "
    "og særlig i sårbare distriktsområder?",
    "Hvordan unngår vi at sterkere småbyer fører til økt sentralisering på bekostning av omlandet?",
    "Hvordan kan vi styrke kompetansen og kapasiteten innenfor områder som planarbeid, "
    "tjenesteproduksjon og samfunnsutvikling? Kan småbykommunen ta en ledende rolle i et "
    "samarbeid med øvrige kommuner, for eksempel om planlegging?",
    "Hvordan kan vi sikre bedre samordning og samarbeid mellom fylkeskommunen, staten, "
    "småbykommunene og distriktskommunene rundt? På hvilke områder er dette særlig viktig?",
    "Hvordan kan samarbeid mellom næringsliv, sivilsamfunn, utdanningsinstitusjonene og "
    "offentlig sektor bidra til å styrke småbyen som regionalt kraftsenter?",
]
# Words that only bokmål uses; nynorsk has kva, korleis, kva for, ikkje, noko, frå, heile, ...
BOKMAL_ONLY = re.compile(
    r"\b(hva|hvordan|hvilken|hvilke|hvor|ikke|noe|fra|hele|mye|jeg|dere|innspill|tjenester)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def seed(consultation: Consultation) -> Consultation:
    """The shipped consultation (the root fixture), under this file's name for it."""
    return consultation


def texts(consultation: Consultation) -> Iterator[tuple[str, Text]]:
    """Every user-facing text in the file, with a name for failure messages."""
    yield "ministry", consultation.ministry
    yield "title", consultation.title
    yield "intro", consultation.intro
    yield "publication_notice", consultation.publication_notice
    for kind in consultation.respondent.types:
        yield f"respondent.{kind.id}.label", kind.label
    for theme in consultation.themes:
        yield f"themes.{theme.id}.title", theme.title
        yield f"themes.{theme.id}.prompt", theme.prompt
        yield f"themes.{theme.id}.help", theme.help
    for question in consultation.questions:
        yield f"questions.{question.id}.text", question.text
        yield f"questions.{question.id}.help", question.help
        if question.original is not None:
            yield f"questions.{question.id}.original", question.original


def lix(text: str) -> float:
    """LIX: words per sentence plus the share (in %) of words longer than six letters."""
    words = re.findall(r"[^\W\d_]+", text)
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", text)))
    return len(words) / sentences + 100 * sum(len(w) > 6 for w in words) / len(words)


def test_delivery_is_exactly_what_the_ministry_asked(seed: Consultation) -> None:
    assert seed.id == "smabyer"
    assert seed.recipient == "postmottak@kmd.dep.no"
    assert seed.case_number == "20/6204"
    assert "20/6204" in seed.subject
    assert "Innspill til strategi for småbyer som regionale kraftsentre" in seed.subject
    assert seed.subject == "20/6204 – Innspill til strategi for småbyer som regionale kraftsentre"
    assert seed.deadline == date(2021, 3, 1)
    assert seed.ministry_short == "KMD"
    assert seed.ministry["nb"] == "Kommunal- og moderniseringsdepartementet"
    assert seed.ministry["en"] == "Ministry of Local Government and Modernisation"
    assert seed.reference_prefix == "SMB"
    assert seed.source_url is not None
    assert seed.source_url.startswith("https://www.regjeringen.no/")


def test_five_themes_with_the_documents_titles(seed: Consultation) -> None:
    assert [theme.title["nb"] for theme in seed.themes] == THEMES


def test_six_questions_keep_the_ministrys_wording(seed: Consultation) -> None:
    originals = [q.original["nb"] if q.original else None for q in seed.questions]
    assert originals == QUESTIONS
    assert all(q.optional for q in seed.questions)
    # The plain version is what a resident reads first; it is not the ministry's sentence.
    assert all(q.text["nb"] not in QUESTIONS for q in seed.questions)


def test_respondent_types_follow_regjeringen_no(seed: Consultation) -> None:
    types = {t.id: (t.organisation, t.org_number, t.board_approval) for t in seed.respondent.types}
    assert types == {
        "privatperson": (False, False, False),
        "organisasjon": (True, True, True),
        "naeringsliv": (True, True, False),
        "kommune": (True, True, False),
        "fylkeskommune": (True, True, False),
        "utdanning": (True, True, False),
        "annet": (True, False, False),
    }
    assert seed.respondent.types[0].label["nb"] == "Privatperson"


def test_every_text_in_every_language_and_short(seed: Consultation) -> None:
    assert seed.languages == list(LANGS)
    for name, text in texts(seed):
        for lang in LANGS:
            value = text.get(lang, "")
            assert value.strip(), f"{name}.{lang} is empty"
            assert len(value) <= 600, f"{name}.{lang} is {len(value)} characters"


def test_nynorsk_and_english_are_real_translations(seed: Consultation) -> None:
    for name, text in texts(seed):
        if name == "ministry":
            continue  # The ministry's name is the same in both written standards.
        if len(text["nn"]) > 40:
            assert text["nn"] != text["nb"], f"{name}.nn is the bokmål text"
        if len(text["en"]) > 20:
            assert text["en"] != text["nb"], f"{name}.en is the bokmål text"
        found = BOKMAL_ONLY.findall(text["nn"])
        assert not found, f"{name}.nn has bokmål words: {found}"
        assert not re.search("[æøå]", text["en"], re.IGNORECASE), f"{name}.en looks Norwegian"


def test_intro_says_what_it_takes_and_that_one_may_pause(seed: Consultation) -> None:
    assert "10 minutter" in seed.intro["nb"]
    assert "10 minutt" in seed.intro["nn"]
    assert "10 minutes" in seed.intro["en"]
    assert "pause" in seed.intro["nb"]
    for lang in LANGS:
        assert "offentleglova" in seed.publication_notice[lang]
        assert "regjeringen.no" in seed.publication_notice[lang]


def test_plain_language_reads_easily(seed: Consultation) -> None:
    # The ministry's call reads at LIX 45; residents should get LIX 35 or lower.
    for question in seed.questions:
        assert lix(question.text["nb"]) <= 35, question.text["nb"]
    for lang in LANGS:
        plain = [seed.intro[lang], seed.publication_notice[lang]]
        plain += [t for theme in seed.themes for t in (theme.prompt[lang], theme.help[lang])]
        plain += [t for q in seed.questions for t in (q.text[lang], q.help[lang])]
        assert lix(" ".join(plain)) <= 35, lang


def test_the_plain_questions_ask_what_the_ministry_asked(seed: Consultation) -> None:
    q4, q5 = seed.question("q4"), seed.question("q5")
    # Question 5 asks in which areas (fields) cooperation matters, not where.
    assert "På hvilke områder" in q5.text["nb"]
    assert "På kva område" in q5.text["nn"]
    assert "In which fields" in q5.text["en"]
    for lang in LANGS:
        assert not re.search(r"\b(hvor|kvar|where)\b", q5.text[lang], re.IGNORECASE), lang
    # Question 4 asks how to get the skills and people; it states no premise of its own.
    for lang, premise in (("nb", "for få"), ("nn", "for få"), ("en", "too few")):
        assert premise not in q4.text[lang], lang
    assert "planer" in q4.text["nb"]
    assert "lede" in q4.text["nb"]
    assert "jobber sammen" in q4.text["nb"]


def test_transport_theme_is_not_called_accessibility_in_english(seed: Consultation) -> None:
    title = seed.themes[0].title["en"]
    assert "ccessib" not in title
    assert "Transport" in title


def test_the_ministry_is_named_in_full_before_its_short_form_is_used(seed: Consultation) -> None:
    for lang in LANGS:
        intro = seed.intro[lang]
        assert f"{seed.ministry[lang]} ({seed.ministry_short})" in intro, lang


def test_the_publication_notice_says_the_name_is_published_too(seed: Consultation) -> None:
    notice = seed.publication_notice
    assert "med navnet ditt" in notice["nb"]
    assert "med namnet ditt" in notice["nn"]
    assert "with your name" in notice["en"]
    # The old wording could be read two ways; the new one says what not to write.
    assert "som du ikke vil" not in notice["nb"]
    assert "private ting" in notice["nb"]


def test_the_welcome_message_stays_short(seed: Consultation) -> None:
    # Title, intro, deadline and the "deadline has passed" sentence share one message.
    for lang in LANGS:
        welcome = f"{seed.title[lang]}\n\n{seed.intro[lang]}\n\nFrist: 1. mars 2021."
        assert len(welcome) + 100 <= 600, f"{lang}: {len(welcome)} characters"
