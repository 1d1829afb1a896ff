"""The receipt a person gets, read in their language: no bokmål headings, our translations
marked as ours, and the words the chat uses ("tema", "Vedtatt av styret", no "Høring")."""

from __future__ import annotations

import pytest

from bot.engine.build import localized
from bot.engine.model import Consultation
from bot.engine.names import Pick
from bot.mail.compose import compose_receipt
from tests.engine.talk import Talk


def receipt_text(c: Consultation, t: Talk) -> str:
    sub = t.submissions[0].submission
    mail = compose_receipt(
        localized(c, sub, t.lang),
        mail_from="innspill@example.no",
        to="kari@example.no",
        message_id="<r@example.no>",
    )
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def send_quick(c: Consultation, lang: str) -> Talk:
    t = Talk(c, lang)
    t.command("start", "rask")
    t.press(t.buttons().step or "", "organisasjon")
    t.send("Harstad Idrettslag")
    t.send("Kari Nordmann")
    t.send("Vi vil ha flere tog mellom byene i regionen vår.")
    t.press(t.buttons().step or "", Pick.SEND)
    return t


def send_guided(c: Consultation, lang: str) -> Talk:
    t = Talk(c, lang)
    t.command("start")
    t.press(t.buttons().step or "", Pick.GUIDED)
    t.press(t.buttons().step or "", "organisasjon")
    t.send("Harstad Idrettslag")
    t.command("skip")
    t.send("12.2.2021")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.send("kari@example.no")
    t.command("skip")  # no themes
    t.send("Flere legevakter.")
    t.command("summary")
    t.press(t.buttons().step or "", Pick.SEND)
    return t


@pytest.mark.parametrize(("lang", "heading"), [("nn", "Innspel"), ("en", "Input")])
def test_a_quick_receipt_has_no_bokmal_heading(
    consultation: Consultation, lang: str, heading: str
) -> None:
    text = receipt_text(consultation, send_quick(consultation, lang))
    lines = text.splitlines()
    assert heading in lines
    assert "Innspill" not in lines


@pytest.mark.parametrize(
    ("lang", "ours", "not_said"),
    [
        ("nb", "Departementets ordlyd:", ["Høring:", "temaer", "Vedtatt i styret"]),
        ("nn", "Ordlyden til departementet (omsett av oss):", ["Høyring:", "Vedteke i styret"]),
        ("en", "The ministry's wording (our translation):", ["Consultation:"]),
    ],
)
def test_a_receipt_marks_our_translation_and_uses_the_chats_words(
    consultation: Consultation, lang: str, ours: str, not_said: list[str]
) -> None:
    text = receipt_text(consultation, send_guided(consultation, lang))
    assert ours in text
    for words in not_said:
        assert words not in text
