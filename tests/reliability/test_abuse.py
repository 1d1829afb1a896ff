"""Abuse limits against the real bot process: too many submissions, receipts and uploads.

The limits are set low through the settings' environment variables, so the scenario reaches
each of them in a few actions. Each refusal must be polite and in the person's language, must
keep what the person already gave, and must still hold after a ``kill -9`` and a restart (the
counts live in SQLite). A receipt goes to an address nobody confirmed, so it must carry none of
the person's own text (a phishing link in an answer must not reach the receipt).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable
from dataclasses import dataclass, field

import pytest

from tests.channels.telegram.fake_bot_api import BotMessage, FakeUser
from tests.reliability.conftest import Rig
from tests.reliability.driver import wait_for
from tests.reliability.harness import database, until
from tests.reliability.results import Row, record

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

LIMITS = {
    "MAX_SUBMISSIONS_PER_HOUR": "2",
    "RECEIPTS_PER_ADDRESS_PER_DAY": "1",
    "MAX_UPLOADS_PER_HOUR": "2",
}
VICTIM = "offer@example.org"
"""The address both accounts ask receipts for (nobody confirmed it)."""
PHISHING = "https://innspill-login.example.net/bekreft"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TIMEOUT = 15.0
REFERENCE = re.compile(r"(?:Referansenummer|Reference number): ([A-Z0-9-]+[A-Z0-9])")


def shows(message: BotMessage, needle: str) -> bool:
    """Whether a bot output has ``needle`` in its text or on one of its buttons."""
    return needle in message.text or any(needle in label for label in message.labels)


@dataclass
class Chat:
    """One person's chat with the bot, and what they gave that it acknowledged."""

    rig: Rig
    user: FakeUser
    given: list[str] = field(default_factory=list)

    async def do(self, action: Awaitable[object], expect: str) -> BotMessage:
        """Run an action (a coroutine) and wait for a reply containing ``expect``."""
        mark = self.user.mark()
        await action
        reply = await wait_for(self.rig.api, self.user, mark, lambda o: shows(o, expect), TIMEOUT)
        if reply is None:
            seen = [o.text[:120] for o in self.user.replies_since(mark)]
            raise AssertionError(f"no reply containing {expect!r}; got {seen}")
        return reply

    async def click(self, label: str, expect: str) -> BotMessage:
        return await self.do(self.user.click(label), expect)

    async def send(self, text: str, expect: str) -> BotMessage:
        return await self.do(self.user.send(text), expect)


async def guided_with_receipt(chat: Chat, words: dict[str, str], answer: str) -> BotMessage:
    """The guided path with a receipt to :data:`VICTIM` and one theme, sent at once."""
    await chat.send("/start", words["how"])
    await chat.click(words["guided"], words["who"])
    await chat.click(words["private"], words["name?"])
    await chat.send(words["name"], words["municipality?"])
    await chat.send("Harstad", words["receipt?"])
    await chat.send(VICTIM, words["themes?"])
    await chat.click(words["theme"], "✅")
    await chat.click(words["done"], words["theme 1"])
    await chat.send(answer, words["saved"])
    chat.given.append(answer)
    await chat.click(words["skip rest"], words["send"])
    return await chat.click(words["send"], words["reference"])


async def quick_to_input(chat: Chat, words: dict[str, str]) -> None:
    """``/start rask`` up to the step that takes a text or documents."""
    await chat.send("/start rask", words["who"])
    await chat.click(words["private"], words["name?"])
    await chat.send(words["name"], words["municipality?"])
    await chat.send("Harstad", words["input?"])


NB = {
    "how": "Hvordan vil du svare?",
    "guided": "Svar på spørsmålene (ca. 10 min)",
    "who": "Hvem svarer du for?",
    "private": "Privatperson",
    "name?": "Hva heter du?",
    "name": "Kari Misbruk",
    "municipality?": "Hvilken kommune",
    "receipt?": "kvittering på e-post",
    "themes?": "Hvilke tema",
    "theme": "Tjenester",
    "done": "Ferdig ➡️",
    "theme 1": "Tema 1 av 1",
    "saved": "Lagret ✅",
    "skip rest": "⏭ Hopp over resten og se oppsummeringen",
    "send": "✅ Send inn",
    "reference": "Referansenummer",
    "input?": "send det som fil med 📎",
    "received": "vedlegg mottatt",
    "summary": "Oppsummering",
    "welcome back": "Velkommen tilbake",
    "continue": "Fortsett der jeg var",
    "no receipt": "vi sender ingen kvittering",
    "too many submissions": "Du har sendt mange innspill den siste timen",
    "too many uploads": "Du har lastet opp mange dokumenter den siste timen",
}
EN = {
    "how": "How do you want to answer?",
    "guided": "Answer the questions (about 10 min)",
    "who": "Who are you answering for?",
    "private": "Private individual",
    "name?": "What is your name?",
    "name": "Ola Abuse",
    "municipality?": "Which municipality",
    "receipt?": "receipt by e-mail",
    "themes?": "Which themes",
    "theme": "Services",
    "done": "Done ➡️",
    "theme 1": "Theme 1 of 1",
    "saved": "Saved ✅",
    "skip rest": "⏭ Skip the rest and see the summary",
    "send": "✅ Send",
    "reference": "Reference number",
    "input?": "send it as a file with 📎",
    "received": "attachment",
    "summary": "Summary",
    "welcome back": "Welcome back",
    "continue": "Continue where I was",
    "no receipt": "we will not e-mail a receipt",
    "too many submissions": "You have sent many submissions in the last hour",
    "too many uploads": "You have uploaded many documents",
}


def reference_of(reply: BotMessage) -> str:
    """The reference number the bot gave in a reply."""
    found = REFERENCE.search(reply.text)
    assert found is not None, reply.text
    return found.group(1)


async def test_abuse_limits_hold_across_a_kill(rig: Rig) -> None:
    rig.bot.env.update(LIMITS)
    await rig.bot.start()
    kari = Chat(rig, rig.api.user(6101, first_name="Kari"))
    ola = Chat(rig, rig.api.user(6102, first_name="Ola", language_code="en"))
    refusals: list[str] = []
    references: list[str] = []

    # Receipts to one address: Kari's goes, Ola's (same address, same day) does not.
    sent = await guided_with_receipt(kari, NB, f"Logg inn her: {PHISHING} for å bekrefte.")
    references.append(reference_of(sent))
    await until(
        lambda: any(VICTIM in str(a.message["To"]) for a in rig.smtp.accepted), 20, "Kari's receipt"
    )
    sent = await guided_with_receipt(ola, EN, f"Please log in at {PHISHING} today.")
    references.append(reference_of(sent))
    told = await wait_for(rig.api, ola.user, 0, lambda o: EN["no receipt"] in o.text, TIMEOUT)
    assert told is not None, "Ola was not told that no receipt goes to the address"
    refusals.append("receipt en")

    # Submissions per hour: Ola's second goes, the third is refused and kept as a draft.
    await quick_to_input(ola, EN)
    await ola.send("Second input from Ola.", EN["summary"])
    ola.given.append("Second input from Ola.")
    references.append(reference_of(await ola.click(EN["send"], EN["reference"])))
    await quick_to_input(ola, EN)
    await ola.send("Third input from Ola.", EN["summary"])
    ola.given.append("Third input from Ola.")
    await ola.click(EN["send"], EN["too many submissions"])
    refusals.append("submission en")

    # Uploads per hour: Kari's two documents are taken; after a kill -9 the third is refused.
    await quick_to_input(kari, NB)
    for name in ("a.pdf", "b.pdf"):
        await kari.do(kari.user.send_document(name, PDF + name.encode()), NB["received"])
    await rig.bot.kill()
    await rig.bot.start()
    await kari.do(kari.user.send_document("c.pdf", PDF + b"c"), NB["too many uploads"])
    refusals.append("upload nb (after kill -9)")
    await ola.send("/start", EN["welcome back"])
    summary = await ola.click(EN["continue"], EN["summary"])
    kept = "Third input from Ola." in ola.user.current(summary).text
    await ola.click(EN["send"], EN["too many submissions"])
    refusals.append("submission en (after kill -9)")
    await kari.send("/start", NB["welcome back"])
    summary = await kari.click(NB["continue"], NB["summary"])
    listed = all(n in kari.user.current(summary).text for n in ("a.pdf", "b.pdf"))
    references.append(reference_of(await kari.click(NB["send"], NB["reference"])))
    # Kari's two submissions reach the limit too: a third is refused, in Norwegian.
    await quick_to_input(kari, NB)
    await kari.send("Tredje innspill fra Kari.", NB["summary"])
    await kari.click(NB["send"], NB["too many submissions"])
    refusals.append("submission nb")

    await until(
        lambda: all(rig.smtp.ministry_mail(r) for r in references), 30, "every submission's e-mail"
    )
    ministry = [a for r in references for a in rig.smtp.ministry_mail(r)]
    bodies = "\n".join(a.text for a in ministry)
    given = [g for g in kari.given + ola.given if g != "Third input from Ola."]
    lost = sum(g not in bodies for g in given)
    documents = sorted(
        p.get_filename() or ""
        for a in ministry
        for p in a.message.iter_attachments()
        if (p.get_filename() or "").endswith(".pdf")
    )
    lost += len({"a.pdf", "b.pdf"} - set(documents))
    receipts = [a for a in rig.smtp.accepted if VICTIM in str(a.message["To"])]
    leaked = sum(
        PHISHING in a.text or "Logg inn" in a.text or PHISHING.encode() in a.data for a in receipts
    )
    with database(rig.db_path) as conn:
        stored = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    duplicated = max(0, stored - len(references)) + max(0, len(receipts) - 1)
    ok = leaked == 0 and kept and listed and len(receipts) == 1 and stored == len(references)
    row = record(
        Row.judged(
            "abuse limits (submissions, receipts, uploads), kill -9 between",
            len(refusals),
            lost,
            duplicated,
            f"limits {LIMITS['MAX_SUBMISSIONS_PER_HOUR']} submissions/h, "
            f"{LIMITS['RECEIPTS_PER_ADDRESS_PER_DAY']} receipt/address/day, "
            f"{LIMITS['MAX_UPLOADS_PER_HOUR']} uploads/h; refused politely: "
            f"{', '.join(refusals)}; {stored} submissions stored; {len(receipts)} receipt(s) "
            f"to one address; phishing text in receipts: {leaked}; refused draft kept: "
            f"{'yes' if kept and listed else 'no'}",
            ok=ok,
        )
    )
    assert row.passed, row
