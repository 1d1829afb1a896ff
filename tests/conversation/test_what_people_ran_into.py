"""Where people tripped (issue #12), tried again as they would: quick path, empty drafts,
receipts, documents with personal data, and the words in bokmål, nynorsk and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.consultation.model import pick as in_lang
from bot.conversation import flow
from bot.conversation.commands import parse_command
from bot.conversation.context import Limits
from bot.conversation.events import IncomingDocument
from bot.conversation.names import Pick
from tests.conversation.talk import Talk

ROOT = Path(__file__).resolve().parents[2]
LANGS = ["nb", "nn", "en"]


@pytest.fixture(scope="module")
def c() -> Consultation:
    return load_consultation(ROOT / "conversations" / "strategi-for-smabyer.toml")


def pick(t: Talk, choice: str) -> None:
    """Press the button with this id on the latest keyboard (the same in every language)."""
    t.press(t.buttons().step or "", choice)


def labels(t: Talk) -> list[str]:
    return [ch.label for ch in t.buttons().choices]


# --- the quick path ----------------------------------------------------------------------


def test_a_person_goes_from_the_link_to_the_reference_in_six_steps(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    pick(t, "privatperson")
    t.send("Kari Nordmann")
    t.send("Bodø")
    t.send("Vi trenger flere bussavganger mellom byen og bygdene rundt.")
    pick(t, Pick.SEND)
    assert t.session.seq <= 6, "every event the person sent counts as a step"
    assert "Referansenummer" in t.text
    sent = t.submissions[0].submission
    assert sent.respondent.name == "Kari Nordmann"
    assert sent.respondent.type_id == "privatperson"
    assert sent.respondent.municipality_number == "1804"
    assert "bussavganger" in (sent.answers[0].answer or "")


def test_an_association_goes_from_the_link_to_the_reference_in_six_steps(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    pick(t, "organisasjon")
    t.send("Harstad Idrettslag")
    t.send("Per Hansen")
    t.upload(IncomingDocument("innspill.pdf", "application/pdf", 2000, "A1"))
    pick(t, Pick.SEND)
    assert t.session.seq <= 6, "every event the person sent counts as a step"
    sent = t.submissions[0].submission
    assert sent.respondent.organisation == "Harstad Idrettslag"
    assert sent.respondent.name == "Per Hansen"
    assert [a.file_name for a in sent.attachments] == ["innspill.pdf"]


def test_the_quick_path_still_takes_an_email_address_from_the_summary(c: Consultation) -> None:
    t = Talk(c)
    t.command("start", "rask")
    pick(t, "organisasjon")
    t.send("Harstad Idrettslag")
    t.send("Per Hansen")
    t.send("Vårt innspill om idrettshaller og busser i hele regionen.")
    t.click("Endre noe")
    t.click("E-post")
    t.send("per@example.no")
    assert t.session.step == flow.SUMMARY
    pick(t, Pick.SEND)
    assert "kvittering på e-post til per@example.no" in t.text


def quick_with_text(c: Consultation, lang: str = "nb") -> Talk:
    t = Talk(c, lang)
    t.command("start", "rask")
    pick(t, "privatperson")
    t.send("Kari")
    t.send("Bodø")
    t.send("Første versjon av innspillet vårt, med mange ord.")
    assert t.session.step == flow.SUMMARY
    return t


def open_the_text_from_the_summary(t: Talk) -> None:
    pick(t, Pick.EDIT)
    pick(t, flow.QUICK)


@pytest.mark.parametrize(
    ("lang", "replace", "add", "keep"),
    [
        ("nb", "Erstatt teksten", "Legg til mer tekst", "Behold teksten"),
        ("nn", "Byt ut teksten", "Legg til meir tekst", "Behald teksten"),
        ("en", "Replace the text", "Add more text", "Keep the text"),
    ],
)
def test_the_pasted_text_can_be_replaced_added_to_or_kept(
    c: Consultation, lang: str, replace: str, add: str, keep: str
) -> None:
    t = quick_with_text(c, lang)
    open_the_text_from_the_summary(t)
    assert labels(t) == [replace, add, keep + " ➡️"]

    t.click(replace)
    t.send("Ny tekst som erstatter den gamle helt.")
    assert t.session.answers["quick"].text == "Ny tekst som erstatter den gamle helt."
    assert t.session.step == flow.SUMMARY

    open_the_text_from_the_summary(t)
    t.click(add)
    t.send("Og et tillegg.")
    assert t.session.answers["quick"].text.endswith("helt.\n\nOg et tillegg.")

    open_the_text_from_the_summary(t)
    t.click(keep)
    assert t.session.step == flow.SUMMARY
    assert t.session.answers["quick"].text.endswith("Og et tillegg.")


@pytest.mark.parametrize("typed", ["ok", "ferdig", "takk", "7", "ja takk"])
def test_a_short_word_on_the_summary_gets_a_question_not_a_place_in_the_input(
    c: Consultation, typed: str
) -> None:
    t = quick_with_text(c)
    before = t.session.answers["quick"].text
    t.send(typed, numbered=True)
    assert t.session.answers["quick"].text == before
    assert t.session.step == flow.SUMMARY
    assert f"Skal «{typed}» med i innspillet?" in t.text
    assert not t.submissions, "nothing is sent without pressing «Send inn»"
    t.click("Legg til mer tekst")
    t.send(typed)
    assert t.session.answers["quick"].text == f"{before}\n\n{typed}", "added when asked for"


def test_a_number_from_the_summary_menu_still_picks_that_choice(c: Consultation) -> None:
    t = quick_with_text(c)
    t.send("1", numbered=True)  # «Send inn», the first line of the terminal's menu
    assert len(t.submissions) == 1


# --- nothing to send ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("nb", "Innspillet er tomt ennå, så jeg kan ikke sende det. Svar på minst ett spørsmål"),
        ("nn", "Innspelet er tomt enno, så eg kan ikkje sende det. Svar på minst eitt spørsmål"),
        ("en", "Your input is still empty, so I cannot send it. Answer at least one question"),
    ],
)
def test_an_empty_submission_is_refused_kindly(c: Consultation, lang: str, says: str) -> None:
    t = Talk(c, lang)
    t.command("start")
    pick(t, Pick.GUIDED)
    pick(t, "privatperson")
    t.send("Kari")
    for _ in range(3 + len(c.questions)):  # municipality, e-mail, themes, every question
        t.command("skip")
    assert t.session.step == flow.SUMMARY
    pick(t, Pick.SEND)
    assert not t.submissions
    assert says in t.text
    assert t.session.step == flow.question_step(c.questions[0].id), "taken to a question"
    t.send("Flere legevakter.")
    pick(t, Pick.NEXT)
    assert t.session.step == flow.SUMMARY, "and back to the summary after one answer"
    pick(t, Pick.SEND)
    assert len(t.submissions) == 1


# --- receipts switched off ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "receipt"), [("nb", "kvittering"), ("nn", "kvittering"), ("en", "receipt")]
)
def test_without_receipts_nobody_is_asked_or_promised_one(
    c: Consultation, lang: str, receipt: str
) -> None:
    t = Talk(c, lang, limits=Limits(send_receipts=False))
    t.command("start")
    pick(t, Pick.GUIDED)
    pick(t, "privatperson")
    t.send("Kari")
    said = [t.text]
    t.send("Bodø")
    said.append(t.text)
    assert t.session.step == flow.EMAIL
    t.send("kari@example.no")
    t.command("summary")
    said.append(t.text)
    pick(t, Pick.EDIT)
    said.append(" ".join(labels(t)))
    pick(t, flow.QUESTION_PREFIX + c.questions[0].id)
    t.send("Flere legevakter.")
    pick(t, Pick.NEXT)
    pick(t, Pick.SEND)
    said.append(t.text)
    assert len(t.submissions) == 1
    assert receipt not in " ".join(said).lower()


def test_with_receipts_the_email_question_says_what_it_is_for(c: Consultation) -> None:
    t = Talk(c)
    t.command("start")
    pick(t, Pick.GUIDED)
    pick(t, "privatperson")
    t.send("Kari")
    t.send("Bodø")
    assert "kvittering på e-post" in t.text


# --- personal data in documents ----------------------------------------------------------


def test_personal_data_in_an_uploaded_document_is_warned_about_like_typed_text(
    c: Consultation,
) -> None:
    t = Talk(c)
    t.command("start", "rask")
    pick(t, "privatperson")
    t.send("Kari")
    t.send("Bodø")
    t.upload(
        IncomingDocument(
            "klage.txt", "text/plain", 80, "A1", text="Naboen min har fødselsnummer 15076500565."
        )
    )
    assert "«klage.txt» ser ut til å inneholde personopplysninger" in t.text
    pick(t, Pick.SEND)
    assert t.session.step == flow.PERSONAL_DATA, "the send check asks, as for typed text"
    assert not t.submissions
    t.click("Send likevel")
    assert len(t.submissions) == 1


def test_a_document_without_personal_data_goes_through_without_a_warning(
    c: Consultation,
) -> None:
    t = Talk(c)
    t.command("start", "rask")
    pick(t, "privatperson")
    t.send("Kari")
    t.send("Bodø")
    t.upload(IncomingDocument("plan.txt", "text/plain", 40, "A1", text="Vi vil ha flere tog."))
    assert "personopplysninger" not in t.text
    pick(t, Pick.SEND)
    assert len(t.submissions) == 1


# --- words -------------------------------------------------------------------------------


def guided_at_question_one(c: Consultation, lang: str) -> Talk:
    t = Talk(c, lang)
    t.command("start")
    pick(t, Pick.GUIDED)
    pick(t, "privatperson")
    t.send("Kari")
    t.send("Bodø")
    t.command("skip")  # e-mail
    pick(t, "tjenester")
    pick(t, Pick.DONE)
    t.send("Legen må bli lenger.")
    pick(t, Pick.NEXT)
    assert t.session.step == flow.question_step(c.questions[0].id)
    return t


@pytest.mark.parametrize(
    ("lang", "button", "label"),
    [
        ("nb", "Vis departementets spørsmål", "Departementets spørsmål: «"),
        ("nn", "Vis spørsmålet frå departementet", "Spørsmålet frå departementet (omsett av oss)"),
        ("en", "Show the ministry's question", "The ministry's question (our translation)"),
    ],
)
def test_the_ministrys_question_is_shown_on_request_and_labelled_as_ours_when_translated(
    c: Consultation, lang: str, button: str, label: str
) -> None:
    t = guided_at_question_one(c, lang)
    assert c.questions[0].original is not None
    original = in_lang(c.questions[0].original, lang)
    assert original not in t.text, "not under every question"
    t.click(button)
    assert label in t.text
    assert original in t.text
    # /hjelp stays one short message with the question; the button is still under it.
    t.command("help")
    t.click(button)
    assert original in t.text, "still one tap away after /hjelp"


@pytest.mark.parametrize(
    ("lang", "questions", "themes", "left"),
    [
        ("nb", "Du har svart på 0 av 6 spørsmål.", "Tema: 1 av 1.", "Gjenstår: Spørsmål 1"),
        ("nn", "av 6 spørsmål", "Tema: 1 av 1.", "Står att: Spørsmål 1"),
        ("en", "of 6 questions", "Themes: 1 of 1.", "Still to do: Question 1"),
    ],
)
def test_status_counts_questions_as_the_screens_do(
    c: Consultation, lang: str, questions: str, themes: str, left: str
) -> None:
    t = guided_at_question_one(c, lang)
    t.command("status")
    assert questions in t.text
    assert themes in t.text
    assert left in t.text
    assert "Igjen" not in t.text


def test_status_on_the_quick_path_does_not_count_one_question(c: Consultation) -> None:
    t = quick_with_text(c)
    t.command("status")
    assert "1 av 1" not in t.text
    assert "Innspillet ditt har tekst." in t.text


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("nb", "Du er på siste steg, så her er det ikke noe å hoppe over."),
        ("nn", "Du er på siste steg, så her er det ikkje noko å hoppe over."),
        ("en", "This is the last step, so there is nothing to skip here."),
    ],
)
def test_skip_on_the_summary_gets_a_sensible_answer(c: Consultation, lang: str, says: str) -> None:
    t = quick_with_text(c, lang)
    t.command("skip")
    assert says in t.text
    assert "må du svare på" not in t.text
    assert t.session.step == flow.SUMMARY
    assert t.buttons().choices[0].id == Pick.SEND


@pytest.mark.parametrize(
    ("lang", "quoted"), [("nb", "«Send inn»"), ("nn", "«Send inn»"), ("en", "“Send”")]
)
def test_the_summary_text_names_the_send_button_as_it_reads(
    c: Consultation, lang: str, quoted: str
) -> None:
    t = quick_with_text(c, lang)
    t.command("summary")
    assert quoted in t.text
    send = next(ch for ch in t.buttons().choices if ch.id == Pick.SEND)
    assert send.label.endswith(quoted.strip("«»“”"))


@pytest.mark.parametrize(
    ("lang", "person", "organisation"),
    [
        ("nb", "Hvilken kommune bor du i?", "Hvilken kommune holder dere til i?"),
        ("nn", "Kva kommune bur du i?", "Kva kommune held de til i?"),
        ("en", "Which municipality do you live in?", "Which municipality are you based in?"),
    ],
)
def test_the_municipality_question_fits_who_is_answering(
    c: Consultation, lang: str, person: str, organisation: str
) -> None:
    t = Talk(c, lang)
    t.command("start")
    pick(t, Pick.GUIDED)
    pick(t, "privatperson")
    t.send("Kari")
    assert person in t.text
    t = Talk(c, lang)
    t.command("start")
    pick(t, Pick.GUIDED)
    pick(t, "naeringsliv")
    t.send("Harstad Bakeri")
    t.command("skip")  # organisation number
    t.send("Kari")
    assert organisation in t.text


@pytest.mark.parametrize("lang", LANGS)
def test_the_ministry_is_named_in_full_where_a_person_reads_it(c: Consultation, lang: str) -> None:
    t = quick_with_text(c, lang)
    said = list(t.replies)
    summary = t.text
    t.command("privacy")
    said += t.replies
    pick(t, Pick.SEND)
    said += t.replies
    notice = in_lang(c.publication_notice, lang)  # the intro spells out its "KMD"
    assert not [r.text for r in said if "KMD" in r.text and notice not in r.text]
    assert in_lang(c.ministry, lang) in summary
    assert in_lang(c.ministry, lang) in t.text


@pytest.mark.parametrize(
    ("lang", "stored", "kept", "telegram"),
    [
        (
            "nb",
            ["navnet ditt", "e-postadressen", "kommunen", "organisasjonsnummeret", "Telegram-id"],
            "Boten beholder også en kopi av det du sendte, til du sletter den med /slett.",
            "Telegram frakter meldingene",
        ),
        (
            "nn",
            ["namnet ditt", "e-postadressa", "kommunen", "organisasjonsnummeret", "Telegram-id"],
            "Boten held også på ein kopi av det du sende, til du slettar han med /slett.",
            "Telegram fraktar meldingane",
        ),
        (
            "en",
            ["your name", "e-mail address", "municipality", "organisation number", "Telegram id"],
            "The bot also keeps a copy of what you sent, until you delete it with /delete.",
            "Telegram carries the messages",
        ),
    ],
)
def test_privacy_says_what_is_stored_how_long_and_who_answers_for_it(
    c: Consultation, lang: str, stored: list[str], kept: str, telegram: str
) -> None:
    limits = Limits(draft_retention_days=21, operator_name="Innspill AS", operator_contact="x@y.no")
    t = Talk(c, lang, limits=limits)
    t.command("start")
    t.command("privacy")
    for item in stored:
        assert item in t.text
    assert "21" in t.text
    assert kept in t.text
    assert telegram in t.text
    assert "Innspill AS" in t.text
    assert "x@y.no" in t.text
    assert "/slett" in t.text or "/delete" in t.text
    deletion = next(w for w in t.text.split() if w.startswith("/") and w.strip(".,") != "/")
    assert parse_command(deletion.strip(".,")) == ("delete", "")


def test_privacy_without_an_operator_set_still_says_who_answers(c: Consultation) -> None:
    t = Talk(c)
    t.command("privacy")
    assert "Den som har satt opp boten, driver den og har ansvar for dataene." in t.text


def test_nynorsk_help_names_commands_the_bot_knows(c: Consultation) -> None:
    t = Talk(c, "nn")
    t.command("start")
    t.command("help")
    assert "/oppsummering" in t.text
    assert "/samandrag" not in t.text
    for word in t.text.split():
        word = word.strip(".,")
        if word.startswith("/") and len(word) > 1:
            assert parse_command(word) is not None
            assert parse_command(word)[0] != "unknown", word  # type: ignore[index]
