"""Storage against a real SQLite file: what a person or staff member would notice."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.conversation.session import Answer, AnswerPart, Attachment, Respondent, Session
from bot.conversation.submission import AttachmentInfo, RespondentInfo, Submission, SubmissionAnswer
from bot.storage import (
    DuplicateUpdateError,
    NewAttachment,
    OutboxItem,
    SchemaTooNewError,
    StaleSessionError,
    Store,
)
from bot.storage.db import migrations

T0 = datetime(2021, 2, 1, 9, 30, tzinfo=UTC)
CONSULTATION = "strategi-for-smabyer"


# -- factories ------------------------------------------------------------------------------------


def make_session(
    user_id: str = "tg:1001",
    *,
    seq: int = 1,
    at: datetime = T0,
    answer: str | None = None,
    **changes: Any,
) -> Session:
    """A session as the engine would hand it over after its ``seq``-th event."""
    answers = {"tema-1": Answer(parts=[AnswerPart(text=answer)])} if answer else {}
    changes.setdefault("draft_id", f"draft-{user_id}")
    return Session(
        user_id=user_id,
        consultation_id=CONSULTATION,
        started_at=T0,
        updated_at=at,
        seq=seq,
        answers=answers,
        respondent=Respondent(type="privatperson", name="Kari Nordmann", municipality="5402"),
        **changes,
    )


def next_step(session: Session, *, minutes: int = 1, **changes: Any) -> Session:
    """The session after one more event, as the engine returns it."""
    return session.model_copy(
        update={
            "seq": session.seq + 1,
            "updated_at": session.updated_at + timedelta(minutes=minutes),
            **changes,
        }
    )


def make_submission(
    reference: str,
    *,
    at: datetime = T0,
    answer: str = "Flere togavganger til Harstad.",
    attachments: tuple[NewAttachment, ...] = (),
    respondent_type: str = "privatperson",
    municipality: str | None = "5402",
    language: str = "nb",
    flow: str = "guided",
) -> Submission:
    return Submission.model_validate(
        {
            "reference": reference,
            "consultation_id": CONSULTATION,
            "case_number": "20/6204",
            "title": "Strategi for småbyer",
            "subject": "20/6204 Innspill til strategi for småbyer som regionale kraftsentre",
            "recipient": "postmottak@kmd.dep.no",
            "received_at": at,
            "language": language,
            "flow": flow,
            "respondent": RespondentInfo(
                type_id=respondent_type,
                type_label="Privatperson",
                name="Kari Nordmann",
                municipality_number=municipality,
            ),
            "answers": [
                SubmissionAnswer(key="tema-1", kind="theme", heading="Tema 1", answer=answer)
            ],
            "attachments": [
                AttachmentInfo(
                    id=a.id, file_name=a.file_name, mime_type=a.mime_type, size=len(a.data)
                )
                for a in attachments
            ],
        }
    )


def make_attachment(
    attachment_id: str, session: Session, data: bytes = b"%PDF-1.4 innspill"
) -> NewAttachment:
    return NewAttachment(
        id=attachment_id,
        user_id=session.user_id,
        draft_id=session.draft_id,
        file_name=f"{attachment_id}.pdf",
        mime_type="application/pdf",
        data=data,
    )


def outbox_for(reference: str, *, receipt: bool = False) -> tuple[OutboxItem, ...]:
    items = [
        OutboxItem("ministry", reference, "postmottak@kmd.dep.no", f"<{reference}@innspill>", "nb")
    ]
    if receipt:
        items.append(
            OutboxItem("receipt", reference, "kari@example.no", f"<{reference}.r@innspill>", "nb")
        )
    return tuple(items)


async def submit(
    store: Store,
    session: Session,
    reference: str,
    *,
    answer: str = "Flere togavganger til Harstad.",
    receipt: bool = False,
    attachments: tuple[NewAttachment, ...] = (),
) -> Session:
    """Save the step that submits ``session``'s draft; return the saved session."""
    done = next_step(session, status="submitted", reference=reference)
    await store.save_step(
        done,
        new_attachments=attachments,
        submission=make_submission(
            reference, at=done.updated_at, answer=answer, attachments=attachments
        ),
        outbox=outbox_for(reference, receipt=receipt),
    )
    return done


def raw_bytes(db_path: Path) -> bytes:
    """Everything SQLite keeps on disk for this database (main file, WAL, journal)."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = db_path.with_name(db_path.name + suffix)
        if candidate.exists():
            data += candidate.read_bytes()
    return data


# -- opening and migrations -----------------------------------------------------------------------


async def test_open_creates_folder_uses_wal_and_records_schema_version(db_path: Path) -> None:
    async with await Store.open(db_path):
        assert db_path.exists()

    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    raw.close()
    assert {"sessions", "submissions", "outbox", "attachments"} <= tables


async def test_reopening_keeps_data_and_applies_nothing_twice(db_path: Path) -> None:
    async with await Store.open(db_path) as store:
        await store.save_step(make_session(answer="Bevar kaia."))
    async with await Store.open(db_path) as store:
        loaded = await store.load_session("tg:1001", CONSULTATION)
    assert loaded is not None
    assert loaded.answers["tema-1"].text == "Bevar kaia."
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
    raw.close()


async def test_database_from_a_newer_bot_is_refused(db_path: Path) -> None:
    async with await Store.open(db_path):
        pass
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    with pytest.raises(SchemaTooNewError):
        await Store.open(db_path)


async def test_foreign_keys_are_enforced(store: Store) -> None:
    session = make_session()
    with pytest.raises(sqlite3.IntegrityError):
        await store.save_step(session, outbox=outbox_for("NO-SUCH-REFERENCE"))
    assert await store.load_session(session.user_id, CONSULTATION) is None


# -- sessions -------------------------------------------------------------------------------------


async def test_session_roundtrip_and_resume_after_restart(db_path: Path) -> None:
    session = make_session(
        answer="Del 1 av et langt svar.",
        step="question:q2",
        history=["start", "respondent", "question:q1"],
        attachments=[Attachment(id="a1", file_name="a1.pdf", mime_type="application/pdf", size=5)],
    )
    session.answers["tema-1"].parts.append(AnswerPart(text="Del 2.", message_ref="77"))
    async with await Store.open(db_path) as store:
        await store.save_step(session)
        assert await store.load_session(session.user_id, CONSULTATION) == session

    # A new process on the same file continues where the person stopped.
    async with await Store.open(db_path) as store:
        resumed = await store.load_session(session.user_id, CONSULTATION)
        assert await store.load_session(session.user_id, "another-consultation") is None
        assert await store.load_session("tg:someone-else", CONSULTATION) is None
    assert resumed == session
    assert resumed.step == "question:q2"
    assert resumed.answers["tema-1"].text == "Del 1 av et langt svar.\n\nDel 2."


async def test_saving_from_an_outdated_session_is_refused(store: Store) -> None:
    first = make_session(seq=1)
    await store.save_step(first)
    second = next_step(first, step="question:q1")
    await store.save_step(second)

    lost_update = next_step(first, step="question:q9")  # built from seq 1, stored is seq 2
    with pytest.raises(StaleSessionError):
        await store.save_step(lost_update)
    loaded = await store.load_session(first.user_id, CONSULTATION)
    assert loaded is not None
    assert loaded.step == "question:q1"


async def test_concurrent_saves_serialise_and_one_stale_loses(store: Store) -> None:
    base = make_session(seq=1)
    await store.save_step(base)
    results = await asyncio.gather(
        store.save_step(next_step(base, step="a")),
        store.save_step(next_step(base, step="b")),
        store.save_step(make_session("tg:2002")),
        return_exceptions=True,
    )
    assert [type(r) for r in results].count(StaleSessionError) == 1
    assert results[2] is None
    loaded = await store.load_session(base.user_id, CONSULTATION)
    assert loaded is not None
    assert loaded.step in {"a", "b"}
    assert loaded.seq == 2
    assert await store.load_session("tg:2002", CONSULTATION) is not None


async def test_redelivered_update_is_refused_and_writes_nothing(store: Store) -> None:
    first = make_session(answer="Første svar.")
    await store.save_step(first, update_key="tg:500")
    assert await store.is_update_processed("tg:500")
    assert not await store.is_update_processed("tg:501")

    again = next_step(first, step="other")
    with pytest.raises(DuplicateUpdateError):
        await store.save_step(
            again,
            update_key="tg:500",
            new_attachments=(make_attachment("att-dup", again),),
        )
    loaded = await store.load_session(first.user_id, CONSULTATION)
    assert loaded == first
    assert await store.attachment("att-dup") is None


def test_naive_times_are_refused() -> None:
    from bot.storage.db import to_db_time

    with pytest.raises(ValueError, match="naive"):
        to_db_time(datetime(2021, 2, 1, 9, 30))  # noqa: DTZ001 - the point of the test


# -- attachments ----------------------------------------------------------------------------------


async def test_attachments_are_stored_counted_and_forgotten(store: Store) -> None:
    session = make_session()
    await store.save_step(
        session,
        new_attachments=(
            make_attachment("a1", session, b"x" * 1000),
            make_attachment("a2", session, b"y" * 500),
        ),
    )
    assert await store.attachment("a1") == ("a1.pdf", "application/pdf", b"x" * 1000)
    assert await store.attachment_total_size(session.draft_id) == 1500
    assert await store.attachment_total_size("draft-nobody") == 0

    later = next_step(session)
    await store.save_step(later, forget_attachments=("a1",))
    assert await store.attachment("a1") is None
    assert await store.attachment_total_size(session.draft_id) == 500


async def test_forgetting_an_attachment_of_a_submission_keeps_it(store: Store) -> None:
    session = make_session()
    doc = make_attachment("a-sub", session)
    await store.save_step(session)
    submitted = await submit(store, session, "INN-1", attachments=(doc,))
    await store.save_step(next_step(submitted), forget_attachments=("a-sub",))
    assert await store.attachment("a-sub") is not None


# -- submissions ----------------------------------------------------------------------------------


async def test_submission_and_outbox_are_written_with_the_step(store: Store) -> None:
    session = make_session()
    await store.save_step(session)
    submitted = await submit(store, session, "INN-1", receipt=True)

    stored = await store.get_submission("INN-1")
    assert stored == make_submission("INN-1", at=submitted.updated_at)
    assert await store.get_submission("INN-404") is None
    rows = await store.list_outbox()
    assert [(r.kind, r.status, r.attempts) for r in rows] == [
        ("ministry", "pending", 0),
        ("receipt", "pending", 0),
    ]
    assert rows[0].next_attempt_at == submitted.updated_at
    assert rows[0].message_id == "<INN-1@innspill>"
    loaded = await store.load_session(session.user_id, CONSULTATION)
    assert loaded is not None
    assert loaded.status == "submitted"


async def test_failed_submit_step_leaves_no_trace(store: Store) -> None:
    await submit(store, make_session("tg:1"), "INN-1")
    other = make_session("tg:2")
    await store.save_step(other)

    clash = next_step(other, status="submitted", reference="INN-1")
    doc = make_attachment("a-other", clash)
    with pytest.raises(sqlite3.IntegrityError):
        await store.save_step(
            clash,
            update_key="tg:900",
            new_attachments=(doc,),
            submission=make_submission("INN-1", answer="Noe annet.", attachments=(doc,)),
            outbox=outbox_for("INN-1", receipt=True),
        )

    assert await store.load_session("tg:2", CONSULTATION) == other
    assert len(await store.list_outbox()) == 1
    assert await store.attachment("a-other") is None
    assert not await store.is_update_processed("tg:900")
    submission = await store.get_submission("INN-1")
    assert submission is not None
    assert submission.answers[0].answer == "Flere togavganger til Harstad."


async def test_list_submissions_in_arrival_order(store: Store) -> None:
    await submit(store, make_session("tg:1", at=T0 + timedelta(hours=2)), "INN-2")
    await submit(store, make_session("tg:2", at=T0), "INN-1")
    assert [s.reference for s in await store.list_submissions()] == ["INN-1", "INN-2"]
    assert [s.reference for s in await store.list_submissions(CONSULTATION)] == [
        "INN-1",
        "INN-2",
    ]
    assert await store.list_submissions("other-consultation") == []


# -- outbox ---------------------------------------------------------------------------------------


async def test_outbox_claim_retry_crash_and_sent(store: Store) -> None:
    await submit(store, make_session(at=T0), "INN-1")
    now = T0 + timedelta(minutes=1)

    claimed = await store.claim_due_outbox(now, lease_seconds=300)
    assert [(r.reference, r.status, r.attempts) for r in claimed] == [("INN-1", "sending", 1)]
    row_id = claimed[0].id
    # A second worker (or the next poll) does not get a message that is being sent.
    assert await store.claim_due_outbox(now) == []

    # Server said 4xx: try again in ten minutes, not before.
    await store.mark_outbox_retry(row_id, "421 try later", now + timedelta(minutes=10))
    row = await store.outbox_row(row_id)
    assert row is not None
    assert (row.status, row.last_error) == ("pending", "421 try later")
    assert await store.claim_due_outbox(now + timedelta(minutes=5)) == []
    again = await store.claim_due_outbox(now + timedelta(minutes=10))
    assert [(r.id, r.attempts) for r in again] == [(row_id, 2)]

    # The process crashes mid-send: once the lease expires the message is claimed again.
    crash_time = now + timedelta(minutes=10)
    assert await store.claim_due_outbox(crash_time + timedelta(seconds=299)) == []
    reclaimed = await store.claim_due_outbox(crash_time + timedelta(seconds=300))
    assert [(r.id, r.attempts, r.message_id) for r in reclaimed] == [
        (row_id, 3, "<INN-1@innspill>")
    ]

    sent_at = crash_time + timedelta(minutes=6)
    await store.mark_outbox_sent(row_id, sent_at)
    # A late worker reporting a failure for the same message cannot undo "sent".
    await store.mark_outbox_retry(row_id, "timeout", sent_at)
    await store.mark_outbox_failed(row_id, "550")
    row = await store.outbox_row(row_id)
    assert row is not None
    assert (row.status, row.sent_at) == ("sent", sent_at)
    assert await store.claim_due_outbox(sent_at + timedelta(days=1)) == []
    assert [r.id for r in await store.list_outbox("sent")] == [row_id]
    assert await store.list_outbox("pending") == []


async def test_claim_respects_limit_and_due_order(store: Store) -> None:
    for i in range(3):
        await submit(store, make_session(f"tg:{i}", at=T0 + timedelta(minutes=i)), f"INN-{i}")
    first = await store.claim_due_outbox(T0 + timedelta(hours=1), limit=2)
    assert [r.reference for r in first] == ["INN-0", "INN-1"]
    rest = await store.claim_due_outbox(T0 + timedelta(hours=1), limit=2)
    assert [r.reference for r in rest] == ["INN-2"]


async def test_failed_message_is_visible_and_can_be_retried(store: Store) -> None:
    await submit(store, make_session(at=T0), "INN-1")
    (row,) = await store.claim_due_outbox(T0 + timedelta(hours=1))
    await store.mark_outbox_failed(row.id, "550 mailbox unavailable")

    (failed,) = await store.list_outbox("failed")
    assert (failed.id, failed.last_error) == (row.id, "550 mailbox unavailable")
    assert await store.claim_due_outbox(T0 + timedelta(days=1)) == []

    later = T0 + timedelta(hours=3)
    assert await store.retry_outbox(row.id, later)
    assert not await store.retry_outbox(row.id, later)  # not failed any more
    assert not await store.retry_outbox(9999, later)
    (retried,) = await store.claim_due_outbox(later)
    assert (retried.id, retried.attempts) == (row.id, 1)


async def test_unknown_outbox_status_is_an_error(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown outbox status"):
        await store.list_outbox("lost")
    assert await store.outbox_row(1) is None


# -- privacy --------------------------------------------------------------------------------------


async def test_delete_user_data_removes_text_from_disk(db_path: Path) -> None:
    secret_draft = "Kvitsteinbakeriet-i-Ytre-Harstad-2021"
    secret_submitted = "Lysloypa-ved-Kanebogen-skole-4471"
    secret_document = b"HEMMELIG-VEDLEGG-93817"
    kept = "Naboens-svar-om-Sortland-bibliotek"

    async with await Store.open(db_path) as store:
        # An earlier submission, already delivered.
        old = make_session("tg:kari", answer=secret_submitted)
        await store.save_step(old)
        await submit(store, old, "INN-1", answer=secret_submitted)
        (row,) = await store.claim_due_outbox(T0 + timedelta(hours=1))
        await store.mark_outbox_sent(row.id, T0 + timedelta(hours=1))

        # A new draft, saved over several steps, with a document.
        draft = make_session(
            "tg:kari", seq=3, at=T0 + timedelta(days=1), answer=secret_draft, draft_id="d2"
        )
        await store.save_step(
            draft, new_attachments=(make_attachment("a1", draft, secret_document),)
        )
        for _ in range(3):
            draft = next_step(draft)
            await store.save_step(draft)

        neighbour = make_session("tg:ola", answer=kept)
        await store.save_step(neighbour)

        report = await store.delete_user_data("tg:kari")
        assert (report.sessions, report.submissions, report.pending_deliveries) == (1, 1, 0)
        assert await store.load_session("tg:kari", CONSULTATION) is None
        assert await store.get_submission("INN-1") is None
        assert await store.attachment("a1") is None
        assert await store.list_outbox() == []
        assert await store.load_session("tg:ola", CONSULTATION) == neighbour

    on_disk = raw_bytes(db_path)
    assert secret_draft.encode() not in on_disk
    assert secret_submitted.encode() not in on_disk
    assert secret_document not in on_disk
    assert kept.encode() in on_disk


async def test_delete_user_data_keeps_pending_delivery_until_sent(db_path: Path) -> None:
    secret = "Gammelbrygga-i-Brekstad-skal-bevares-5512"
    document = b"VEDLEGG-SOM-MA-LEVERES-7731"

    async with await Store.open(db_path) as store:
        session = make_session("tg:kari", answer=secret)
        await store.save_step(session)
        doc = make_attachment("a-ministry", session, document)
        await submit(store, session, "INN-1", answer=secret, receipt=True, attachments=(doc,))

        report = await store.delete_user_data("tg:kari")
        assert (report.sessions, report.submissions, report.pending_deliveries) == (1, 0, 1)
        assert await store.load_session("tg:kari", CONSULTATION) is None
        # The ministry still gets it: the mailer can read the submission and its document.
        assert await store.get_submission("INN-1") is not None
        assert await store.attachment("a-ministry") is not None

        (ministry,) = await store.claim_due_outbox(T0 + timedelta(minutes=5))
        await store.mark_outbox_sent(ministry.id, T0 + timedelta(minutes=5))
        assert await store.get_submission("INN-1") is not None  # the receipt is still due
        (receipt,) = await store.claim_due_outbox(T0 + timedelta(minutes=5))

        await store.mark_outbox_failed(receipt.id, "550 no such user")
        assert await store.get_submission("INN-1") is None
        assert await store.attachment("a-ministry") is None
        assert await store.list_outbox() == []

    on_disk = raw_bytes(db_path)
    assert secret.encode() not in on_disk
    assert document not in on_disk


async def test_purge_deletes_only_abandoned_drafts(store: Store) -> None:
    cutoff = T0 + timedelta(days=30)
    abandoned = make_session("tg:gone", at=T0)
    await store.save_step(abandoned, new_attachments=(make_attachment("a-gone", abandoned),))
    active = make_session("tg:active", at=cutoff + timedelta(days=1))
    await store.save_step(active, new_attachments=(make_attachment("a-active", active),))
    finished = make_session("tg:done", at=T0)
    doc = make_attachment("a-done", finished)
    await store.save_step(finished)
    await submit(store, finished, "INN-1", attachments=(doc,))

    assert await store.purge_abandoned_drafts(cutoff) == 1
    assert await store.load_session("tg:gone", CONSULTATION) is None
    assert await store.attachment("a-gone") is None
    assert await store.load_session("tg:active", CONSULTATION) is not None
    assert await store.attachment("a-active") is not None
    assert await store.load_session("tg:done", CONSULTATION) is not None
    assert await store.attachment("a-done") is not None
    assert await store.get_submission("INN-1") is not None
    assert await store.purge_abandoned_drafts(cutoff) == 0


# -- staff ----------------------------------------------------------------------------------------


async def test_stats_count_what_staff_ask_for(store: Store) -> None:
    late_evening = datetime(2021, 2, 1, 23, 30, tzinfo=UTC)  # 2 February in Oslo
    specs = [
        ("tg:1", "INN-1", T0, "privatperson", "5402", "nb", "guided"),
        ("tg:2", "INN-2", T0, "kommune", "1820", "nn", "quick"),
        ("tg:3", "INN-3", late_evening, "privatperson", "5401", "nb", "guided"),
        ("tg:4", "INN-4", late_evening, "organisasjon", None, "en", "guided"),
    ]
    for user, reference, at, rtype, municipality, lang, flow in specs:
        session = make_session(user, at=at)
        done = next_step(session, status="submitted", reference=reference)
        await store.save_step(
            done,
            submission=make_submission(
                reference,
                at=at,
                respondent_type=rtype,
                municipality=municipality,
                language=lang,
                flow=flow,
            ),
            outbox=outbox_for(reference),
        )
    await store.save_step(make_session("tg:drafting"))
    (row, *_) = await store.claim_due_outbox(late_evening, limit=1)
    await store.mark_outbox_sent(row.id, late_evening)

    stats = await store.staff.stats(CONSULTATION)
    assert stats["submissions"] == 4
    assert stats["by_respondent_type"] == {"kommune": 1, "organisasjon": 1, "privatperson": 2}
    assert stats["by_municipality"] == {"1820": 1, "5401": 1, "5402": 1}
    assert stats["by_county"] == {"18": 1, "54": 2}
    assert stats["by_language"] == {"en": 1, "nb": 2, "nn": 1}
    assert stats["by_flow"] == {"guided": 3, "quick": 1}
    assert stats["by_day"] == {"2021-02-01": 2, "2021-02-02": 2}
    assert stats["drafts_in_progress"] == 1
    assert stats["outbox"] == {"pending": 3, "sending": 0, "sent": 1, "failed": 0}

    empty = await store.staff.stats("other-consultation")
    assert empty["submissions"] == 0
    assert empty["outbox"] == {"pending": 0, "sending": 0, "sent": 0, "failed": 0}
