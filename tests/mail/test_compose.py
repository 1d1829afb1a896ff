"""What staff and respondents read: the composed e-mails and the header cleaning behind them."""

from __future__ import annotations

import html
import json
import random
import re
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from bot.conversation.submission import AttachmentInfo, Submission, SubmissionAnswer
from bot.i18n.catalogs import gettext_for
from bot.mail.compose import compose_ministry_message, compose_receipt
from bot.mail.headers import (
    clean_file_name,
    clean_header_text,
    mailbox,
    message_id_for,
    safe_address,
)
from bot.mail.outbox import backoff_delay
from tests.mail.support import MAIL_FROM, MINISTRY, SUBJECT, make_submission

PDF = b"%PDF-1.4\n% a tiny document\n"


def roundtrip(message: EmailMessage) -> EmailMessage:
    """What a mail client sees: the bytes on the wire, parsed again."""
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def ministry_mail(
    sub: Submission, documents: list[tuple[str, str, bytes]] | None = None
) -> EmailMessage:
    return roundtrip(
        compose_ministry_message(
            sub,
            documents or [],
            mail_from=MAIL_FROM,
            to=MINISTRY,
            message_id=message_id_for(sub.reference, "ministry", "innspill.example.no"),
        )
    )


def text_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


# --- header cleaning ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Kari Nordmann", "Kari Nordmann"),
        ("  Kari \t  Nordmann  ", "Kari Nordmann"),
        ("Kari\r\nBcc: evil@example.org", "Kari Bcc: evil@example.org"),
        ("Kari\nBcc: evil", "Kari Bcc: evil"),
        ("Kari\rBcc: evil", "Kari Bcc: evil"),
        ("Kari\x00Bcc: evil", "Kari Bcc: evil"),
        ("Kari\x85Bcc: evil", "Kari Bcc: evil"),
        ("Kari\u2028Bcc: evil", "Kari Bcc: evil"),
        ("Kari\u2029Bcc: evil", "Kari Bcc: evil"),
        ("Kari\x0bBcc\x0c: evil", "Kari Bcc : evil"),
        ("\u202eKari\u200b", "Kari"),
        ("=?utf-8?q?x=0D=0ABcc:_evil?=", "= utf-8?q?x=0D=0ABcc:_evil?"),
        ("= ?utf-8?b?eA0KQmNjOiBldmls?= x", "= utf-8?b?eA0KQmNjOiBldmls? x"),
        ("Åse Ødegård", "Åse Ødegård"),
    ],
)
def test_clean_header_text_folds_everything_that_could_start_a_header(raw: str, clean: str) -> None:
    assert clean_header_text(raw) == clean


def test_clean_header_text_caps_the_length() -> None:
    cleaned = clean_header_text("a" * 500, max_length=40)
    assert len(cleaned) == 40
    assert cleaned.endswith("…")


def test_file_names_keep_their_extension_and_lose_paths() -> None:
    assert clean_file_name("../../etc/passwd") == "_.._etc_passwd"
    assert clean_file_name("rapport\r\nContent-Type: text/html.pdf") == (
        "rapport Content-Type_ text_html.pdf"
    )
    long_name = clean_file_name("x" * 400 + ".docx")
    assert len(long_name) <= 150
    assert long_name.endswith(".docx")
    assert clean_file_name(" \u2028 ") == "vedlegg"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("kari@example.org", "kari@example.org"),
        ("  Kari@EXAMPLE.org ", "Kari@example.org"),
        ("ola@bø.no", "ola@xn--b-5ga.no"),
        ("kari@example.org\r\nBcc: evil@example.org", None),
        ("kari@example.org\u2028", "kari@example.org"),
        ("kari@exa\u2028mple.org", None),
        ("kari@example.org, evil@example.org", None),
        ("Kari <kari@example.org>", None),
        ("ikke en adresse", None),
        ("ståle@example.no", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_address_accepts_only_one_plain_address(raw: str | None, expected: str | None) -> None:
    assert safe_address(raw) == expected


def test_mail_from_may_be_local_but_must_be_one_address() -> None:
    assert str(mailbox("innspill <innspill@localhost>")) == "innspill <innspill@localhost>"
    with pytest.raises(ValueError, match="e-mail address"):
        mailbox("a@example.org, b@example.org")
    with pytest.raises(ValueError, match="e-mail address"):
        mailbox("innspill\r\nBcc: x@example.org <innspill@localhost>")


def test_message_id_is_fixed_per_submission_and_kind() -> None:
    first = message_id_for("SMB-ABCD-EFGH", "ministry", "Innspill.Example.no")
    assert first == "<SMB-ABCD-EFGH.ministry@innspill.example.no>"
    assert first == message_id_for("SMB-ABCD-EFGH", "ministry", "innspill.example.no")
    assert message_id_for("SMB-ABCD-EFGH", "receipt", "innspill.example.no") != first
    with pytest.raises(ValueError, match="Message-ID"):
        message_id_for("SMB-ABCD-EFGH", "ministry", "bad domain\r\n")


def test_backoff_grows_up_to_the_cap_with_jitter() -> None:
    rng = random.Random(7)
    for attempt in range(1, 20):
        delay = backoff_delay(attempt, 30, 3600, rng)
        assert 1 <= delay <= min(3600, 30 * 2 ** (attempt - 1))
    late = [backoff_delay(12, 30, 3600, rng) for _ in range(200)]
    assert max(late) > 1800  # the ceiling really grows to the cap
    assert len({round(d) for d in late}) > 50  # and the jitter spreads retries


# --- the ministry's mail ----------------------------------------------------------------------


def test_ministry_mail_headers_are_exact() -> None:
    mail = ministry_mail(make_submission())
    assert mail["Subject"] == f"{SUBJECT} – Småbyforeningen i Harstad (Harstad)"
    assert mail["To"] == MINISTRY
    assert mail["From"] == "Småbyforeningen i Harstad via Innspill <innspill@innspill.example.no>"
    assert mail["Message-ID"] == "<SMB-ABCD-EFGH.ministry@innspill.example.no>"
    assert mail["Date"] == "Thu, 26 Nov 2026 09:15:00 +0100"
    assert mail["X-Innspill-Reference"] == "SMB-ABCD-EFGH"
    assert mail["Reply-To"].addresses[0].addr_spec == "kari@example.org"
    assert mail["Reply-To"].addresses[0].display_name == "Kari Nordmann"


def test_ministry_mail_without_email_has_no_reply_to() -> None:
    mail = ministry_mail(make_submission(email=None))
    assert "Reply-To" not in mail
    invalid = ministry_mail(make_submission(email="ikke en adresse"))
    assert "Reply-To" not in invalid


OPENINGS = {
    "telegram": "Dette innspillet kom inn via Telegram-boten innspill.",
    "web": "Dette innspillet kom inn via nettsiden til innspill.",
    "terminal": "Dette innspillet kom inn via innspill i terminalen (en test).",
}


@pytest.mark.parametrize("channel", sorted(OPENINGS))
def test_the_opening_line_names_the_channel_it_came_in_by(channel: str) -> None:
    body = text_of(ministry_mail(make_submission(channel=channel)), "plain")
    assert body.split("\n\n")[1].startswith(OPENINGS[channel])
    assert [line for line in OPENINGS.values() if line in body] == [OPENINGS[channel]]


def test_staff_read_the_respondent_first_then_themes_then_answers() -> None:
    body = text_of(ministry_mail(make_submission()), "plain")
    expected_in_order = [
        "Strategi for småbyer som regionale kraftsentre",
        "Dette innspillet kom inn via Telegram-boten innspill.",
        "Svar på denne e-posten går til innsenderen (kari@example.org).",
        "Saksnummer: 20/6204",
        "Referanse: SMB-ABCD-EFGH",
        "Mottatt: 26. november 2026 kl. 09:15",
        "Språk: nynorsk",
        "INNSENDER",
        "Organisasjon: Småbyforeningen i Harstad",
        "Type: Organisasjon eller forening",
        "Kontaktperson: Kari Nordmann",
        "Organisasjonsnummer: 123456785",
        "Vedtatt av styret: 12. januar 2021",
        "Kommune: Harstad (5503), Troms",
        "E-post: kari@example.org",
        "VALGTE TEMA",
        "- Bolig og stedsutvikling",
        "- Samferdsel",
        "SVAR",
        "Tema: Bolig og stedsutvikling",
        "Vi trenger flere utleieboliger.\nSærlig for unge.\n\nOg <b>fortau</b>!",
        "Tema: Samferdsel",
        "Flere bussavganger til flyplassen.",
        "Spørsmål 1: Hvilke faktorer bidrar til at småbyer fungerer som regionale kraftsentre?",
        "Stilt i boten som: Hva gjør byen din til et kraftsenter?",
        "Hoppet over",
        "VEDLEGG",
        "innspill-SMB-ABCD-EFGH.json",
    ]
    positions = [body.find(snippet) for snippet in expected_in_order]
    missing = [s for s, p in zip(expected_in_order, positions, strict=True) if p < 0]
    assert not missing
    assert positions == sorted(positions)


def test_html_says_the_same_escaped_and_without_external_resources() -> None:
    mail = ministry_mail(make_submission(name='Kari "<script>alert(1)</script>" & co'))
    text = text_of(mail, "plain")
    page = text_of(mail, "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Og &lt;b&gt;fortau&lt;/b&gt;!" in page
    assert not re.search(r"(?i)\b(src|href)\s*=|<link|<img|url\(|https?:", page)
    # Every line of the plain text is in the HTML too, once the tags are dropped.
    visible = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).casefold()
    for line in text.splitlines():
        if not line.strip() or set(line) <= {"=", "-"}:
            continue
        for piece in line.removeprefix("- ").split(": ", 1):
            assert " ".join(piece.split()).casefold() in visible, line


def test_answers_keep_paragraphs_and_line_breaks_in_html() -> None:
    page = text_of(ministry_mail(make_submission()), "html")
    assert "<p>Vi trenger flere utleieboliger.<br>\nSærlig for unge.</p>" in page
    assert "<p>Og &lt;b&gt;fortau&lt;/b&gt;!</p>" in page
    assert "<em>Hoppet over</em>" in page


def test_documents_and_json_copy_are_attached() -> None:
    sub = make_submission(
        attachments=[
            AttachmentInfo(
                id="a1",
                file_name="Søknad om støtte.pdf",
                mime_type="application/pdf",
                size=len(PDF),
            )
        ]
    )
    mail = ministry_mail(sub, [("Søknad om støtte.pdf", "application/pdf", PDF)])
    attachments = list(mail.iter_attachments())
    assert [a.get_filename() for a in attachments] == [
        "Søknad om støtte.pdf",
        "innspill-SMB-ABCD-EFGH.json",
    ]
    pdf, data = attachments
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == PDF
    assert data.get_content_type() == "application/json"
    assert Submission.model_validate(json.loads(data.get_content())) == sub
    raw = compose_ministry_message(
        sub,
        [("Søknad om støtte.pdf", "application/pdf", PDF)],
        mail_from=MAIL_FROM,
        to=MINISTRY,
        message_id="<x@innspill.example.no>",
    ).as_bytes(policy=policy.SMTP)
    assert b"filename*=utf-8''S%C3%B8knad%20om%20st%C3%B8tte.pdf" in raw


def test_strange_mime_types_become_octet_stream() -> None:
    mail = ministry_mail(
        make_submission(),
        [
            ("a.bin", "text/html\r\nBcc: evil@example.org", b"1"),
            ("b.eml", "message/rfc822", b"2"),
            ("c.txt", "TEXT/Plain", b"3"),
        ],
    )
    types = [a.get_content_type() for a in mail.iter_attachments()]
    assert types == [
        "application/octet-stream",
        "application/octet-stream",
        "text/plain",
        "application/json",
    ]


def test_missing_documents_are_named_in_the_mail() -> None:
    mail = roundtrip(
        compose_ministry_message(
            make_submission(),
            [],
            mail_from=MAIL_FROM,
            to=MINISTRY,
            message_id="<x@innspill.example.no>",
            missing=["budsjett.xlsx"],
        )
    )
    assert "budsjett.xlsx (mangler i lageret, ikke vedlagt)" in text_of(mail, "plain")


def test_unanswered_and_unchosen_are_told_apart() -> None:
    sub = make_submission(
        answers=[
            SubmissionAnswer(key="a", kind="theme", heading="Kultur"),
            SubmissionAnswer(key="b", kind="question", heading="Noe mer?"),
            SubmissionAnswer(key="c", kind="question", heading="Hvorfor?", skipped=True),
            SubmissionAnswer(key="d", kind="free_text", heading="Innspill", answer="Fritekst."),
        ]
    )
    body = text_of(ministry_mail(sub), "plain")
    assert "Tema: Kultur\n------------\nIkke valgt" in body
    assert "Spørsmål 1: Noe mer?\n--------------------\nIkke besvart\n" in body
    assert "Spørsmål 2: Hvorfor?\n--------------------\nHoppet over" in body
    assert "Innspill\n--------\nFritekst." in body


def test_a_subject_that_could_split_a_header_is_refused_not_changed() -> None:
    sub = make_submission().model_copy(update={"subject": "Innspill\r\nBcc: evil@example.org"})
    with pytest.raises(ValueError, match="subject"):
        compose_ministry_message(sub, [], mail_from=MAIL_FROM, to=MINISTRY, message_id="<x@y.no>")


def test_an_invalid_recipient_is_refused() -> None:
    with pytest.raises(ValueError, match="recipient"):
        compose_ministry_message(
            make_submission(),
            [],
            mail_from=MAIL_FROM,
            to="a@b.no, evil@example.org",
            message_id="<x@y.no>",
        )


# --- the receipt ------------------------------------------------------------------------------


def test_receipt_tells_the_respondent_what_went_where() -> None:
    sub = make_submission(
        language="nb",
        name="Kari\r\nSubject: evil",
        attachments=[
            AttachmentInfo(
                id="a1", file_name="vedlegg.pdf", mime_type="application/pdf", size=2_621_440
            )
        ],
    )
    mail = roundtrip(
        compose_receipt(
            sub,
            mail_from=MAIL_FROM,
            to="kari@example.org",
            message_id=message_id_for(sub.reference, "receipt", "innspill.example.no"),
        )
    )
    assert mail["To"] == "kari@example.org"
    assert mail["Subject"] == "Kvittering: innspillet ditt er sendt (SMB-ABCD-EFGH)"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "Reply-To" not in mail
    assert list(mail.iter_attachments()) == []
    body = text_of(mail, "plain")
    assert "E-postserveren til postmottak@kmd.dep.no har tatt imot det." in body
    assert "Referansenummeret ditt er SMB-ABCD-EFGH." in body
    assert "offentlig dokument" in body
    assert "- Bolig og stedsutvikling" in body
    assert "- 2 svar" in body
    assert "- 1 vedlegg (2,5 MB)" in body
    # Nothing the person typed: the address is not confirmed, so the receipt is no relay.
    for typed in ("Vi trenger flere utleieboliger", "vedlegg.pdf", "Kari", "Småbyforeningen"):
        assert typed not in body
        assert typed not in text_of(mail, "html")
    assert text_of(mail, "html").startswith('<!DOCTYPE html>\n<html lang="nb">')


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_receipt_speaks_the_respondents_language(lang: str) -> None:
    _ = gettext_for(lang).gettext
    mail = roundtrip(
        compose_receipt(
            make_submission(language=lang),
            mail_from=MAIL_FROM,
            to="kari@example.org",
            message_id="<r@innspill.example.no>",
        )
    )
    subject = _("Kvittering: innspillet ditt er sendt ({reference})")
    assert subject != "Kvittering: innspillet ditt er sendt ({reference})"  # a catalog exists
    assert mail["Subject"] == subject.format(reference="SMB-ABCD-EFGH")
    body = text_of(mail, "plain")
    thanks = _("Takk for innspillet ditt! E-postserveren til {recipient} har tatt imot det.")
    assert thanks != "Takk for innspillet ditt! E-postserveren til {recipient} har tatt imot det."
    assert thanks.format(recipient=MINISTRY) in body
    assert f"{_('Referanse')}: SMB-ABCD-EFGH" in body
    assert "Vi trenger flere utleieboliger." not in body
    assert text_of(mail, "html").startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')


def test_receipt_names_the_address_actually_used_in_staging() -> None:
    mail = compose_receipt(
        make_submission(language="nb"),
        mail_from=MAIL_FROM,
        to="kari@example.org",
        message_id="<r@innspill.example.no>",
        ministry_recipient="staging@innspill.example.no",
    )
    body = text_of(roundtrip(mail), "plain")
    assert "E-postserveren til staging@innspill.example.no har tatt imot det." in body


def test_composing_mail_loads_neither_smtp_nor_the_settings() -> None:
    # A fresh interpreter: this test process has loaded everything already.
    probe = (
        "import sys, bot.mail.compose, bot.mail.headers; "
        "print(sorted(m for m in ('aiosmtplib', 'bot.ops.settings', 'pydantic_settings', "
        "'bot.mail.transport', 'bot.storage') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
