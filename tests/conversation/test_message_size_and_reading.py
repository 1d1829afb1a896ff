"""Every message a person reads, in every language: short (at most 600 characters, the
summary excepted) and easy (LIX 35 or lower over the whole conversation as shown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.consultation.loader import load_consultation
from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.context import Limits
from bot.conversation.events import IncomingDocument, Reply
from bot.conversation.names import Pick
from tests.consultation.test_plain_language import lix
from tests.conversation.talk import Talk

ROOT = Path(__file__).resolve().parents[2]
MAX_MESSAGE = 600
SUMMARY_MARK = "📋 "


@pytest.fixture(scope="module")
def c() -> Consultation:
    return load_consultation(ROOT / "conversations" / "strategi-for-smabyer.toml")


class Recorder:
    """A person who tries every screen; every reply they get is kept."""

    def __init__(self, c: Consultation, lang: str, limits: Limits | None = None) -> None:
        self.t = Talk(c, lang, limits=limits or Limits())
        self.seen: list[Reply] = []

    def command(self, name: str, arg: str = "") -> None:
        self.seen += self.t.command(name, arg)

    def send(self, text: str) -> None:
        self.seen += self.t.send(text)

    def upload(self, document: IncomingDocument) -> None:
        self.seen += self.t.upload(document)

    def pick(self, choice: str) -> None:
        self.t.press(self.t.buttons().step or "", choice)
        self.seen += self.t.replies

    def everywhere(self) -> None:
        """The commands that tell something, tried at the current step."""
        for command in ("help", "status", "privacy"):
            self.command(command)


def every_screen(c: Consultation, lang: str) -> list[Reply]:
    """The guided path, the quick path and their side roads, as one person would try them."""
    guided = Recorder(c, lang)
    guided.command("start")
    guided.everywhere()
    guided.pick(Pick.GUIDED)
    guided.pick("organisasjon")
    guided.send("Harstad Idrettslag")
    guided.send("123")  # a wrong organisation number
    guided.send("974760673")
    guided.send("i fjor")  # a date that cannot be read
    guided.send("12.2.2021")
    guided.send("Kari Nordmann")
    guided.send("Herøy")  # two municipalities have this name
    guided.pick(Pick.NONE)
    guided.send("Harstad")
    guided.send("ikke en adresse")
    guided.send("kari@example.no")
    guided.everywhere()
    for theme in c.themes:
        guided.pick(theme.id)
    guided.pick(Pick.DONE)
    for _theme in c.themes:
        guided.everywhere()
        guided.send("Vi trenger flere boliger for unge.")
        guided.pick(Pick.NEXT)
    guided.command("back")  # back at an answered theme: typing would replace it
    guided.pick(Pick.ADD)  # «Legg til»: typing adds
    guided.pick(Pick.NEXT)
    for _question in c.questions:
        guided.everywhere()
        if Pick.ORIGINAL in [ch.id for ch in guided.t.buttons().choices]:
            guided.pick(Pick.ORIGINAL)
        guided.send("Mer samarbeid om planer.")
        guided.pick(Pick.NEXT)
    guided.everywhere()
    guided.command("skip")
    guided.pick(Pick.EDIT)
    guided.pick(Pick.BACK_TO_SUMMARY)
    guided.pick(Pick.SEND)
    guided.command("start")
    guided.command("delete")
    guided.pick(Pick.YES)

    quick = Recorder(c, lang, Limits(send_receipts=False))
    quick.command("start", "rask")
    quick.pick("privatperson")
    quick.send("Kari")
    quick.send("Bodø")
    quick.everywhere()
    note = IncomingDocument("notat.pdf", "application/pdf", 1000, "A1", text="Ring 912 34 567")
    quick.upload(note)
    quick.send("ok")
    quick.send("Vi trenger flere boliger for unge i sentrum. " * 1500)  # over the answer's limit
    quick.send("Og dette kom med i samme lange melding.")  # the answer is full now
    quick.pick(Pick.EDIT)
    quick.pick(Pick.BACK_TO_SUMMARY)
    quick.pick(Pick.SEND)
    quick.pick(Pick.SEND)

    both = Recorder(c, lang)  # personal data typed and in a document, then in the text only
    both.command("start", "rask")
    both.pick("privatperson")
    both.send("Kari")
    both.send("Bodø")
    both.send("Ring naboen min på 912 34 567 om dette.")
    both.upload(IncomingDocument("klage.pdf", "application/pdf", 900, "A2", text="15076500565"))
    both.pick(Pick.SEND)
    both.pick("rm-A2")  # «Fjern vedlegg: klage.pdf»
    both.pick(Pick.SEND)
    both.pick(Pick.SEND)

    empty = Recorder(c, lang)
    empty.command("start")
    empty.pick(Pick.GUIDED)
    empty.pick("privatperson")
    empty.send("Kari")
    for _ in range(3 + len(c.questions)):
        empty.command("skip")
    empty.pick(Pick.SEND)
    empty.command("cancel")
    empty.pick(Pick.YES)
    return guided.seen + quick.seen + both.seen + empty.seen


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_no_message_is_longer_than_600_characters_except_the_summary(
    c: Consultation, lang: str
) -> None:
    replies = every_screen(c, lang)
    assert len(replies) > 100
    # A short lead-in (an acknowledgement) may open the summary's message; it counts alone.
    too_long = [
        (len(r.text), r.text[:80])
        for r in replies
        if len(r.text.split("\n\n" + SUMMARY_MARK)[0]) > MAX_MESSAGE
        and not r.text.startswith(SUMMARY_MARK)
    ]
    assert not too_long


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_conversation_as_shown_reads_at_lix_35_or_lower(c: Consultation, lang: str) -> None:
    # The summary repeats the person's own answers; the rest is ours to keep plain.
    # A short lead-in (an acknowledgement) may open the summary's message; it counts alone.
    shown = {
        r.text.split("\n\n" + SUMMARY_MARK)[0]
        for r in every_screen(c, lang)
        if not r.text.startswith(SUMMARY_MARK)
    }
    score = lix(sorted(shown))
    assert score <= 35, f"{lang}: LIX {score:.1f}"


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_privacy_reads_at_lix_35_or_lower(c: Consultation, lang: str) -> None:
    t = Talk(c, lang, limits=Limits(operator_name="Innspill", operator_contact="post@example.no"))
    t.command("privacy")
    said = [r.text for r in t.replies if r.choices == ()]
    score = lix(said)
    assert score <= 35, f"{lang}: LIX {score:.1f}"


def test_every_screen_is_walked(c: Consultation) -> None:
    steps = {r.step for r in every_screen(c, "nb") if r.step}
    for step in (flow.TYPE, flow.ORG_NUMBER, flow.BOARD, flow.MUNICIPALITY_PICK, flow.EMAIL):
        assert step in steps
    assert flow.SUMMARY in steps
    assert flow.PERSONAL_DATA in steps
    assert flow.DONE in steps


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_first_contact_without_a_known_language_is_one_readable_message(
    c: Consultation, lang: str
) -> None:
    # The language hint must not push the welcome past 600 characters into a second message.
    t = Talk(c, lang)
    t.session.lang_confirmed = False
    t.command("start")
    assert len(t.replies) == 1
    assert len(t.text) <= MAX_MESSAGE
    assert "Nynorsk? English?" in t.text
