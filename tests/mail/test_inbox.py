"""The ministry's inbox: a clerk tells submissions apart and files each one without opening it.

Subject and From name say who a submission is from; nothing a person typed can add or split
a header; the body says how it came in, who it is from, what was answered, skipped or never
reached, in which language each question was asked, and whether it came in late. Also the
encoded size bound the upload check relies on.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.consultation.deadline import LATE_LABEL
from bot.consultation.loader import ConsultationError, load_consultation
from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.build import build_submission
from bot.conversation.session import Answer, AnswerPart, Respondent, Session
from bot.conversation.submission import Submission, SubmissionAnswer
from bot.i18n.languages import Lang
from bot.mail.compose import compose_ministry_message
from bot.mail.headers import clean_header_text, sender_mailbox, subject_line
from bot.mail.size import attachment_allowance, base64_size, encoded_mail_size
from bot.mail.subject import inbox_subject
from tests.mail.support import MAIL_FROM, MINISTRY, SUBJECT, make_submission

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "conversations" / "strategi-for-smabyer.toml"
SEED_SUBJECT = "20/6204 – Innspill til strategi for småbyer som regionale kraftsentre"


@pytest.fixture(scope="module")
def consultation() -> Consultation:
    return load_consultation(SEED)


def wire(message: EmailMessage) -> tuple[bytes, EmailMessage]:
    """The bytes on the wire and what a mail client parses from them."""
    raw = message.as_bytes(policy=policy.SMTP)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return raw, parsed


def ministry(sub: Submission) -> tuple[bytes, EmailMessage]:
    return wire(
        compose_ministry_message(
            sub, [], mail_from=MAIL_FROM, to=MINISTRY, message_id="<x@innspill.example.no>"
        )
    )


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    text = part.get_content()
    assert isinstance(text, str)
    return text.replace("\r\n", "\n")


def session_for(
    c: Consultation, *, lang: Lang = "nb", org: str | None = None, name: str = "Kari Nordmann"
) -> Session:
    at = datetime(2021, 2, 1, 12, tzinfo=UTC)
    return Session(
        user_id="tg:1",
        consultation_id=c.id,
        draft_id="7K4P9QX2ABCD",
        lang=lang,
        flow="guided",
        respondent=Respondent(
            type="organisasjon" if org else "privatperson",
            name=name,
            organisation=org,
            municipality="5503",
            email="kari@example.org",
        ),
        themes=["sentrum"],
        answers={
            flow.theme_step("sentrum"): Answer(parts=[AnswerPart(text="Flere kafeer.")]),
            flow.question_step("q1"): Answer(parts=[AnswerPart(text="Et svar på q1.")]),
        },
        skipped=[flow.question_step("q2")],
        started_at=at,
        updated_at=at,
    )


def built(
    c: Consultation,
    received_at: datetime,
    *,
    lang: Lang = "nb",
    org: str | None = None,
    name: str = "Kari Nordmann",
) -> Submission:
    session = session_for(c, lang=lang, org=org, name=name)
    return build_submission(c, session, reference="SMB-7K4P-9QX2", received_at=received_at)


RECEIVED = datetime(2021, 2, 1, 12, tzinfo=UTC)


# --- subject and From -----------------------------------------------------------------------


def test_an_organisation_is_named_in_the_subject_and_the_from_name(
    consultation: Consultation,
) -> None:
    sub = built(consultation, RECEIVED, org="Harstad Byforening", name="Per Hansen")
    _raw, mail = ministry(sub)
    assert mail["Subject"] == f"{SEED_SUBJECT} – Harstad Byforening (Harstad – Hárstták)"
    [sender] = mail["From"].addresses
    assert sender.display_name == "Harstad Byforening via Innspill"
    assert sender.addr_spec == "innspill@innspill.example.no"  # the address stays ours
    [reply_to] = mail["Reply-To"].addresses
    assert (reply_to.display_name, reply_to.addr_spec) == ("Per Hansen", "kari@example.org")


def test_a_person_is_named_in_the_subject_and_the_from_name(consultation: Consultation) -> None:
    _raw, mail = ministry(built(consultation, RECEIVED))
    assert mail["Subject"] == f"{SEED_SUBJECT} – Kari Nordmann (Harstad – Hárstták)"
    assert mail["From"].addresses[0].display_name == "Kari Nordmann via Innspill"


def _rfc2047(raw: bytes, name: str) -> str:
    """A header as an RFC 2047 decoder (a mail client) reads it from the wire."""
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    value = re.search(rf"^{name}:\s*(.*?)(?=\r\n(?![ \t])|\Z)", headers, re.S | re.M)
    assert value is not None
    return str(make_header(decode_header(value.group(1).replace("\r\n", ""))))  # unfolded


@pytest.mark.parametrize(
    ("name", "org"), [("Máret Máhtte", None), ("Per Hansen", "Sara Somby Guovdageaidnu Kautokeino")]
)
def test_sami_names_keep_every_space_in_the_subject_and_the_from_name(
    consultation: Consultation, name: str, org: str | None
) -> None:
    # Python's own header folding lost the space before an encoded word in subjects like
    # the first («Máret Máhtte (Harstad– Hárstták)») and split a From name like the second.
    raw, mail = ministry(built(consultation, RECEIVED, name=name, org=org))
    who = org or name
    assert mail["Subject"] == f"{SEED_SUBJECT} – {who} (Harstad – Hárstták)"
    assert _rfc2047(raw, "Subject") == mail["Subject"]
    assert _rfc2047(raw, "From") == f"{who} via Innspill <innspill@innspill.example.no>"
    assert _rfc2047(raw, "Reply-To") == f"{name} <kari@example.org>"
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"))


def test_three_hundred_submissions_have_three_hundred_subjects() -> None:
    # The subject function itself: composing 300 whole mails would only test the email package.
    subjects = {
        inbox_subject(make_submission(f"SMB-AAAA-{i:04d}", organisation=f"Lag nummer {i}"))
        for i in range(300)
    }
    assert len(subjects) == 300
    assert all(s.startswith(SUBJECT + " – ") for s in subjects)


def test_the_template_comes_from_the_consultation_file() -> None:
    sub = make_submission(organisation=None).model_copy(
        update={"subject_template": "{case_number} {title} – innspill fra {sender}"}
    )
    _raw, mail = ministry(sub)
    assert mail["Subject"] == (
        "20/6204 Strategi for småbyer som regionale kraftsentre – innspill fra "
        "Kari Nordmann (Harstad)"
    )


@pytest.mark.parametrize(
    "evil",
    [
        "Lag\rBcc: evil@example.org",
        "Lag\nBcc: evil@example.org",
        "Lag\r\nBcc: evil@example.org",
        "Lag\x00Bcc: evil@example.org",
        "Lag\x85Bcc: evil@example.org",
        "Lag\u2028Bcc: evil@example.org",
        "Lag\u2029Bcc: evil@example.org",
        "Lag =?utf-8?q?=0D=0ABcc:_evil@example.org?=",
        "Lag =?utf-8?b?DQpCY2M6IGV2aWxAZXhhbXBsZS5vcmc=?=",
    ],
    ids=["CR", "LF", "CRLF", "NUL", "NEL", "LS", "PS", "encoded-q", "encoded-b"],
)
def test_typed_text_cannot_add_a_header_through_subject_or_from(evil: str) -> None:
    raw, mail = ministry(make_submission(organisation=evil, name=evil))
    head = raw.split(b"\r\n\r\n", 1)[0]
    # Exactly one header line starts with each name; none is Bcc or Cc.
    names = [line.split(b":", 1)[0].lower() for line in head.split(b"\r\n") if line[:1] != b" "]
    assert b"bcc" not in names
    assert b"cc" not in names
    assert names.count(b"subject") == names.count(b"from") == 1
    for header in ("Subject", "From"):
        value = str(mail[header])
        assert not re.search(r"[\r\n\x00\x85\u2028\u2029]", value)
        assert "=?" not in value
    assert mail["Subject"].startswith(SUBJECT + " – Lag")


def test_a_long_name_is_cut_but_the_marking_is_kept_whole() -> None:
    _raw, mail = ministry(make_submission(organisation="Forening " * 60))
    subject = str(mail["Subject"])
    assert subject.startswith(SUBJECT + " – Forening")
    assert subject.endswith("… (Harstad)"), "the place survives a long name"
    assert len(subject) <= len(SUBJECT) + 3 + 80 + len(" (Harstad)")
    assert len(mail["From"].addresses[0].display_name) <= 110


def test_header_helpers_refuse_or_clean_but_never_pass_a_line_break() -> None:
    with pytest.raises(ValueError, match="template"):
        subject_line("{subject}\r\nBcc: x", subject="a", case_number="1", title="t", sender="s")
    line = subject_line(
        "{subject} – {sender}", subject="1 t", case_number="1", title="t", sender="{subject}\n"
    )
    assert line == "1 t – {subject}"  # inserted, never formatted
    assert sender_mailbox(MAIL_FROM, "").display_name == "Innspill"
    assert clean_header_text("x" * 500, max_length=50) == "x" * 49 + "…"


def write_consultation(tmp_path: Path, old: str, new: str) -> Path:
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "c.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('subject_template = "Innspill fra {sender}"', "case number"),
        ('subject_template = "{case_number} – {sender}"', "title"),
        ('subject_template = "{subject} – {name}"', "{name}"),
        ('subject = "Innspill til strategi for småbyer som regionale kraftsentre"', "case number"),
        ('subject = "20/6204 – Innspill"', "title"),
    ],
)
def test_check_refuses_a_subject_or_template_without_the_marking(
    tmp_path: Path, line: str, problem: str
) -> None:
    key = line.split(" = ", 1)[0]
    old = f"subject = {json.dumps(SEED_SUBJECT, ensure_ascii=False)}"
    new = f"{old}\n{line}" if key == "subject_template" else line
    with pytest.raises(ConsultationError) as caught:
        load_consultation(write_consultation(tmp_path, old, new))
    message = str(caught.value)
    assert key in message
    assert problem in message


def test_check_accepts_a_template_with_case_number_and_title(tmp_path: Path) -> None:
    old = f"subject = {json.dumps(SEED_SUBJECT, ensure_ascii=False)}"
    new = f'{old}\nsubject_template = "{{case_number}} {{title}}: {{sender}}"'
    assert load_consultation(write_consultation(tmp_path, old, new)).subject_template


# --- the body ---------------------------------------------------------------------------------


def test_the_opening_says_how_it_came_in_and_where_replies_go() -> None:
    _raw, mail = ministry(make_submission())
    text = body(mail)
    opening = text.split("Saksnummer:", 1)[0]
    assert "Dette innspillet kom inn via Telegram-boten innspill." in opening
    assert "Svar på denne e-posten går til innsenderen (kari@example.org)." in opening
    _raw, anonymous = ministry(make_submission(email=None))
    assert "Innsenderen oppga ingen e-postadresse." in body(anonymous)


def test_an_organisation_comes_first_and_the_person_is_the_contact(
    consultation: Consultation,
) -> None:
    sub = built(consultation, RECEIVED, org="Harstad Byforening", name="Per Hansen")
    text = body(ministry(sub)[1])
    assert text.index("Organisasjon: Harstad Byforening") < text.index("Kontaktperson: Per Hansen")
    assert "Navn:" not in text
    person = body(ministry(built(consultation, RECEIVED))[1])
    assert "Navn: Kari Nordmann" in person
    assert "Kontaktperson" not in person


def test_answered_skipped_and_not_reached_are_three_states(consultation: Consultation) -> None:
    sub = built(consultation, RECEIVED)
    states = {a.key: (a.answer, a.skipped) for a in sub.answers}
    assert states[flow.question_step("q1")] == ("Et svar på q1.", False)
    assert states[flow.question_step("q2")] == (None, True)
    assert states[flow.question_step("q3")] == (None, False)
    text = body(ministry(sub)[1])
    sections = re.split(r"\nSpørsmål \d: ", text)
    q1, q2, q3 = sections[1:4]
    assert "Et svar på q1." in q1
    assert q2.rstrip().endswith("Hoppet over")
    assert q3.rstrip().endswith("Ikke besvart")
    assert "Hoppet over" not in q3
    assert "Ikke besvart" not in q2


@pytest.mark.parametrize(
    ("lang", "label"), [("nn", "Stilt på nynorsk"), ("en", "Stilt på engelsk")]
)
def test_staff_see_the_question_as_asked_in_the_persons_language(
    consultation: Consultation, lang: Lang, label: str
) -> None:
    sub = built(consultation, RECEIVED, lang=lang)
    text = body(ministry(sub)[1])
    q1 = consultation.question("q1")
    assert f"{label}: {q1.text[lang]}" in text
    assert "Stilt i boten som" not in text
    assert f"Spørsmål 1: {q1.original['nb'] if q1.original else q1.text['nb']}" in text


def test_a_bokmal_respondent_gets_no_language_label(consultation: Consultation) -> None:
    text = body(ministry(built(consultation, RECEIVED))[1])
    assert "Stilt på" not in text


@pytest.mark.parametrize(
    ("oslo_time", "late"),
    [
        (datetime(2021, 3, 1, 22, 59, tzinfo=UTC), False),  # 23:59 in Oslo on the deadline day
        (datetime(2021, 3, 1, 23, 1, tzinfo=UTC), True),  # 00:01 in Oslo the day after
    ],
    ids=["23:59", "00:01"],
)
def test_a_late_submission_is_marked_in_the_body_and_the_json_copy(
    consultation: Consultation, oslo_time: datetime, late: bool
) -> None:
    assert consultation.deadline == date(2021, 3, 1)
    sub = built(consultation, oslo_time)
    _raw, mail = ministry(sub)
    text = body(mail)
    assert (LATE_LABEL in text) is late
    if late:
        assert "Mottatt etter fristen (fristen var 1. mars 2021)" in text
    [copy] = [a for a in mail.iter_attachments() if a.get_content_type() == "application/json"]
    data = json.loads(copy.get_content())
    assert data["late"] is late
    assert data.get("late_label") == (LATE_LABEL if late else None)
    assert data["deadline"] == "2021-03-01"


# --- the encoded size -------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [[0], [1], [1000], [3 * 1024 * 1024], [700_000, 1_300_001]])
def test_the_encoded_size_bounds_the_real_mail(sizes: list[int]) -> None:
    documents = [(f"dokument-{i}.pdf", "application/pdf", b"%" * n) for i, n in enumerate(sizes)]
    sub = make_submission()
    text_bytes = sum(len((a.answer or "").encode()) for a in sub.answers)
    real = len(
        compose_ministry_message(
            sub, documents, mail_from=MAIL_FROM, to=MINISTRY, message_id="<x@y.no>"
        ).as_bytes(policy=policy.SMTP)
    )
    estimate = encoded_mail_size(sizes, text_bytes=text_bytes)
    assert real <= estimate
    assert estimate - real < 32 * 1024  # a bound, but a tight one


def test_base64_grows_documents_by_a_third() -> None:
    nineteen_mb = 19 * 1024 * 1024
    assert base64_size(nineteen_mb) > 25 * 1024 * 1024  # why the limit is on the e-mail
    limit = 20 * 1024 * 1024
    allowance = attachment_allowance(limit)
    assert encoded_mail_size([allowance]) <= limit < encoded_mail_size([allowance + 3])
    assert 14.5 * 1024 * 1024 < allowance < 15.2 * 1024 * 1024
    assert attachment_allowance(limit, text_bytes=200_000) < allowance
    assert attachment_allowance(1000) == 0


@pytest.mark.parametrize(
    "text", ["Små byer trenger boliger. " * 1200, 'ÆØÅ"<>&\n' * 3500], ids=["prose", "worst"]
)
def test_the_encoded_size_bounds_long_answers_too(text: str) -> None:
    sub = make_submission(
        answers=[SubmissionAnswer(key="quick", kind="free_text", heading="Innspill", answer=text)]
    )
    real = len(
        compose_ministry_message(
            sub, [], mail_from=MAIL_FROM, to=MINISTRY, message_id="<x@y.no>"
        ).as_bytes(policy=policy.SMTP)
    )
    assert real <= encoded_mail_size([], text_bytes=len(text.encode("utf-8")))
