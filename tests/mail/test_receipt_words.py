"""The receipt a person gets, read in their language: no bokmål headings and the words the chat
uses (no "Høring"). It carries the reference and themes, none of the person's text (#13), so
neither their answers nor the questions they answered are quoted in it."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation.build import localized
from bot.conversation.names import Pick
from bot.mail.compose import compose_receipt
from tests.conversation.talk import Talk


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


@pytest.mark.parametrize(("lang", "heading"), [("nn", "innspelet"), ("en", "input")])
def test_a_quick_receipt_has_no_bokmal_heading(
    consultation: Consultation, lang: str, heading: str
) -> None:
    t = send_quick(consultation, lang)
    text = receipt_text(consultation, t)
    assert heading in text.splitlines()[0]
    assert "Innspill" not in text.splitlines()
    assert "innspillet" not in text
    assert t.submissions[0].submission.reference in text
    assert "flere tog" not in text, "none of the person's text (#13)"


@pytest.mark.parametrize(
    ("lang", "ours", "not_said"),
    [
        ("nb", "Kvittering for innspillet ditt", ["Høring:", "temaer", "Vedtatt i styret"]),
        ("nn", "Kvittering for innspelet ditt", ["Høyring:", "Vedteke i styret"]),
        ("en", "Receipt for your input", ["Consultation:"]),
    ],
)
def test_a_receipt_uses_the_chats_words_and_quotes_nothing(
    consultation: Consultation, lang: str, ours: str, not_said: list[str]
) -> None:
    text = receipt_text(consultation, send_guided(consultation, lang))
    assert ours in text
    assert "Flere legevakter" not in text, "none of the person's text (#13)"
    original = consultation.questions[0].original or {}
    assert not original or original["nb"] not in text, "no question wording to mislabel"
    for words in not_said:
        assert words not in text
