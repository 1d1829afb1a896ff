"""Abuse limits: uploads and submissions per person per hour, counted across restarts."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.service.abuse_limits import AbuseLimits, Action, refusal
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile
from bot.storage import Store
from tests.service.test_conversations import PDF, quick_to_input

LIMITS = AbuseLimits(submissions_per_hour=1, uploads_per_hour=2)


def pdf(name: str) -> IncomingFile:
    return IncomingFile(name, "application/pdf", len(PDF), PDF)


async def test_uploads_beyond_the_hourly_limit_are_refused_even_after_a_restart(
    consultation: Consultation, db_path: Path
) -> None:
    async with await Store.open(db_path) as store:
        service = ConversationService(consultation, store, abuse_limits=LIMITS)
        await quick_to_input(service, "u")
        await service.handle_files("u", [pdf("a.pdf"), pdf("b.pdf")], update_key="tg:1:1")
    async with await Store.open(db_path) as store:
        service = ConversationService(consultation, store, abuse_limits=LIMITS)
        refused = await service.handle_files("u", [pdf("c.pdf")], update_key="tg:1:2")
        assert "lastet opp mange dokumenter" in refused.replies[0].text
        session = await service.session_of("u")
        assert session is not None
        assert [a.file_name for a in session.attachments] == ["a.pdf", "b.pdf"]
        # The refused update is recorded: redelivered, it is not answered twice.
        assert (await service.handle_files("u", [pdf("c.pdf")], update_key="tg:1:2")).replies == []


async def test_a_second_submission_within_the_hour_is_refused_and_the_draft_kept(
    consultation: Consultation, store: Store
) -> None:
    service = ConversationService(consultation, store, abuse_limits=LIMITS)
    await quick_to_input(service, "u")
    await service.handle_text("u", "Innspill.")
    await service.handle_choice("u", flow.SUMMARY, "send")
    await quick_to_input(service, "u")
    await service.handle_text("u", "Innspill igjen.")
    refused = await service.handle_choice("u", flow.SUMMARY, "send")
    assert "sendt mange innspill den siste timen" in refused.replies[0].text
    assert len(await store.list_submissions()) == 1
    session = await service.session_of("u")
    assert session is not None
    assert session.status == "draft", "the draft is kept for later"


def test_each_refusal_is_in_the_persons_language() -> None:
    assert "innspel" in refusal(Action.SUBMISSION, "nn").text
    assert "uploaded many documents" in refusal(Action.UPLOAD, "en").text


async def test_the_purge_forgets_counts_from_before_its_cutoff(
    consultation: Consultation, store: Store, db_path: Path
) -> None:
    service = ConversationService(consultation, store, abuse_limits=LIMITS)
    await quick_to_input(service, "u")
    await service.handle_files("u", [pdf("a.pdf")], update_key="tg:1:1")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO receipt_counts (address_hash, day, count) VALUES ('x', ?, 1)",
            ("2020-01-01",),
        )
    assert count_rows(db_path) == (1, 1)
    await store.purge_abandoned_drafts(datetime.now(UTC) - timedelta(days=30))
    assert count_rows(db_path) == (1, 0), "today's upload is still counted"
    await store.purge_abandoned_drafts(datetime.now(UTC) + timedelta(days=1))
    assert count_rows(db_path) == (0, 0)


def count_rows(db_path: Path) -> tuple[int, int]:
    """(counted actions, receipt-count rows) in the database."""
    with sqlite3.connect(db_path) as conn:
        actions = conn.execute("SELECT count(*) FROM limit_events").fetchone()[0]
        receipts = conn.execute("SELECT count(*) FROM receipt_counts").fetchone()[0]
    return int(actions), int(receipts)
