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

from tests.telegram.fake_bot_api import BotMessage, FakeBotApi, FakeUser

GUIDED = "Svar på spørsmålene (ca. 10 min)"
THEME = "Tilgjengelighet"
SEND = "✅ Send inn"
QUESTION = re.compile(r"(Tema 1 av 1|Spørsmål (\d) av 6)")
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
)


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


def any_screen(o: BotMessage) -> bool:
    """Accepts a bot message that is a screen the person knows."""
    return screen_of(o.text) is not None


def screen_of(text: str) -> str | None:
    """Which known screen a bot message shows: the marker nearest its end.

    A message edited to carry the next question keeps the earlier one above it
    ("Hvordan vil du svare? → Svar på spørsmålene … Hvem svarer du for?").
    """
    found = [(text.rfind(s), -i, s) for i, s in enumerate(SCREENS) if s in text]
    return max(found)[2] if found else None


@dataclass
class Person:
    """One person on the guided path; ``tag`` makes their answers unique in the e-mails."""

    api: FakeBotApi
    user: FakeUser
    tag: str
    timeout: float = 10.0
    acked: dict[str, str] = field(default_factory=dict)
    """Answers the bot confirmed, by question key."""
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
        """Questions the person never got to answer (the draft jumped ahead)."""
        return len(EVERY_ANSWER - set(self.acked))

    @property
    def where(self) -> str:
        """The screen the person is on, for the figures."""
        return self._screen()[0] or "none"

    def _screen(self) -> tuple[str | None, BotMessage | None]:
        seen: set[int] = set()
        for out in reversed(self.user.replies_since(0)):
            if out.message_id in seen:
                continue
            seen.add(out.message_id)
            current = self.user.current(out)  # an edit may have turned it into a new screen
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
            self.reference = text.split("Referansenummer: ", 1)[1].split()[0]
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
        elif screen in {"Tema 1 av 1", "Spørsmål "}:
            match = QUESTION.search(text)
            key = "tema" if match is None or match.group(2) is None else f"q{match.group(2)}"
            if key in self.acked and "Neste ➡️" in labels:
                await self._do(
                    lambda: self.user.click("Neste ➡️", message=out),
                    lambda o: screen_of(o.text) in {"Spørsmål ", "Når du trykker «Send inn»"},
                )
            else:
                if key in self.acked:
                    self.reasked += 1
                answer = self.answer(key)
                if await self._do(lambda: self.user.send(answer), has("Lagret")):
                    self.acked[key] = answer
        elif screen == "Når du trykker «Send inn»":
            await self._do(lambda: self.user.click(SEND, message=out), has("Referansenummer"))
        return True


EVERY_ANSWER = frozenset({"name", "tema", "q1", "q2", "q3", "q4", "q5", "q6"})
"""What a person on the guided path with one theme answers before sending."""


def count_in_mail(person: Person, body: str) -> tuple[int, int]:
    """(lost, duplicated) acknowledged answers of one person in their e-mail's text."""
    lost = duplicated = 0
    for answer in person.acked.values():
        n = body.count(answer)
        lost += n == 0
        duplicated += n > 1
    return lost, duplicated
