"""A fixed list of hostile input sent through the real bot process.

Forged and malformed button data, a press whose chat is not the presser's, control characters,
direction overrides, zero-width characters and the longest text Telegram carries, header
injection in the name and the e-mail address, markup in answers, commands with a bot suffix and
junk arguments, kinds of message the bot does not take, edits of old messages, a document whose
type lies and one too large. Every item must be answered (or, for a forged press, answered as a
button and otherwise ignored) without a crash, a traceback or a raw step id on screen; every
answer a person gave must reach the ministry; and the ministry's e-mail headers must stay clean.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.channels.telegram.fake_bot_api import BotMessage, FakeUser
from tests.reliability.conftest import Rig
from tests.reliability.driver import wait_for
from tests.reliability.harness import until
from tests.reliability.results import Row, record
from tests.reliability.smtp import ScriptedHandler

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

TIMEOUT = 15.0
EVIL = "evil@example.net"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
RAW_STEP = re.compile(
    r"\b(?:r\.(?:type|orgnr|org|board|name|muni2|muni|email)|q\.q\d+|t\.[a-z_]+)\b"
    r"|: (?:summary|themes|quick|resume|pii)\b"
)
"""A step id as the engine names it; a person must never see one."""
BROKEN = ("Traceback", "Exception", "Beklager, noe gikk galt")
"""Signs of a handler that failed (the last is the bot's own apology for an error)."""
ADDRESS_HEADERS = {"to", "cc", "bcc", "from", "sender", "reply-to"}
"""Headers that decide where a message goes or who it claims to be from."""
REFERENCE = re.compile(r"Referansenummer: ([A-Z0-9-]+[A-Z0-9])")


@dataclass
class RecordingHandler(ScriptedHandler):
    """The scripted SMTP server, remembering every envelope's recipients as well."""

    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp_handler() -> Iterator[ScriptedHandler]:
    handler = RecordingHandler()
    yield handler
    handler.release.set()


@dataclass
class Tally:
    """What the list did: items sent, answered, and what went wrong."""

    rig: Rig
    items: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)

    async def probe(
        self,
        what: str,
        user: FakeUser,
        action: Awaitable[object],
        found: Callable[[BotMessage], bool] = lambda o: True,
    ) -> BotMessage | None:
        """Send one hostile item and wait for the bot's answer in the sender's chat."""
        self.items.append(what)
        mark = user.mark()
        await action
        reply = await wait_for(self.rig.api, user, mark, found, TIMEOUT)
        if reply is None:
            self.unanswered.append(what)
        return reply

    async def probe_press(self, what: str, update: dict[str, Any]) -> None:
        """Send one forged press and wait until the bot answered it (a toast or a message)."""
        self.items.append(what)
        query = await press(self.rig, update)
        try:
            await self.rig.api.wait_until(lambda: self.rig.api._callbacks[query].answered, TIMEOUT)
        except TimeoutError:
            self.unanswered.append(what)


def shows(needle: str) -> Callable[[BotMessage], bool]:
    """Accepts an output with ``needle`` in its text or on a button."""
    return lambda o: needle in o.text or any(needle in label for label in o.labels)


def forged_press(user: FakeUser, data: str, message: BotMessage, chat: FakeUser) -> dict[str, Any]:
    """A callback query from ``user`` with any data, on a message of ``chat``'s chat."""
    raw = dict(chat._state.raw_messages[message.message_id])
    return {
        "callback_query": {
            "id": f"CBQ-forged-{next(user.api._ids)}",
            "from": user.user,
            "chat_instance": f"CI-{chat.chat_id}",
            "data": data,
            "message": raw,
        }
    }


async def press(rig: Rig, update: dict[str, Any]) -> str:
    """Put a forged press in the queue; returns its query id."""
    from tests.channels.telegram.fake_bot_api.wire import CallbackQuery

    query = update["callback_query"]
    chat_id = int(query["message"]["chat"]["id"])
    rig.api._callbacks[query["id"]] = CallbackQuery(query["id"], chat_id)
    await rig.api._enqueue(update)
    return str(query["id"])


async def test_a_fixed_list_of_hostile_input(rig: Rig) -> None:
    await rig.bot.start()
    tally = Tally(rig)
    kari = rig.api.user(6201, first_name="Kari")
    mallory = rig.api.user(6202, first_name="Mallory")
    given: dict[str, str] = {}
    """Markers of what Kari gave that must reach the ministry, by what it was."""

    async def step(user: FakeUser, action: Awaitable[object], expect: str) -> BotMessage:
        mark = user.mark()
        await action
        reply = await wait_for(rig.api, user, mark, shows(expect), TIMEOUT)
        assert reply is not None, [o.text[:100] for o in user.replies_since(mark)]
        return reply

    # Kari: a draft up to the first question, with one theme answered.
    await step(kari, kari.send("/start"), "Hvordan vil du svare?")
    await step(kari, kari.click("Svar på spørsmålene (ca. 10 min)"), "Hvem svarer du for?")
    await step(kari, kari.click("Privatperson"), "Hva heter du?")
    await step(kari, kari.send("Kari Offer"), "Hvilken kommune")
    await step(kari, kari.send("Harstad"), "kvittering på e-post")
    await step(kari, kari.click("Nei takk"), "Hvilke tema")
    await step(kari, kari.click("Tjenester"), "✅")
    kari_screen = await step(kari, kari.click("Ferdig ➡️"), "Tema 1 av 1")
    mark = kari.mark()
    theme_answer = await kari.send("Svar-TEMA om legevakt.")
    assert await wait_for(rig.api, kari, mark, shows("Spørsmål 1 av 6"), TIMEOUT) is not None

    # Mallory: up to the name, which carries a header injection.
    await step(mallory, mallory.send("/start"), "Hvordan vil du svare?")
    await step(mallory, mallory.click("Svar på spørsmålene (ca. 10 min)"), "Hvem svarer du for?")
    mallory_screen = await step(mallory, mallory.click("Privatperson"), "Hva heter du?")

    # A press on Kari's message in Kari's chat, sent by Mallory: nothing may happen.
    kari_mark, mallory_mark = kari.mark(), mallory.mark()
    await tally.probe_press(
        "press whose chat is not the presser's",
        forged_press(mallory, "a:q.q1:skip", kari_screen, kari),
    )
    await step(mallory, mallory.send("/status"), "")
    forged_output = (
        len(kari.replies_since(kari_mark)) + len(mallory.replies_since(mallory_mark)) - 1
    )
    # Forged, malformed and huge button data in Mallory's own chat.
    for what, data in (
        ("forged press: another step's «Send inn»", "a:summary:send"),
        ("forged press: Kari's current question", "a:q.q1:skip"),
        ("malformed press: no step", "a::"),
        ("malformed press: unknown format", "zzz"),
        ("malformed press: control bytes", "a:\x00\x1b:\u202e"),
        ("huge press: 8 kB of data", "a:r.name:" + "x" * 8192),
    ):
        await tally.probe_press(what, forged_press(mallory, data, mallory_screen, mallory))
    # Kari's answers: control characters, direction overrides, zero-width, the longest text,
    # markup; each one acknowledged and later found in the e-mail by its marker.
    long_text = "Svar-LANG " + "småbyen trenger flere bussavganger " * 200
    long_text = long_text[: 4096 - len(" SLUTT-LANG")] + " SLUTT-LANG"
    answers = {
        "control characters": "Svar-KONTROLL \x00\x07\x1b[31mrødt\x1b[0m \x08slutt",
        "direction override and zero-width": "Svar-RTL \u202etxet desrever\u202c"
        " a\u200bb\u200dc\ufeff",
        "4,096 characters": long_text,
        "HTML and markdown": "Svar-MARKUP <b>fet</b> *stjerne* _under_ [lenke](https://x.example) "
        "<script>alert(1)</script> `kode` &amp;",
    }
    for n, (what, text) in enumerate(answers.items(), start=1):
        after = f"Spørsmål {n + 1} av 6"
        await tally.probe(what, kari, kari.send(text), shows(after))
        given[what] = text.split()[0]
    given["long text's end"] = "SLUTT-LANG"
    # An edit of an old message: the theme answer Kari gave before the questions.
    await tally.probe(
        "edit of an old answer", kari, kari.edit(theme_answer, "Svar-REDIGERT om legevakt.")
    )
    given["edited theme answer"] = "Svar-REDIGERT"

    # Mallory: header injection in the name and the address, then markup in an answer.
    await tally.probe(
        "CRLF and Bcc: in the name",
        mallory,
        mallory.send(f"Mallory\r\nBcc: {EVIL}\r\nSubject: vunnet"),
    )
    if "Hvilken kommune" not in mallory.last_reply().text:
        await step(mallory, mallory.send("Mallory Mal"), "Hvilken kommune")
    await step(mallory, mallory.send("Harstad"), "kvittering på e-post")
    reply = await tally.probe(
        "CRLF and Bcc: in the e-mail address",
        mallory,
        mallory.send(f"mallory@example.net\r\nBcc: {EVIL}"),
    )
    if reply is None or "Hvilke tema" not in mallory.last_reply().text:
        await step(mallory, mallory.click("Nei takk"), "Hvilke tema")
    await step(mallory, mallory.click("Tjenester"), "✅")
    await step(mallory, mallory.click("Ferdig ➡️"), "Tema 1 av 1")
    await step(mallory, mallory.send("Svar-MALLORY <i>kursiv</i> **fet**"), "Spørsmål 1 av 6")
    await tally.probe(
        "document whose MIME type lies (an executable as PDF)",
        mallory,
        mallory.send_document("innspill.pdf", b"MZ\x90\x00" + bytes(200), "application/pdf"),
        shows("kan jeg ikke ta imot"),
    )
    await tally.probe(
        "oversized document (30 MB)",
        mallory,
        mallory.send_document("stor.pdf", PDF, size=30 * 1024 * 1024),
        shows("er for stor"),
    )

    await step(mallory, mallory.click("⏭ Hopp over resten og se oppsummeringen"), "Send inn")
    sent = await step(mallory, mallory.click("✅ Send inn"), "Referansenummer")
    references = [found.group(1) for found in [REFERENCE.search(sent.text)] if found]

    # Commands with a bot suffix and junk, kinds the bot does not take, lying and huge files.
    for what, text in (
        ("/start with the bot's name and junk", "/start@innspill_test_bot hei \x00 ~~"),
        ("/hjelp with the bot's name and junk", "/hjelp@innspill_test_bot <b>?</b>"),
        ("/status addressed to another bot", "/status@en_annen_bot x y z"),
        ("/språk with an unknown language", "/språk klingon"),
        ("an unknown command", "/rm -rf /"),
    ):
        await tally.probe(what, mallory, mallory.send(text))
    for what, act in (
        ("sticker", mallory.send_sticker),
        ("location", mallory.send_location),
        ("contact", mallory.send_contact),
        ("poll", mallory.send_poll),
    ):
        await tally.probe(what, mallory, act())
    # Kari sends her draft; both e-mails reach the ministry.
    await step(kari, kari.click("⏭ Hopp over resten og se oppsummeringen"), "Send inn")
    sent = await step(kari, kari.click("✅ Send inn"), "Referansenummer")
    references += [found.group(1) for found in [REFERENCE.search(sent.text)] if found]
    await until(
        lambda: all(rig.smtp.ministry_mail(r) for r in references), 30, "the ministry's e-mails"
    )

    kari_mail = "\n".join(a.text for a in rig.smtp.ministry_mail(references[-1]))
    lost = [what for what, marker in given.items() if marker not in kari_mail]
    mallory_mails = rig.smtp.ministry_mail(references[0])
    if not any("Svar-MALLORY" in a.text for a in mallory_mails):
        lost.append("Mallory's answer")
    refused_attached = sum(
        1
        for a in mallory_mails
        for part in a.message.iter_attachments()
        if part.get_filename() in {"innspill.pdf", "stor.pdf"}
    )
    outputs = rig.api.outputs(kari.chat_id) + rig.api.outputs(mallory.chat_id)
    raw_ids = sorted({m.group(0) for o in outputs for m in [RAW_STEP.search(o.text)] if m})
    broken = sum(any(b in o.text for b in BROKEN) for o in outputs)
    log = rig.bot.log_path.read_text(encoding="utf-8", errors="replace")
    tracebacks = log.count("Traceback")
    alive = rig.bot.running and rig.bot.process is not None and rig.bot.process.returncode is None
    handler = rig.smtp
    assert isinstance(handler, RecordingHandler)
    dirty = header_problems(handler)
    answered = len(tally.items) - len(tally.unanswered)
    ok = (
        not tally.unanswered
        and not raw_ids
        and broken == 0
        and tracebacks == 0
        and alive
        and forged_output == 0
        and not dirty
        and refused_attached == 0
        and not rig.api.errors
    )
    row = record(
        Row.judged(
            "hostile input, a fixed list end to end",
            len(tally.items),
            len(lost),
            None,
            f"{answered} of {len(tally.items)} items answered; raw step ids shown: "
            f"{len(raw_ids)}; error replies: {broken}; tracebacks in the log: {tracebacks}; "
            f"replies to a press from another's chat: {forged_output}; header problems in "
            f"{len(handler.accepted)} e-mails: {len(dirty)}; refused documents attached: "
            f"{refused_attached}; refused Bot API calls: "
            f"{len(rig.api.errors)}",
            ok=ok,
        )
    )
    assert row.passed, (row, tally.unanswered, raw_ids, lost, dirty, rig.api.errors)


def header_problems(handler: RecordingHandler) -> list[str]:
    """Anything in the e-mails that an injected header would have caused.

    The name may show up in the subject as text ("Mallory Bcc: …" on one line): that is no
    header, and the envelope shows that nothing went to the injected address.
    """
    problems = []
    for accepted, recipients in zip(handler.accepted, handler.recipients, strict=True):
        message = accepted.message
        if any(EVIL in r for r in recipients):
            problems.append(f"envelope to {recipients}")
        for name, value in message.items():
            if "\r" in str(value) or "\n" in str(value).strip():
                problems.append(f"line break in {name}: {value!r}")
            if name.lower() in ADDRESS_HEADERS and EVIL in str(value):
                problems.append(f"{name}: {value!r}")
        for name in ("Bcc", "Cc"):
            if message[name] is not None:
                problems.append(f"{name} present")
        if len(message.get_all("Subject") or []) != 1:
            problems.append("more than one Subject")
    return problems
