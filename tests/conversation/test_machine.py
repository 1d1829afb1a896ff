"""The conversation, path by path, through the pure engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.events import DeleteAllData, ForgetAttachments, IncomingDocument
from tests.conftest import EXAMPLE
from tests.conversation.talk import Talk


@pytest.fixture(scope="module")
def example() -> Consultation:
    return load_consultation(EXAMPLE)


def guided_to_themes(t: Talk) -> None:
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari Nordmann")
    t.send("harstad kommune")
    t.send("kari@example.no")


def quick_to_input(c: Consultation) -> Talk:
    """A private person on the quick path, at "paste or upload your input"."""
    t = Talk(c)
    t.command("start", "rask")
    t.click("Privatperson")
    t.send("Kari")
    t.send("Bodø")
    assert t.session.step == flow.QUICK
    return t


def test_start_shows_intro_notice_and_ways_to_answer(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    (welcome,) = t.replies  # one message: intro, notice and the first question
    assert "Strategi for småbyer" in welcome.text
    assert "1. mars 2021" in welcome.text
    assert "offentleglova" in welcome.text
    assert welcome.text.endswith("Hvordan vil du svare?")
    assert [ch.id for ch in t.buttons().choices] == ["guided", "quick", "lang"]


def test_guided_submission_has_every_answer_under_its_theme_and_question(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    assert t.session.respondent.municipality == "5503"
    t.click("Tilgjengelighet")
    t.click("Tjenester")
    assert t.replies[-1].replace_previous, "toggles edit the message in place"
    t.click("Ferdig")
    assert "Tema 1 av 2: Tilgjengelighet" in t.text
    t.send("Flere bussavganger.")
    (reply,) = t.replies  # the acknowledgement and the next question in one message
    assert reply.text.startswith("Lagret ✅")
    assert "Tema 2 av 2: Tjenester" in reply.text
    t.send("Legevakt i byen.")
    assert "Spørsmål 1 av 6" in t.text
    t.send("Samarbeid på tvers.")
    for _ in range(5):
        t.click("Hopp over")
    assert t.session.step == flow.SUMMARY
    assert "Flere bussavganger." in t.replies[0].text
    t.click("send inn")
    assert t.session.step == flow.DONE
    assert "SMB-D000-0000" in t.text
    (submit,) = t.submissions
    sub = submit.submission
    assert sub.reference == "SMB-D000-0000"
    assert sub.respondent.name == "Kari Nordmann"
    assert sub.respondent.municipality_name == "Harstad – Hárstták"
    assert sub.respondent.email == "kari@example.no"
    assert sub.themes == ["Tilgjengelighet", "Tjenester"]
    by_key = {a.key: a for a in sub.answers}
    assert by_key["t.tilgjengelighet"].answer == "Flere bussavganger."
    assert by_key["q.q1"].answer == "Samarbeid på tvers."
    assert by_key["q.q2"].skipped
    assert by_key["q.q2"].answer is None
    assert (by_key["q.q1"].original or "").startswith("Hva må til")
    # Personal data is not kept in the session after sending.
    assert t.session.respondent.name is None
    assert not t.session.answers


def test_quick_path_takes_about_six_interactions_with_a_document(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    interactions = 0
    actions: list[Callable[[], object]] = [
        lambda: t.click("Organisasjon"),
        lambda: t.send("Harstad Næringsforening"),
        lambda: t.send("Per Hansen"),
        lambda: t.send("Harstad"),
        lambda: t.send("post@harstad-naering.no"),
        lambda: t.upload(IncomingDocument("innspill.pdf", "application/pdf", 120_000, "A1")),
        lambda: t.click("send inn"),
    ]
    for action in actions:
        action()
        interactions += 1
    assert interactions <= 7, "type, organisation, name, kommune, e-mail, document, send"
    (submit,) = t.submissions
    assert submit.submission.flow == "quick"
    assert submit.submission.respondent.organisation == "Harstad Næringsforening"
    assert [a.file_name for a in submit.submission.attachments] == ["innspill.pdf"]


def test_long_answer_in_several_messages_stays_one_answer(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("skip")
    t.send("Første del av et langt innlegg.", ref="41")
    assert t.session.step == "q.q2", "a typed answer moves on at once"
    # Sent right after the first part, before the next question appeared (message 42 came
    # straight after 41): it continues the first answer, not the next question's.
    t.send("Andre del av det samme innlegget.", ref="42", follows="41")
    assert "Lagt til på «Spørsmål 1» ✅ Svaret har nå 2 deler." in t.text
    assert "Spørsmål 2 av 6" in t.text, "the question the person is at, asked again with it"
    assert t.session.step == "q.q2"
    assert "q.q2" not in t.session.answers
    answer = t.session.answers["q.q1"]
    assert answer.text == "Første del av et langt innlegg.\n\nAndre del av det samme innlegget."
    # Later, after reading the next question: more for the last answer via the button.
    t.click("Legg til mer på forrige svar")
    assert t.session.step == "q.q1"
    assert "Svaret ditt så langt" in t.text
    t.send("Tredje del.", ref="45", follows="44")
    assert t.session.answers["q.q1"].text.endswith("\n\nTredje del.")
    assert t.session.step == "q.q2", "and on again to where the person was"
    assert "Svaret har nå 3 deler" in t.text
    t.edit("41", "Første del, rettet.")
    assert "oppdatert" in t.text
    assert t.session.answers["q.q1"].text.startswith("Første del, rettet.")


@pytest.mark.parametrize(
    ("typed", "expected_step", "expected_text"),
    [
        ("ikke-en-epost", flow.EMAIL, "ser ikke riktig ut"),
        ("ola@example.no", flow.THEMES, "Hvilke tema"),
        ("/hopp", flow.THEMES, "Hvilke tema"),
    ],
)
def test_email_step(c: Consultation, typed: str, expected_step: str, expected_text: str) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari")
    t.send("Tromsø")
    t.send(typed)
    assert t.session.step == expected_step
    assert expected_text in t.text
    assert t.session.respondent.name == "Kari", "nothing already given is lost"


@pytest.mark.parametrize(
    ("typed", "expected_number", "expected_step"),
    [
        ("harstad kommune", "5503", flow.EMAIL),
        ("Guovdageaidnu", "5612", flow.EMAIL),
        ("Herøy", None, flow.MUNICIPALITY_PICK),
        ("Harsatd", None, flow.MUNICIPALITY_PICK),
        ("qwxyz", None, flow.MUNICIPALITY),
    ],
)
def test_municipality_is_normalised_or_asked_about(
    c: Consultation, typed: str, expected_number: str | None, expected_step: str
) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari")
    t.send(typed)
    assert t.session.respondent.municipality == expected_number
    assert t.session.step == expected_step


def test_ambiguous_municipality_is_picked_from_a_list(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari")
    t.send("Herøy")
    assert "Flere kommuner" in t.text
    t.click("Nordland")
    assert t.session.respondent.municipality == "1818"
    assert t.session.step == flow.EMAIL


def test_name_cannot_be_skipped_and_bad_name_is_explained(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.command("skip")
    assert t.session.step == flow.NAME
    assert "må du svare på" in t.text
    t.send("12")
    assert t.session.step == flow.NAME
    assert "navn" in t.text.lower()


def test_back_goes_to_the_previous_step_and_keeps_answers(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.click("Næringsutvikling")
    t.click("Ferdig")
    t.send("Mer industri.")
    assert t.session.step == "q.q1"
    t.command("back")
    assert t.session.step == "t.naering"
    assert "Mer industri." in t.text, "the earlier answer is shown"
    t.command("back")
    assert t.session.step == flow.THEMES
    assert t.session.answers["t.naering"].text == "Mer industri."


def test_back_at_first_step_says_so(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.command("back")
    assert t.session.step == flow.TYPE
    assert "første" in t.text


def test_old_button_never_changes_state(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    old = t.buttons()
    t.click("Privatperson")
    t.send("Kari")
    before = t.session.model_copy(deep=True)
    assert old.step is not None
    t.press(old.step, "kommune")
    assert "tidligere spørsmål" in t.text
    assert t.session.respondent == before.respondent
    assert t.session.step == before.step


def test_double_tap_on_send_submits_once(c: Consultation) -> None:
    t = quick_to_input(c)
    t.send("Mitt innspill om småbyer.")
    send_button = t.buttons()
    t.click("send inn")
    assert send_button.step is not None
    t.press(send_button.step, "send")
    assert len(t.submissions) == 1
    assert "allerede sendt" in t.text


def test_summary_edit_changes_an_answer_and_returns_to_summary(c: Consultation) -> None:
    t = quick_to_input(c)
    t.send("Første versjon.")
    t.click("Endre")
    t.click("Navnet ditt")
    assert t.session.step == flow.NAME
    t.send("Kari Hansen")
    assert t.session.step == flow.SUMMARY
    assert "Navn: Kari Hansen" in t.text


def test_quick_summary_offers_optional_email(c: Consultation) -> None:
    t = quick_to_input(c)
    t.send("Innspill.")
    t.click("Endre")
    t.click("E-post")
    t.send("kari@example.no")
    assert t.session.step == flow.SUMMARY
    assert t.session.respondent.email == "kari@example.no"


def test_cancel_asks_first_and_keeps_everything_on_no(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("cancel")
    assert t.session.step == flow.CANCEL
    t.click("Nei")
    assert t.session.step == flow.THEMES
    assert t.session.respondent.name == "Kari Nordmann"
    t.command("cancel")
    t.click("Ja")
    assert t.session.step == flow.START
    assert t.session.respondent.name is None
    assert t.session.draft_id.startswith("FRESH"), "a new draft gets a new id"


def test_cancel_forgets_attachments(c: Consultation) -> None:
    t = quick_to_input(c)
    t.upload(IncomingDocument("a.pdf", "application/pdf", 10, "ATT1"))
    t.command("cancel")
    t.click("Ja")
    assert ForgetAttachments(("ATT1",)) in t.effects


def test_delete_everything_emits_the_effect_after_confirmation(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("delete")
    assert not any(isinstance(e, DeleteAllData) for e in t.effects)
    t.click("Ja, slett alt")
    assert any(isinstance(e, DeleteAllData) for e in t.effects)
    assert t.session.respondent.name is None


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "location", "poll"])
def test_unsupported_input_is_explained_and_question_repeated(c: Consultation, kind: str) -> None:
    t = Talk(c)
    guided_to_themes(t)
    before = t.session.model_copy(deep=True)
    t.unsupported(kind)
    (reply,) = t.replies  # the explanation and the question again, in one message
    assert "Hvilke tema" in reply.text
    assert not reply.text.startswith("Hvilke tema")
    assert t.session.respondent == before.respondent
    assert t.session.step == before.step


def test_documents_album_is_confirmed_once_with_count(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    t.click("Organisasjon")
    t.send("Lag")
    t.send("Per")
    t.upload(
        IncomingDocument("a.pdf", "application/pdf", 1000, "A"),
        IncomingDocument("b.docx", "application/msword", 1000, "B"),
        IncomingDocument("c.odt", "application/odt", 1000, "C"),
    )
    assert "3 vedlegg mottatt" in t.replies[0].text
    assert len(t.session.attachments) == 3
    assert t.session.step == flow.SUMMARY


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            IncomingDocument("big.pdf", "application/pdf", 31 * 1024 * 1024, None, "too_large"),
            "for stor",
        ),
        (
            IncomingDocument("bilde.png", "image/png", 2000, None, "unsupported_type"),
            "kan jeg ikke ta imot",
        ),
        (
            IncomingDocument("x.pdf", "application/pdf", 2000, None, "download_failed"),
            "fikk ikke hentet",
        ),
    ],
)
def test_bad_documents_are_explained(c: Consultation, doc: IncomingDocument, message: str) -> None:
    t = quick_to_input(c)
    t.upload(doc)
    assert message in t.text
    assert t.session.attachments == []
    assert t.session.step == flow.QUICK


def test_total_size_limit_counts_every_attachment(c: Consultation) -> None:
    t = quick_to_input(c)
    mb = 1024 * 1024
    t.upload(IncomingDocument("a.pdf", "application/pdf", 15 * mb, "A"))
    t.upload(IncomingDocument("b.pdf", "application/pdf", 8 * mb, "B"))
    assert "til sammen" in t.text
    assert [a.id for a in t.session.attachments] == ["A"]
    assert ForgetAttachments(("B",)) in t.effects


def test_removing_an_attachment_before_sending(c: Consultation) -> None:
    t = quick_to_input(c)
    t.upload(IncomingDocument("a.pdf", "application/pdf", 100, "A"))
    t.click("Endre")
    t.click("Fjern vedlegg: a.pdf")
    assert t.session.attachments == []
    assert ForgetAttachments(("A",)) in t.effects


def test_personal_data_warning_lets_the_person_decide(c: Consultation) -> None:
    t = quick_to_input(c)
    t.send("Ring naboen min på 912 34 567 om dette.")
    t.click("send inn")
    assert t.session.step == flow.PERSONAL_DATA
    assert "offentlige" in t.text
    assert not t.submissions
    t.click("Send likevel")
    assert len(t.submissions) == 1


def test_ordinary_numbers_give_no_personal_data_warning(c: Consultation) -> None:
    t = quick_to_input(c)
    t.send("I 2021 brukte kommunen 25 000 000 kr på 24 000 innbyggere.")
    t.click("send inn")
    assert len(t.submissions) == 1


def test_start_with_a_draft_offers_to_continue(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("start")
    assert t.session.step == flow.RESUME
    t.click("Fortsett")
    assert t.session.step == flow.THEMES
    t.command("start")
    t.click("Start på nytt")
    assert t.session.respondent.name is None
    assert t.session.step == flow.START


def test_start_after_submission_shows_reference_and_offers_new(c: Consultation) -> None:
    t = quick_to_input(c)
    t.send("Innspill.")
    t.click("send inn")
    t.command("start")
    assert "SMB-" in t.text
    t.click("Send et nytt innspill")
    assert t.session.step == flow.START
    assert t.session.status == "draft"


def test_language_switch_keeps_answers_and_reshows_question(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("language")
    t.click("Nynorsk")
    assert t.session.lang == "nn"
    assert t.session.step == flow.THEMES
    assert t.session.respondent.name == "Kari Nordmann"
    theme_button_labels = [ch.label for ch in t.buttons().choices]
    assert any("Næringsutvikling" in label for label in theme_button_labels)


def test_status_tells_what_is_left(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.click("Tjenester")
    t.click("Ferdig")
    t.command("skip")
    t.command("status")
    assert "0 av 6 spørsmål" in t.text, "themes are not counted as questions"
    assert "Hoppet over: Tjenester" in t.text
    assert "Spørsmål 6" in t.text


def test_help_shows_the_question_help_and_commands(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("skip")
    t.command("help")
    assert c.questions[0].help["nb"] in t.text
    assert "/tilbake" in t.text


def test_typed_label_picks_a_choice(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    t.send("2")
    assert t.session.flow == "quick"
    t.send("privatperson")
    assert t.session.respondent.type == "privatperson"


def test_unknown_command_is_answered_kindly(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.send("/foobar")
    assert "kjenner jeg ikke" in t.text
    assert t.session.step == flow.THEMES


def test_required_question_of_another_consultation(example: Consultation) -> None:
    t = Talk(example)
    t.command("start")
    assert [ch.id for ch in t.buttons().choices] == ["guided", "lang"], "no quick path here"
    t.click("Svar")
    t.click(example.respondent.types[0].label["nb"])
    while t.session.step not in {flow.SUMMARY} and not t.session.step.startswith("q."):
        if t.session.step == flow.THEMES:
            t.command("skip")
        elif t.session.step == flow.NAME:
            t.send("Kari")
        else:
            t.command("skip")
    required = [q for q in example.questions if not q.optional]
    assert required
    while t.session.step != flow.SUMMARY:
        t.command("skip")
        if t.session.step == f"q.{required[0].id}":
            assert "må du svare på" in t.text
            t.send("Et svar.")
    t.click("send inn")
    assert len(t.submissions) == 1


def test_quick_path_may_name_themes_from_the_summary(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    t.click("Kommune")
    t.send("Harstad kommune")
    t.send("Per Hansen")
    t.send("Vårt innspill.")
    t.click("tema innspillet")
    t.click("Næringsutvikling")
    t.click("Ferdig")
    assert t.session.step == flow.SUMMARY
    assert "Næringsutvikling" in t.replies[0].text
    t.click("send inn")
    assert t.submissions[0].submission.themes == ["Næringsutvikling"]
    assert [a.key for a in t.submissions[0].submission.answers] == ["quick"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Kari@Example.NO", "Kari@example.no"),
        ("<kari@example.no>", "kari@example.no"),
        ("ståle@example.no", None),
        ("kari@example", None),
        ("kari@example.no\r\nBcc: evil@example.com", None),
    ],
)
def test_email_values(c: Consultation, typed: str, stored: str | None) -> None:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari")
    t.send("Bodø")
    t.send(typed)
    assert t.session.respondent.email == stored


@pytest.mark.parametrize(("confirmed", "hint"), [(True, False), (False, True)])
def test_unknown_client_language_gets_the_switch_pointed_out(
    c: Consultation, confirmed: bool, hint: bool
) -> None:
    t = Talk(c)
    t.session.lang_confirmed = confirmed
    t.command("start")
    assert ("English?" in t.buttons().text) is hint


def test_a_caption_sent_with_a_document_joins_the_input(c: Consultation) -> None:
    t = quick_to_input(c)
    t.upload(
        IncomingDocument("vedtak.pdf", "application/pdf", 900, "A"),
        caption="Vedtatt i styremøtet i går.",
    )
    assert t.session.answers["quick"].text == "Vedtatt i styremøtet i går."
    assert "Vedtatt i styremøtet i går." in t.text, "the summary shows it"


def test_privacy_command_tells_what_is_stored_and_for_how_long(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("privacy")
    assert "30 dager" in t.text
    assert "offentlig" in t.text
    assert "/slett" in t.text
    assert t.session.step == flow.THEMES


def test_writing_again_after_days_is_welcomed_back_and_nothing_is_lost(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.click("Tjenester")
    t.click("Ferdig")
    t.now += timedelta(days=2)
    t.send("Legevakt som er åpen om natta.")
    assert "Velkommen tilbake" in t.replies[0].text
    assert t.session.answers["t.tjenester"].text == "Legevakt som er åpen om natta."
    t.send("Og jordmor.")
    assert "Velkommen tilbake" not in t.text, "only after a long pause"


def test_skip_button_of_an_answered_question_moves_on_and_keeps_the_answer(
    c: Consultation,
) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("skip")
    question = t.buttons()
    assert question.step == "q.q1"
    t.send("Mitt svar.")
    t.press("q.q1", "skip")
    assert t.session.step == "q.q2"
    assert t.session.answers["q.q1"].text == "Mitt svar."
    assert "q.q1" not in t.session.skipped


def test_a_draft_survives_a_question_removed_from_the_file(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.command("skip")
    t.click("Hopp over")
    t.click("Hopp over")
    assert t.session.step == "q.q3"
    trimmed = c.model_copy(update={"questions": [q for q in c.questions if q.id != "q3"]})
    t.c = trimmed
    t.send("Et svar.")
    assert t.session.answers["q.q4"].text == "Et svar.", "the first open question took it"
    assert t.session.step == "q.q5"
    assert t.session.respondent.name == "Kari Nordmann"


def test_newly_chosen_theme_from_the_summary_is_asked_before_returning(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.click("Tjenester")
    t.click("Ferdig")
    t.send("Legevakt.")
    t.command("summary")
    t.click("Endre")
    t.click("Valg av tema")
    t.click("Næringsutvikling")
    t.click("Ferdig")
    assert t.session.step == "t.naering"
    t.send("Flere gründere.")
    assert t.session.step == flow.SUMMARY


def test_more_text_at_the_quick_summary_is_added_to_the_input(c: Consultation) -> None:
    t = quick_to_input(c)
    t.send("Første del.")
    assert t.session.step == flow.SUMMARY
    t.send("Andre del, med flere ord i seg.")
    assert t.session.step == flow.SUMMARY
    assert t.session.answers["quick"].text == "Første del.\n\nAndre del, med flere ord i seg."
    assert "Andre del, med flere ord i seg." in t.text, "the summary is shown again with it"


def test_unticking_a_theme_by_mistake_keeps_its_answer(c: Consultation) -> None:
    t = Talk(c)
    guided_to_themes(t)
    t.click("Tjenester")
    t.click("Ferdig")
    t.send("Legevakt.")
    t.command("back")
    t.command("back")
    t.click("Tjenester")  # off
    t.click("Næringsutvikling")
    t.click("Ferdig")
    assert t.session.step == "t.naering"
    t.command("back")
    t.click("Tjenester")  # on again
    t.click("Ferdig")
    assert t.session.answers["t.tjenester"].text == "Legevakt."


def test_chatting_at_the_start_repeats_only_the_question(c: Consultation) -> None:
    t = Talk(c)
    t.send("hei")
    (first,) = t.replies
    assert "offentleglova" in first.text, "first contact: intro, notice and the question"
    t.send("hallo?")
    assert len(t.replies) == 1
    assert t.replies[0].text == "Hvordan vil du svare?"
    assert [ch.id for ch in t.replies[0].choices] == ["guided", "quick", "lang"]
