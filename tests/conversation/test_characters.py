"""Invisible characters people paste: gone from names, answers and file names, emoji kept."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation.characters import remove_invisible
from bot.conversation.values import clean_answer, person_or_org_name
from bot.mail.compose import compose_ministry_message
from bot.mail.headers import clean_file_name, clean_header_text
from bot.service.file_types import safe_file_name
from tests.conftest import SEED
from tests.conversation.talk import Talk

FAMILY = "👨\u200d👩\u200d👧"
"""One emoji: a man, a woman and a girl held together by zero-width joiners."""
RAINBOW_FLAG = "🏳\ufe0f\u200d🌈"
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
"""A subdivision flag: a black flag followed by invisible tag characters."""


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("O\u200bla Nordmann", "Ola Nordmann"),  # zero-width space, as copied from a web page
        ("Kari\u2060 Nordmann", "Kari Nordmann"),  # word joiner
        ("\ufeffHarstad Byforening", "Harstad Byforening"),  # a byte order mark in front
        ("Per\u00adnille Hansen", "Pernille Hansen"),  # a soft hyphen
        ("\u202eKari\u202c Nordmann", "Kari Nordmann"),  # bidi controls stay removed
        ("Ola\u200c\u200dNordmann", "OlaNordmann"),  # joiners between letters mean nothing here
        (f"Familien {FAMILY}", f"Familien {FAMILY}"),  # joiners inside an emoji are kept
        (f"Stolt {RAINBOW_FLAG}", f"Stolt {RAINBOW_FLAG}"),
        (f"Fra {SCOTLAND}", f"Fra {SCOTLAND}"),
    ],
)
def test_format_characters_go_without_a_trace_except_inside_emoji(typed: str, clean: str) -> None:
    assert remove_invisible(typed) == clean
    assert person_or_org_name(typed) == clean
    assert clean_answer(typed) == clean
    assert clean_header_text(typed) == clean


def test_an_answer_keeps_its_line_breaks_and_its_emoji() -> None:
    typed = f"Første\u200b linje\r\nAndre linje {FAMILY}\u2028Tredje"
    assert clean_answer(typed) == f"Første linje\nAndre linje {FAMILY}\nTredje"


@pytest.mark.parametrize(
    ("name", "kind", "clean"),
    [
        ("inn\u200bspill.pdf", "pdf", "innspill.pdf"),
        ("fdp\u202e.exe", "pdf", "fdp.exe.pdf"),  # a bidi override cannot fake an extension
        (f"Familien {FAMILY}.txt", "txt", f"Familien {FAMILY}.txt"),
    ],
)
def test_file_names_are_cleaned_the_same_way(name: str, kind: str, clean: str) -> None:
    assert safe_file_name(name, kind) == clean  # type: ignore[arg-type]
    assert clean_file_name(name) == remove_invisible(name)  # in the e-mail header too


def test_a_name_with_a_zero_width_space_reaches_the_ministry_whole() -> None:
    from bot.consultation.loader import load_consultation

    c: Consultation = load_consultation(SEED)
    talk = Talk(c)
    talk.command("start", "rask")
    talk.click("Privatperson")
    talk.send("O\u200bla Nordmann")
    talk.send("Harstad")
    talk.send(f"Vi trenger flere busser. {FAMILY}")
    talk.click("Send inn")
    [submit] = talk.submissions
    sub = submit.submission
    assert sub.respondent.name == "Ola Nordmann"
    assert (sub.answers[-1].answer or "").endswith(FAMILY)
    mail = compose_ministry_message(
        sub, [], mail_from="innspill <innspill@example.org>", to=c.recipient, message_id="<a@b>"
    )
    assert "Ola Nordmann (Harstad – Hárstták)" in str(mail["Subject"])
    assert "Ola Nordmann via innspill" in str(mail["From"])
    body = mail.get_body(("plain",))
    assert body is not None
    assert "Ola Nordmann" in str(body.get_content())
    assert FAMILY in str(body.get_content())
