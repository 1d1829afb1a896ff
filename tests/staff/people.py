"""Real submissions for the staff tests, made through the service and engine into real SQLite.

Three people: a guided private person in Oslo (0301) who answers some questions, skips others
and sends before reaching the rest; an organisation with a hostile name on the quick path, with
a document, received one minute after the deadline day ended; a nynorsk respondent in time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOSTILE_ORG = '=HYPERLINK("http://evil.example","klikk")'
HOSTILE_NAME = "+47 Per Hansen"
HOSTILE_TEXT = "-1+2 er et innspill som starter med minus"
THEME_ANSWER = "@Flere bussavganger mellom byene."
Q1_ANSWER = "Samarbeid på tvers av kommunegrensene."
NN_ANSWER = "Betre <b>kollektivtilbod</b> & fleire ruter i distrikta."

# Deadline 2021-03-01 (Europe/Oslo, UTC+1 in winter).
IN_TIME = datetime(2021, 3, 1, 22, 59, tzinfo=UTC)  # 23:59 Oslo on the deadline day
LATE = datetime(2021, 3, 1, 23, 1, tzinfo=UTC)  # 00:01 Oslo the day after
EARLY = datetime(2021, 2, 10, 9, 30, tzinfo=UTC)


def _service(c: Consultation, store: Store, at: datetime) -> ConversationService:
    def clock() -> datetime:
        return at

    return ConversationService(c, store, clock=clock, send_receipts=False)


async def guided_oslo(c: Consultation, store: Store, user: str = "kari") -> None:
    """Answers a theme and q1, skips the other theme and q2, sends before q3-q6."""
    s = _service(c, store, IN_TIME)
    await s.handle_command(user, "start")
    await s.handle_choice(user, flow.START, "guided")
    await s.handle_choice(user, flow.TYPE, "privatperson")
    await s.handle_text(user, "Kari Nordmann")
    await s.handle_text(user, "Oslo")
    await s.handle_command(user, "skip")  # no e-mail
    await s.handle_choice(user, flow.THEMES, "tilgjengelighet")
    await s.handle_choice(user, flow.THEMES, "sentrum")
    await s.handle_choice(user, flow.THEMES, "done")
    await s.handle_text(user, THEME_ANSWER)
    await s.handle_choice(user, "t.tilgjengelighet", "next")
    await s.handle_choice(user, "t.sentrum", "skip")
    await s.handle_text(user, Q1_ANSWER)
    await s.handle_choice(user, "q.q1", "next")
    await s.handle_choice(user, "q.q2", "skip")
    await s.handle_command(user, "summary")
    await s.handle_choice(user, flow.SUMMARY, "send")


async def quick_organisation(c: Consultation, store: Store, user: str = "org") -> None:
    """An organisation whose name and text start like formulas, late by one minute.

    It tags its text with the theme "Tilgjengelighet" from the summary, as the quick path allows.
    """
    s = _service(c, store, LATE)
    await s.handle_command(user, "start", "rask")
    await s.handle_choice(user, flow.TYPE, "organisasjon")
    await s.handle_text(user, HOSTILE_ORG)
    await s.handle_text(user, HOSTILE_NAME)
    await s.handle_text(user, HOSTILE_TEXT)
    # The quick path leaves the municipality to the summary ("Endre noe").
    await s.handle_choice(user, flow.SUMMARY, "edit")
    await s.handle_choice(user, flow.EDIT, flow.MUNICIPALITY)
    await s.handle_text(user, "Harstad")
    await s.handle_files(user, [IncomingFile("vedtak.pdf", "application/pdf", len(PDF), PDF)])
    await s.handle_choice(user, flow.SUMMARY, "themes")
    await s.handle_choice(user, flow.THEMES, "tilgjengelighet")
    await s.handle_choice(user, flow.THEMES, "done")
    await s.handle_choice(user, flow.SUMMARY, "send")


async def nynorsk_person(c: Consultation, store: Store, user: str = "nils") -> None:
    """A nynorsk respondent in Bodø who answers one theme and skips every question."""
    s = _service(c, store, EARLY)
    await s.handle_command(user, "start", language_code="nn")
    await s.handle_choice(user, flow.START, "guided")
    await s.handle_choice(user, flow.TYPE, "privatperson")
    await s.handle_text(user, "Nils Nynorsk")
    await s.handle_text(user, "Bodø")
    await s.handle_command(user, "skip")
    await s.handle_choice(user, flow.THEMES, "tilgjengelighet")
    await s.handle_choice(user, flow.THEMES, "done")
    await s.handle_text(user, NN_ANSWER)
    await s.handle_choice(user, "t.tilgjengelighet", "next")
    for q in c.questions:
        await s.handle_choice(user, flow.question_step(q.id), "skip")
    await s.handle_choice(user, flow.SUMMARY, "send")


async def fill(path: Path, c: Consultation) -> None:
    """All three, in the order they arrive."""
    async with await Store.open(path) as store:
        await nynorsk_person(c, store)
        await guided_oslo(c, store)
        await quick_organisation(c, store)
