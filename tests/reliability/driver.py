"""A person who fills in the whole guided path, whatever screen the bot shows after a crash.

The person reads the newest screen they recognise and does the next sensible thing, like a
real user would after a restart: ``/start``, «Fortsett der jeg var», and on. Every answer the
bot acknowledged is remembered, so the final e-mail can be checked for loss and copies.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.channels.telegram.fake_bot_api import BotMessage, FakeBotApi, FakeUser

GUIDED = "Svar på spørsmålene (ca. 10 min)"
THEME = "Tilgjengelighet"
SEND = "✅ Send inn"
ASKED = re.compile(r"(Tema 1 av 1: [^\n]*|Spørsmål (\d) av 6)\n\n")
"""A question as the bot asks it (not as «Du var her: Spørsmål 3 av 6.» mentions it)."""
ACKS = ("Lagret ✅", "Lagt til")
"""How the bot acknowledges an answer text: saved, or added to an answer as one more part."""
REFERENCE = re.compile(r"Referansenummer: ([A-Z0-9]+-[A-Z0-9]{4}-[A-Z0-9]{4})")
SCREENS = (  # first match wins: "Lagret ✅" may share a message with the next question
    "Referansenummer",
    "Velkommen tilbake",
    "Hvordan vil du svare?",
    "Hvem svarer du for?",
    "Hva heter du?",
    "Hvilken kommune",
    "kvittering på e-post",
    "Hvilke tema",
    "Tema 1 av 1",
    "Spørsmål ",
    "Når du trykker «Send inn»",
    "Lagret ✅",
    "Lagt til på",
)
QUESTION_SCREENS = {"Tema 1 av 1", "Spørsmål "}
"""Screens told by the question as asked (:data:`ASKED`), not by a mention of it."""


async def wait_for(
    api: FakeBotApi, user: FakeUser, since: int, found: Callable[[BotMessage], bool], timeout: float
) -> BotMessage | None:
    """The first output in the person's chat from ``since`` on that ``found`` accepts."""

    def first() -> BotMessage | None:
        return next((o for o in user.replies_since(since) if found(o)), None)

    try:
        async with asyncio.timeout(timeout):
            async with api._changed:
                await api._changed.wait_for(lambda: first() is not None)
    except TimeoutError:
        return None
    return first()


_BUTTON_OF = {
    "Velkommen tilbake": "Fortsett der jeg var",
    "Hvordan vil du svare?": GUIDED,
    "Hvem svarer du for?": "Privatperson",
    "kvittering på e-post": "Nei takk",
    "Hvilke tema": "Ferdig ➡️",
    "Lagret ✅": "Neste ➡️",
    "Når du trykker «Send inn»": SEND,
}
"""The button a screen must still have for the person to go on from it."""


def has(needle: str) -> Callable[[BotMessage], bool]:
    """Accepts a bot message whose text contains ``needle``."""
    return lambda o: needle in o.text


def is_ack(o: BotMessage) -> bool:
    """Accepts the bot's acknowledgement of an answer text."""
    return o.kind == "sent" and any(a in o.text for a in ACKS)


def any_screen(o: BotMessage) -> bool:
    """Accepts a bot message that is a screen the person knows."""
    return screen_of(o.text) is not None


def screen_of(text: str) -> str | None:
    """Which known screen a bot message shows: the marker nearest its end.

    A message edited to carry the next question keeps the earlier one above it
    ("Hvordan vil du svare? → Svar på spørsmålene … Hvem svarer du for?").
    Questions count only as the bot asks them: «Du var her: Spørsmål 3 av 6.» on the resume
    screen, «▪️ Spørsmål 1: …» in the summary and «Lagt til på «Spørsmål 5»» mention one.
    """
    found = [
        (text.rfind(s), -i, s)
        for i, s in enumerate(SCREENS)
        if s in text and s not in QUESTION_SCREENS
    ]
    found += [
        (m.start(), 0, "Tema 1 av 1" if m.group(2) is None else "Spørsmål ")
        for m in ASKED.finditer(text)
    ]
    return max(found)[2] if found else None


@dataclass
class Person:
    """One person on the guided path; ``tag`` makes their answers unique in the e-mails."""

    api: FakeBotApi
    user: FakeUser
    tag: str
    timeout: float = 10.0
    acked: dict[str, str] = field(default_factory=dict)
    """The latest answer taken as confirmed, by the question the person meant it for."""
    acks: int = 0
    """Acknowledgements of an answer text the person saw («Lagret ✅», «Lagt til …»)."""
    sent: list[str] = field(default_factory=list)
    """Every answer text the person sent, acknowledged or not."""
    asked: set[str] = field(default_factory=set)
    """Questions the bot asked (in :data:`EVERY_ANSWER`'s keys)."""
    unanswered: list[tuple[str, str]] = field(default_factory=list)
    """Answers sent and not acknowledged yet, oldest first: (question key, text)."""
    read_up_to: int = 0
    """How many of the bot's outputs :meth:`_read` has looked at."""
    reference: str | None = None
    actions: int = 0
    resumes: int = 0
    tries: int = 0
    reasked: int = 0
    """Times a question already answered came back without its answer."""

    @property
    def name(self) -> str:
        return f"Kari {self.tag}"

    def answer(self, key: str) -> str:
        """A new answer text each time, so a late reply to an earlier try is no false copy."""
        self.tries += 1
        return f"Svar {key} {self.tag} {self.tries}."

    @property
    def skipped(self) -> int:
        """Questions the bot never asked (the draft jumped ahead)."""
        return len(EVERY_ANSWER - self.asked)

    def _read(self) -> None:
        """Take in the bot's new outputs: questions asked, and acknowledgements.

        Every acknowledgement is counted, however late it comes (after a restart, when the
        person already wrote again): each one says the bot saved one more text, so the
        submission must hold at least as many of the person's texts. Which text it was
        cannot be told from the message; for going on, the person takes it as the oldest
        answer not acknowledged yet (the bot handles a chat's messages in order).
        """
        outputs = self.user.replies_since(self.read_up_to)
        self.read_up_to += len(outputs)
        for out in outputs:
            if "Hva heter du?" in out.text:
                self.asked.add("name")
            for match in ASKED.finditer(out.text):
                self.asked.add("tema" if match.group(2) is None else f"q{match.group(2)}")
            if is_ack(out):
                self.acks += 1
                if self.unanswered:
                    key, text = self.unanswered.pop(0)
                    self.acked[key] = text

    @property
    def where(self) -> str:
        """The screen the person is on, for the figures."""
        return self._screen()[0] or "none"

    def _screen(self) -> tuple[str | None, BotMessage | None]:
        """The lowest message in the chat that shows a known screen, as it reads now.

        Lowest by place, not by when it last changed: an edit leaves a message where it is,
        so after a restart an older keyboard edited later still sits above the newer one.
        """
        by_place = {out.message_id: out for out in self.user.replies_since(0)}
        for message_id in sorted(by_place, reverse=True):
            current = self.user.current(by_place[message_id])  # edits may change the screen
            screen = screen_of(current.text)
            if screen is not None:
                return screen, current
        return None, None

    async def _do(
        self, action: Callable[[], object], expect: Callable[[BotMessage], bool]
    ) -> BotMessage | None:
        mark = self.user.mark()
        result = action()
        if asyncio.iscoroutine(result):
            await result
        self.actions += 1
        return await wait_for(self.api, self.user, mark, expect, self.timeout)

    async def restart_talk(self) -> bool:
        """``/start`` as a person does when the bot went quiet; True if it answered."""
        self.resumes += 1
        reply = await self._do(
            lambda: self.user.send("/start"), lambda o: screen_of(o.text) is not None
        )
        return reply is not None

    async def step(self) -> bool:
        """Do the next thing; False once the submission has its reference number.

        Returns after the bot acknowledged the action (or after ``timeout`` without a reply,
        when the caller decides what a person would do).
        """
        self._read()
        screen, out = self._screen()
        if screen is None or out is None:
            await self.restart_talk()
            return True
        current = self.user.current(out)
        labels = current.labels
        text = out.text
        wanted = _BUTTON_OF.get(screen)
        if wanted is not None and current.button(wanted) is None:
            # The screen's buttons are gone (answered, or replaced): ask again, as people do.
            await self.restart_talk()
            return True
        if screen == "Referansenummer":
            # «… Referansenummer: SMB-7K4P-9QX2.» ends a sentence on some screens.
            found = REFERENCE.search(text)
            assert found is not None, f"no reference number in {text!r}"
            self.reference = found.group(1)
            return False
        if screen == "Velkommen tilbake":
            await self._do(lambda: self.user.click("Fortsett der jeg var", message=out), any_screen)
        elif screen == "Hvordan vil du svare?":
            await self._do(lambda: self.user.click(GUIDED, message=out), has("Hvem svarer du for?"))
        elif screen == "Hvem svarer du for?":
            await self._do(
                lambda: self.user.click("Privatperson", message=out), has("Hva heter du?")
            )
        elif screen == "Hva heter du?":
            if await self._do(lambda: self.user.send(self.name), has("Hvilken kommune")):
                self.acked["name"] = self.name
        elif screen == "Hvilken kommune":
            await self._do(lambda: self.user.send("Harstad"), has("kvittering på e-post"))
        elif screen == "kvittering på e-post":
            await self._do(lambda: self.user.click("Nei takk", message=out), has("Hvilke tema"))
        elif screen == "Hvilke tema":
            if f"✅ {THEME}" in labels:
                await self._do(lambda: self.user.click("Ferdig ➡️", message=out), has("Tema 1 av 1"))
            else:
                await self._do(
                    lambda: self.user.click(THEME, message=out),
                    lambda o: o.kind == "edited" or screen_of(o.text) is not None,
                )
        elif screen == "Lagret ✅":
            await self._do(
                lambda: self.user.click("Neste ➡️", message=out),
                lambda o: screen_of(o.text) in {"Spørsmål ", "Når du trykker «Send inn»"},
            )
        elif screen == "Lagt til på":
            # An earlier answer got one more part, and no question is in sight (the message
            # that asked the current one was lost in a crash): ask where one is.
            await self.restart_talk()
        elif screen in QUESTION_SCREENS:
            match = list(ASKED.finditer(text))[-1]
            key = "tema" if match.group(2) is None else f"q{match.group(2)}"
            if key in self.acked and "Neste ➡️" in labels:
                await self._do(
                    lambda: self.user.click("Neste ➡️", message=out),
                    lambda o: screen_of(o.text) in {"Spørsmål ", "Når du trykker «Send inn»"},
                )
            else:
                if key in self.acked:
                    self.reasked += 1
                answer = self.answer(key)
                self.unanswered.append((key, answer))
                self.sent.append(answer)
                await self._do(lambda: self.user.send(answer), is_ack)
                self._read()
        elif screen == "Når du trykker «Send inn»":
            await self._do(lambda: self.user.click(SEND, message=out), has("Referansenummer"))
        return True


EVERY_ANSWER = frozenset({"name", "tema", "q1", "q2", "q3", "q4", "q5", "q6"})
"""What a person on the guided path with one theme answers before sending."""


def count_in_mail(person: Person, body: str) -> tuple[int, int]:
    """(lost, duplicated) acknowledged answers of one person in a text of their submission.

    lost: acknowledgements seen beyond the person's texts the submission holds (plus the
    name, once confirmed); duplicated: texts it holds more than once.
    """
    held = sum(text in body for text in person.sent)
    lost = max(0, person.acks - held) + ("name" in person.acked and person.name not in body)
    duplicated = sum(body.count(text) > 1 for text in person.sent)
    return lost, duplicated
