"""Issue #21's «done when»: what staff read when it is many, checked as staff would open it.

A 12-letter campaign, 6 distinct letters, a Word document and a scanned PDF, delivered as
``.eml`` files; then one campaign sender deletes everything with ``/slett``.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.consultation.model import Consultation, pick
from tests.staff.many import (
    CAMPAIGN,
    DISTINCT,
    SCANNED_FILE,
    WORD_FILE,
    WORD_TEXT,
    delete,
    fill,
)
from tests.staff.test_compile import outline, under

TOTAL = CAMPAIGN + DISTINCT + 2


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, c: Consultation) -> Path:
    """The operator's folder (as the root ``env``, without the staff tests' three people),
    its database and outbox filled and delivered."""
    for name in ("TELEGRAM_BOT_TOKEN", "SMTP_HOST", "RECIPIENT_OVERRIDE", "CONVERSATION_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("MAIL_TRANSPORT", "file")
    monkeypatch.chdir(tmp_path)
    asyncio.run(fill(tmp_path / "db.sqlite3", tmp_path / "outbox", c))
    return tmp_path


def compiled(env: Path) -> list[tuple[str, str]]:
    out = env / "sammenstilling.docx"
    assert main(["compile", "--output", str(out)]) == 0
    return outline(out)


def workbook_rows(env: Path) -> list[dict[str, object]]:
    out = env / "innspill.xlsx"
    assert main(["export", "--output", str(out)]) == 0
    sheet = load_workbook(out)["Innspill"]
    header = [str(cell.value) for cell in sheet[1]]
    return [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]


def test_the_compilation_shows_the_documents_text_the_campaign_once_and_an_overview(
    many: Path, c: Consultation
) -> None:
    paragraphs = compiled(many)
    texts = [text for _, text in paragraphs]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]

    # The Word document's text, under the submission it came with, searchable as text.
    ready = under(paragraphs, "Innspill som ferdig tekst")
    title = next(t for t in ready if t.startswith(f"Fra vedlegget {WORD_FILE}"))
    assert ready[ready.index(title) + 1] == "Innspill fra Harstad Byforening"
    assert WORD_TEXT in ready
    assert ready[ready.index(title) - 1].startswith("Harstad Byforening (kontaktperson Per Hansen)")
    scanned = next(t for t in ready if t.startswith(f"Fra vedlegget {SCANNED_FILE}"))
    assert "skannet" in ready[ready.index(scanned) + 1], "a scanned PDF says it has no text"

    # One «Like innspill» group, counting twelve, with the shared text and every sender.
    like = [h for h in headings if h.startswith("Gruppe ")]
    assert like == [f"Gruppe 1: {CAMPAIGN} like innspill"]
    group = under(paragraphs, like[0])
    assert f"Innspill i gruppen: {CAMPAIGN}" in group
    assert group.count("Felles tekst") == 1
    senders = [t for t in group if t.startswith("Kampanje Person")]
    assert len(senders) == CAMPAIGN, "who sent it"
    changes = [group[group.index(s) + 1] for s in senders]
    assert sum(change.startswith(("Byttet", "La til", "Tok bort")) for change in changes) >= 10
    assert sum("byttet «" in change.lower() for change in changes) >= 8, "their own town"

    # Under the first question the campaign's answer stands once, «(og 11 like …)».
    question = f"Spørsmål 1: {pick(c.questions[0].text, 'nb')}"
    answers = under(paragraphs, question)
    campaign = [t for t in answers if f"(og {CAMPAIGN - 1} like" in t]
    assert len(campaign) == 1
    assert sum(t.startswith("Kampanje Person") for t in answers) == 1
    assert sum(t.startswith("Egen Skribent") for t in answers) == DISTINCT

    # The overview at the top of the question: who answered, by type and county, and words.
    assert answers[1] == f"Svar: {CAMPAIGN + DISTINCT} av {TOTAL} innspill"
    assert answers[2] == f"Etter innsendertype: Privatperson {CAMPAIGN + DISTINCT}"
    assert answers[3].startswith("Etter fylke: ")
    # Only the Word document to compare with: the words that recur, not «stand out».
    words = next(t for t in answers if t.startswith(("Ord som skiller seg ut: ", "Ord som går")))
    terms = words.partition(": ")[2].split(", ")
    assert len(terms) >= 3, "what people talk about"
    assert not set(terms) & {"og", "det", "som", "er", "hei", "hilsen"}, "no stop words"
    assert "Privatperson" in " ".join(texts)


def test_the_cover_counts_the_group(many: Path) -> None:
    out = many / "sammenstilling.docx"
    assert main(["compile", "--output", str(out)]) == 0
    facts = {row.cells[0].text: row.cells[1].text for row in docx.Document(str(out)).tables[0].rows}
    assert facts["Like innspill"] == f"1 gruppe med {CAMPAIGN} innspill i alt"
    assert facts["Antall innspill"] == str(TOTAL)


def test_the_workbook_has_exactly_the_twelve_in_one_likhetsgruppe(many: Path) -> None:
    rows = workbook_rows(many)
    groups = Counter(row["Likhetsgruppe"] for row in rows)
    assert groups == {"Gruppe 1": CAMPAIGN, None: TOTAL - CAMPAIGN}
    campaign = {row["Navn"] for row in rows if row["Likhetsgruppe"] == "Gruppe 1"}
    assert campaign == {f"Kampanje Person{n}" for n in range(CAMPAIGN)}
    forening = next(row for row in rows if row["Organisasjon"] == "Harstad Byforening")
    assert WORD_TEXT in str(forening["Tekst fra vedlegg"])
    assert str(forening["Tekst fra vedlegg"]).startswith(f"Fra vedlegget {WORD_FILE}:")


def test_after_one_senders_slett_every_delivered_submission_still_counts(
    many: Path, c: Consultation, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = many / "outbox"
    before = sorted(p.name for p in outbox.glob("*.eml"))
    assert len(before) == TOTAL
    asyncio.run(delete(many / "db.sqlite3", outbox, c, "kampanje3"))
    after = sorted(p.name for p in outbox.glob("*.eml"))
    assert len(after) == TOTAL - 1, "our .eml copy of the deleted submission is gone"

    rows = workbook_rows(many)
    assert len(rows) == TOTAL
    erased = [row for row in rows if row["Innsendertype"] == "Slettet av innsender etter levering"]
    assert len(erased) == 1
    kept = {k: v for k, v in erased[0].items() if v not in (None, "")}
    assert set(kept) == {"Referanse", "Mottatt", "Mottatt etter fristen", "Kanal", "Innsendertype"}
    assert str(kept["Referanse"]).startswith("SMB-")
    assert "Kampanje Person3" not in json.dumps(rows, default=str), "nothing of its content"

    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["submissions"] == TOTAL
    assert stats["erased_after_delivery"] == 1
    assert sum(stats["by_day"].values()) == TOTAL
    assert stats["similar"]["groups"] == 1
    assert stats["similar"]["submissions"] == CAMPAIGN - 1
    assert main(["stats"]) == 0
    text = capsys.readouterr().out
    assert f"Innspill i alt: {TOTAL}" in text
    assert "  herav slettet av innsender etter levering: 1" in text
    assert f"Like innspill: 1 gruppe med {CAMPAIGN - 1} innspill i alt" in text

    assert main(["export", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert len(exported) == TOTAL
    gone = next(item for item in exported if item.get("erased_by_sender"))
    assert set(gone) == {
        "reference",
        "received_at",
        "channel",
        "late",
        "erased_by_sender",
        "status",
    }
