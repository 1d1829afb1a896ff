"""A paste over the answer's limit is kept up to the limit, cut where a reader pauses, and the
person is told how much was kept, where it now ends, and to send the rest as a document."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.capabilities import ChannelCapabilities, DocumentWay
from bot.conversation.context import Limits
from bot.conversation.kinds.too_long import fit
from bot.conversation.names import Pick
from bot.i18n.formats import format_count
from tests.conversation.talk import Talk

LIMIT = Limits().max_answer_chars


def paste(chars: int, tag: str = "") -> str:
    """A long text as people paste it: paragraphs of sentences, each paragraph numbered."""
    paragraphs, total, number = [], 0, 0
    while total < chars:
        number += 1
        paragraph = f"Avsnitt {tag}{number}. " + "Småbyen trenger flere folk og jobber. " * 12
        paragraphs.append(paragraph.strip())
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars].rstrip()


def at_the_first_theme(c: Consultation, lang: str = "nb", limits: Limits | None = None) -> Talk:
    t = Talk(c, lang, limits=limits or Limits())
    t.command("start")
    t.press(t.buttons().step or "", Pick.GUIDED)
    t.press(t.buttons().step or "", "privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.press(flow.EMAIL, Pick.SKIP)
    t.press(flow.THEMES, c.themes[0].id)
    t.press(flow.THEMES, Pick.DONE)
    return t


# --- where the text is cut -----------------------------------------------------------------


def test_a_text_that_fits_is_kept_whole() -> None:
    assert fit("Kort svar.", 100) == "Kort svar."


def test_the_cut_falls_at_the_end_of_a_paragraph_where_one_is_in_reach() -> None:
    text = "Første avsnitt. Med to setninger.\n\nAndre avsnitt er lengre enn resten."
    assert fit(text, 50) == "Første avsnitt. Med to setninger."


def test_without_a_paragraph_in_reach_the_cut_falls_at_the_end_of_a_sentence() -> None:
    text = "Kort innledning.\n\n" + "Dette er en setning. " * 10
    kept = fit(text, 150)
    assert kept.endswith("setning.")
    assert len(kept) > 75, "a paragraph end early in the text is passed over"
    assert len(kept) <= 150


def test_without_a_sentence_end_the_cut_falls_between_words() -> None:
    kept = fit("ord " * 100, 101)
    assert kept.endswith("ord")
    assert len(kept) <= 101


def test_a_text_without_spaces_is_cut_at_the_limit() -> None:
    assert fit("x" * 500, 100) == "x" * 100


def test_with_no_room_nothing_is_kept() -> None:
    assert fit("Litt tekst.", 0) == ""


# --- a single huge paste -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "kept", "ends", "rest"),
    [
        ("nb", "så jeg lagret de første", "Svaret slutter nå med «…", "Send resten som dokument"),
        ("nn", "så eg lagra dei første", "Svaret sluttar no med «…", "Send resten som dokument"),
        ("en", "so I saved the first", "Your answer now ends with “…", "Send the rest as a"),
    ],
)
def test_a_50000_character_paste_is_kept_up_to_the_limit_and_the_person_is_told(
    c: Consultation, lang: str, kept: str, ends: str, rest: str
) -> None:
    t = at_the_first_theme(c, lang)
    theme = flow.theme_step(c.themes[0].id)
    text = paste(50_000)
    t.send(text)
    saved = t.session.answers[theme].text
    assert LIMIT - 500 < len(saved) <= LIMIT
    assert text.startswith(saved)
    assert text[len(saved) : len(saved) + 2] == "\n\n", "cut at the end of a paragraph"
    said = t.text
    assert kept in said
    assert ends in said
    assert saved[-20:] in said, "it says where the answer now ends"
    assert rest in said
    for number in (LIMIT, len(saved), len(text)):  # how much, in numbers one can check
        assert format_count(number, lang) in said
    assert t.session.step != theme, "the question is answered, and the person goes on"
    assert theme not in t.session.skipped


def test_the_numbers_are_written_as_people_read_them(c: Consultation) -> None:
    t = at_the_first_theme(c)
    t.send(paste(50_000))
    assert "opptil 30\xa0000 tegn" in t.text
    assert "av 50\xa0000 tegn" in t.text


def test_the_rest_is_asked_for_in_the_way_of_the_persons_channel(c: Consultation) -> None:
    terminal = Limits(channel=ChannelCapabilities(documents=DocumentWay.COMMAND))
    t = at_the_first_theme(c, limits=terminal)
    t.send(paste(50_000))
    assert "Legg resten i en fil, og send den med /vedlegg FIL." in t.text


def test_on_the_quick_path_the_paste_is_kept_and_the_summary_follows(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    t.press(flow.TYPE, "privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.send(paste(50_000))
    assert t.session.step == flow.SUMMARY
    assert LIMIT - 500 < len(t.session.answers[flow.QUICK].text) <= LIMIT
    assert "Meldingen var for lang" in t.text
    t.click("Send inn")
    [sent] = t.submissions
    assert len(sent.submission.answers[0].answer or "") <= LIMIT


# --- an answer that grows past the limit part by part ---------------------------------------


def test_an_answer_sent_in_many_parts_stops_at_the_limit_and_no_part_lands_elsewhere(
    c: Consultation,
) -> None:
    """Telegram splits a 50,000-character paste into messages of 4,096; they arrive in a row."""
    t = at_the_first_theme(c)
    theme = flow.theme_step(c.themes[0].id)
    text = paste(50_000)
    parts = [text[i : i + 4096] for i in range(0, len(text), 4096)]
    told: list[str] = []
    for number, part in enumerate(parts, start=1):
        t.send(part, ref=str(number), follows=str(number - 1) if number > 1 else None)
        told.append(t.text)
    saved = t.session.answers[theme].text
    assert LIMIT - 4096 < len(saved) <= LIMIT
    first_cut = next(i for i, said in enumerate(told) if "Meldingen var for lang" in said)
    assert all("Lagt til på" in said for said in told[1:first_cut]), "the parts that fit"
    for number, said in enumerate(told[first_cut + 1 :], start=first_cut + 2):
        assert "Jeg har ikke lagret noe av meldingen som begynner med" in said, number
        assert "Send resten som dokument" in said
    question = flow.question_step(c.questions[0].id)
    assert question not in t.session.answers or not t.session.answers[question].text, (
        "no part of the paste became the answer to the next question"
    )
    assert t.session.step == question


def test_adding_to_a_full_answer_says_nothing_was_saved(c: Consultation) -> None:
    t = at_the_first_theme(c)
    theme = flow.theme_step(c.themes[0].id)
    t.send(paste(50_000))
    before = t.session.answers[theme].text
    t.click("Legg til mer på forrige svar")
    t.send("Og en ting til som jeg glemte.")
    assert t.session.answers[theme].text == before
    assert "Svaret er fullt" in t.text
    assert "Jeg har ikke lagret noe av meldingen som begynner med «Og en ting til" in t.text
    assert t.session.step == theme, "still at the answer, which is shown again"


def test_more_text_on_a_full_quick_path_leaves_the_person_at_the_summary(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    t.press(flow.TYPE, "privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.send(paste(50_000))
    before = t.session.answers[flow.QUICK].text
    t.send("Her er litt mer tekst til slutt.")  # typed at the summary: more of the input
    assert "Jeg har ikke lagret noe av meldingen som begynner med «Her er litt mer" in t.text
    assert t.session.answers[flow.QUICK].text == before
    assert t.session.step == flow.SUMMARY
    assert "Når du trykker «Send inn»" in t.text, "the summary and its buttons again"
