"""The send-time question about personal data says where it was found: typed text can be
changed in the chat, a document cannot, so a document is named and can be removed instead."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.events import ForgetAttachments, IncomingDocument
from bot.conversation.names import Pick
from tests.conversation.talk import Talk

FNR = "15076500565"
PHONE = "912 34 567"


def document(name: str, attachment_id: str, text: str) -> IncomingDocument:
    return IncomingDocument(name, "application/pdf", 2000, attachment_id, text=text)


def quick_draft(c: Consultation, lang: str = "nb", text: str = "Vi vil ha flere tog.") -> Talk:
    t = Talk(c, lang)
    t.command("start", "rask")
    t.press(flow.TYPE, "privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.send(text)
    assert t.session.step == flow.SUMMARY
    return t


def labels(t: Talk) -> list[str]:
    return [choice.label for choice in t.buttons().choices]


@pytest.mark.parametrize(
    ("lang", "named", "cannot", "remove", "send", "change"),
    [
        (
            "nb",
            "Dokumentet «klage.pdf» ser ut til å inneholde personopplysninger: 150765*****.",
            "Et dokument kan ikke endres her. Vil du fjerne det, eller sende likevel?",
            "Fjern vedlegg: klage.pdf",
            "Send likevel",
            "Gå tilbake og endre",
        ),
        (
            "nn",
            "Dokumentet «klage.pdf» ser ut til å innehalde personopplysningar: 150765*****.",
            "Eit dokument kan ikkje endrast her. Vil du fjerne det, eller sende likevel?",
            "Fjern vedlegg: klage.pdf",
            "Send likevel",
            "Gå tilbake og endre",
        ),
        (
            "en",
            "The document “klage.pdf” seems to contain personal data: 150765*****.",
            "A document cannot be changed here. Do you want to remove it, or send anyway?",
            "Remove attachment: klage.pdf",
            "Send anyway",
            "Go back and change",
        ),
    ],
)
def test_personal_data_only_in_a_document_names_it_and_offers_to_remove_it(
    c: Consultation, lang: str, named: str, cannot: str, remove: str, send: str, change: str
) -> None:
    t = quick_draft(c, lang)
    t.upload(document("klage.pdf", "A1", f"Naboen har fødselsnummer {FNR}."))
    t.press(flow.SUMMARY, Pick.SEND)
    assert t.session.step == flow.PERSONAL_DATA
    assert named in t.text
    assert cannot in t.text
    assert labels(t) == [send, remove]
    assert change not in labels(t), "a PDF cannot be changed in the chat"


def test_removing_the_document_takes_it_out_and_shows_the_summary_to_send(
    c: Consultation,
) -> None:
    t = quick_draft(c)
    t.upload(document("klage.pdf", "A1", f"Naboen har fødselsnummer {FNR}."))
    t.upload(document("plan.pdf", "A2", "Vi vil ha flere tog."))
    t.press(flow.SUMMARY, Pick.SEND)
    t.click("Fjern vedlegg: klage.pdf")
    assert [a.file_name for a in t.session.attachments] == ["plan.pdf"]
    assert ForgetAttachments(("A1",)) in t.effects
    assert "Vedlegget «klage.pdf» er fjernet." in t.text
    assert t.session.step == flow.SUMMARY
    assert not t.submissions, "nothing is sent until the person presses «Send inn» again"
    t.press(flow.SUMMARY, Pick.SEND)
    [sent] = t.submissions
    assert [a.file_name for a in sent.submission.attachments] == ["plan.pdf"]


def test_an_old_remove_button_changes_nothing(c: Consultation) -> None:
    t = quick_draft(c)
    t.upload(document("klage.pdf", "A1", f"Naboen har fødselsnummer {FNR}."))
    t.press(flow.SUMMARY, Pick.SEND)
    t.click("Fjern vedlegg: klage.pdf")
    t.upload(document("klage2.pdf", "A2", f"Og her igjen: {FNR}."))
    t.press(flow.SUMMARY, Pick.SEND)
    t.press(flow.PERSONAL_DATA, "rm-A1")  # the button from the first question
    assert [a.file_name for a in t.session.attachments] == ["klage2.pdf"]


def test_sending_anyway_sends_the_document_too(c: Consultation) -> None:
    t = quick_draft(c)
    t.upload(document("klage.pdf", "A1", f"Naboen har fødselsnummer {FNR}."))
    t.press(flow.SUMMARY, Pick.SEND)
    t.click("Send likevel")
    [sent] = t.submissions
    assert [a.file_name for a in sent.submission.attachments] == ["klage.pdf"]


def test_personal_data_only_in_typed_text_keeps_its_offer_to_change_the_text(
    c: Consultation,
) -> None:
    t = quick_draft(c, text=f"Ring naboen min på {PHONE} om dette.")
    t.press(flow.SUMMARY, Pick.SEND)
    assert "Teksten ser ut til å inneholde personopplysninger" in t.text
    assert "Vil du sende likevel, eller endre teksten først?" in t.text
    assert "Dokument" not in t.text
    assert labels(t) == ["Send likevel", "Gå tilbake og endre"]


def test_with_both_the_question_says_both_and_offers_both(c: Consultation) -> None:
    t = quick_draft(c, text=f"Ring naboen min på {PHONE} om dette.")
    t.upload(document("klage.pdf", "A1", f"Naboen har fødselsnummer {FNR}."))
    t.press(flow.SUMMARY, Pick.SEND)
    said = t.text
    assert "Teksten ser ut til å inneholde personopplysninger: 912 ** ***." in said
    assert "Dokumentet «klage.pdf» ser ut til å inneholde personopplysninger" in said
    assert "Vil du sende likevel, endre teksten eller fjerne dokumentet?" in said
    assert labels(t) == ["Send likevel", "Gå tilbake og endre", "Fjern vedlegg: klage.pdf"]
    t.click("Gå tilbake og endre")
    assert t.session.step == flow.EDIT


def test_several_documents_are_each_named_and_each_can_be_removed(c: Consultation) -> None:
    t = quick_draft(c)
    t.upload(document("a.pdf", "A1", f"Fødselsnummer {FNR}."))
    t.upload(document("b.pdf", "A2", f"Telefon {PHONE}."))
    t.press(flow.SUMMARY, Pick.SEND)
    named = "Disse dokumentene ser ut til å inneholde personopplysninger: «a.pdf», «b.pdf»."
    assert named in t.text
    assert "Dokumenter kan ikke endres her. Vil du fjerne dem, eller sende likevel?" in t.text
    assert labels(t) == ["Send likevel", "Fjern vedlegg: a.pdf", "Fjern vedlegg: b.pdf"]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_question_stays_one_readable_message(c: Consultation, lang: str) -> None:
    t = quick_draft(c, lang, text=f"Ring naboen min på {PHONE} eller på 987 65 432.")
    for number in range(1, 4):
        t.upload(document(f"vedlegg-{number}.pdf", f"A{number}", f"Fødselsnummer {FNR}."))
    t.press(flow.SUMMARY, Pick.SEND)
    question = t.buttons()
    assert question.step == flow.PERSONAL_DATA
    assert len(question.text) <= 600
