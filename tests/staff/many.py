"""A consultation that made the news, in small: a campaign, distinct letters and documents.

Made through the real service and engine into real SQLite, and delivered by the real outbox
worker as ``.eml`` files, as staff would find it: twelve people send one template letter
with their own edits (their town, a sentence of their own, typos) as their answer to the
first question; six write letters of their own on the same themes; an association uploads a
Word document as its input; another uploads a scanned PDF with no text in it.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from docx import Document
from pypdf import PdfWriter

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.mail.outbox import OutboxWorker
from bot.mail.transport import FileTransport, forget_copies
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store
from tests.staff.letters import CAMPAIGNS, campaign_letter, distinct_letter

START = datetime(2021, 2, 1, 9, 0, tzinfo=UTC)
CAMPAIGN = 12
DISTINCT = 6
WORD_TEXT = (
    "Harstad Byforening mener at strategien må gi småbyene ansvar for regionale "
    "kulturhus, og at fylkeskommunen skal finansiere drift av bibliotek i sentrum."
)
WORD_FILE = "innspill.docx"
SCANNED_FILE = "skannet.pdf"
CAMPAIGN_TEMPLATE = CAMPAIGNS[1]
HOMES = (
    "Harstad", "Narvik", "Alta", "Hammerfest", "Rana", "Vefsn", "Alstahaug", "Brønnøy",
    "Steinkjer", "Namsos", "Levanger", "Kristiansund", "Molde", "Flekkefjord", "Arendal",
    "Grimstad", "Notodden", "Kongsberg",
)  # fmt: skip
"""Where the senders live (municipality names, as people type them)."""


def word_document() -> bytes:
    """A small Word document with a heading and the association's text."""
    document = Document()
    document.add_heading("Innspill fra Harstad Byforening", level=1)
    document.add_paragraph(WORD_TEXT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose page is only a picture, as a scanner makes it: no text layer."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class People:
    """Sends submissions through the service at a time that moves on an hour per person."""

    def __init__(self, c: Consultation, store: Store, outbox: Path) -> None:
        self.at = START
        self.service = ConversationService(
            c,
            store,
            clock=lambda: self.at,
            send_receipts=False,
            forget_copies=lambda ids: forget_copies(FileTransport(outbox), ids),
        )

    async def guided(self, user: str, name: str, town: str, q1: str) -> None:
        """A private person who answers only the first question, with a letter."""
        self.at += timedelta(hours=1)
        s = self.service
        await s.handle_command(user, "start")
        await s.handle_choice(user, flow.START, "guided")
        await s.handle_choice(user, flow.TYPE, "privatperson")
        await s.handle_text(user, name)
        await s.handle_text(user, town)
        await s.handle_command(user, "skip")  # no e-mail
        await s.handle_command(user, "skip")  # no theme: straight to the questions
        await s.handle_text(user, q1)
        await s.handle_command(user, "summary")
        await s.handle_choice(user, flow.SUMMARY, "send")

    async def document(self, user: str, organisation: str, file: IncomingFile) -> None:
        """An association that uploads its input as a document, with no text typed."""
        self.at += timedelta(hours=1)
        s = self.service
        await s.handle_command(user, "start", "rask")
        await s.handle_choice(user, flow.TYPE, "organisasjon")
        await s.handle_text(user, organisation)
        await s.handle_text(user, "Per Hansen")
        await s.handle_files(user, [file])
        await s.handle_choice(user, flow.SUMMARY, "send")

    async def delete_everything(self, user: str) -> None:
        """``/slett`` and «Ja, slett alt»."""
        await self.service.handle_command(user, "delete")
        await self.service.handle_choice(user, flow.DELETE, "yes")


async def fill(path: Path, outbox: Path, c: Consultation) -> None:
    """Everyone sends, then every e-mail is delivered as an ``.eml`` file."""
    rng = random.Random(21)
    async with await Store.open(path) as store:
        people = People(c, store, outbox)
        for n in range(CAMPAIGN):
            await people.guided(
                f"kampanje{n}",
                f"Kampanje Person{n}",
                HOMES[n],
                campaign_letter(rng, CAMPAIGN_TEMPLATE),
            )
        for n in range(DISTINCT):
            await people.guided(
                f"egen{n}", f"Egen Skribent{n}", HOMES[CAMPAIGN + n], distinct_letter(rng)
            )
        word = word_document()
        await people.document(
            "forening", "Harstad Byforening", IncomingFile(WORD_FILE, None, len(word), word)
        )
        scan = scanned_pdf()
        await people.document(
            "skanner",
            "Skannerlaget",
            IncomingFile(SCANNED_FILE, "application/pdf", len(scan), scan),
        )
        worker = OutboxWorker(store, FileTransport(outbox), mail_from="innspill@example.no",
                              recipient_override=None)  # fmt: skip
        await worker.run_once()


async def delete(path: Path, outbox: Path, c: Consultation, user: str) -> None:
    """One sender deletes everything about them, after delivery."""
    async with await Store.open(path) as store:
        await People(c, store, outbox).delete_everything(user)
