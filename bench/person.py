"""A simulated person who reads the bot's messages and buttons and answers them.

It does not follow a fixed script of taps: after each action it waits for the bot, looks at
the newest message (its text and buttons) and decides, as a person would, what to do next:
press the button whose label fits, or type an answer. So it keeps working when the bot's
conversation gets shorter (fewer «Neste» taps, questions asked together with the answer's
acknowledgement) and it works the same on the canonical bot.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bench.fake import BenchBotApi, BotMessage, FakeUser
from bot.consultation.model import Consultation

Path = Literal["guided", "quick"]

GUIDED_LABEL = "Svar på spørsmålene"
QUICK_LABEL = "Send en ferdig tekst"
ORGANISATION = "Organisasjon, lag eller forening"
THEMES_WANTED = 2
SKIP_REST_LABEL = "Hopp over resten"
"""innspill's «⏭ Hopp over resten og se oppsummeringen» (the canonical bot has none)."""


NOT_TAKEN = ("Velkommen tilbake", "Velg et av alternativene", "allerede sendt", "Referansenummer")
"""Replies that tell a person their text was not taken as an answer."""


class Stuck(Exception):
    """The bot did not answer in time, or said something this person cannot act on."""


@dataclass(frozen=True)
class Action:
    """What to do next: press a button (with its label) or type a text."""

    kind: Literal["press", "type"]
    value: str
    key: str
    """What the action answers (e.g. ``name``, ``theme:sentrum``), for the lost-answer check."""
    tracked: bool = False
    """A content answer whose survival is checked after a kill."""
    message: BotMessage | None = None


@dataclass
class Stats:
    """What all persons in one run did."""

    actions: int = 0
    submissions: int = 0
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    """Tracked answers the bot replied to (so the person saw it was received)."""
    sent_answers: list[str] = field(default_factory=list)
    """The acknowledged answers of submissions the person sent: each must be in an e-mail.
    (A submission still open when the run ends keeps its answers in a draft, not in mail.)"""
    stuck: list[str] = field(default_factory=list)
    actions_per_submission: dict[str, list[int]] = field(
        default_factory=lambda: {"guided": [], "quick": []}
    )
    """User actions each finished submission took, by path."""
    progress: asyncio.Event = field(default_factory=asyncio.Event)
    """Set whenever an answer was acknowledged."""


class Person:
    """One Telegram user playing guided and quick submissions in turn."""

    def __init__(
        self,
        api: BenchBotApi,
        user: FakeUser,
        consultation: Consultation,
        stats: Stats,
        *,
        pause: Callable[[], float] | None = None,
        reply_timeout: float = 15.0,
    ) -> None:
        self.api = api
        self.user = user
        self.stats = stats
        self.pause = pause
        self.reply_timeout = reply_timeout
        self.theme_prompts = {t.id: t.prompt["nb"] for t in consultation.themes}
        self.theme_titles = {t.id: t.title["nb"] for t in consultation.themes}
        self.questions = {q.id: q.text["nb"] for q in consultation.questions}
        self.answered: set[str] = set()
        """What this submission's answers were acknowledged for (by key)."""
        self.acted: set[tuple[int, str, tuple[str, ...]]] = set()
        """Bot messages (as shown) this person already acted on."""
        self.path: Path = "guided"
        self.round = 0
        self.attempt = 0
        """Bumped after a restart, so an answer typed again is told apart from the first."""
        self.restarts = 0
        self.actions = 0
        """The driver's restart counter last seen: a change means the bot was restarted."""

    # ---------------------------------------------------------------- the loop

    async def play(self, until: Callable[[], bool], restarts: Callable[[], int]) -> None:
        """Play submissions (guided, then quick, …) until ``until()`` says stop."""
        while not until():
            self.path = "guided" if self.round % 2 == 0 else "quick"
            await self.submission(until, restarts)
            self.round += 1

    async def submission(self, until: Callable[[], bool], restarts: Callable[[], int]) -> None:
        """One submission from ``/start`` to the reference number."""
        self.answered = set()
        self.acked_here: list[str] = []
        first_action = self.actions
        start = Action("type", "/start rask" if self.path == "quick" else "/start", "start")
        action: Action | None = start
        while action is not None:
            if until():
                return
            mark = len(self.api.outputs_in(self.user.chat_id))
            await self._do(action)
            try:
                action = await self._next(mark, action, restarts)
            except _Restarted:
                self.restarts = restarts()
                self.attempt += 1
                self.answered = set()
                action = Action("type", "/start", "resume")
                continue
            if action is None:
                self.stats.submissions += 1
                self.stats.sent_answers.extend(self.acked_here)
                done = self.actions - first_action
                self.stats.actions_per_submission[self.path].append(done)
            elif self.pause is not None:
                await asyncio.sleep(self.pause())

    async def _do(self, action: Action) -> None:
        self.stats.actions += 1
        self.actions += 1
        if action.kind == "type":
            await self.user.send(action.value)
        else:
            await self.user.click(action.value, message=action.message)

    async def _next(self, mark: int, done: Action, restarts: Callable[[], int]) -> Action | None:
        """Wait for the bot's reply to ``done`` and decide the next action (None: finished)."""
        chat = self.user.chat_id
        event = self.api.output_event(chat)
        started = self.api.now()
        first = True
        seen = mark
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reply_timeout
        while True:
            outputs = self.api.outputs_in(chat)
            if len(outputs) > seen:
                if first and any(self._answers(done, out) for out in outputs[seen:]):
                    first = False
                    self.stats.latencies.append(self.api.now() - started)
                if done.tracked and done.value not in self.acked_here:
                    if any(self._acknowledges(out) for out in outputs[seen:]):
                        self.acked_here.append(done.value)
                        self.stats.acknowledged.append(done.value)
                        self.stats.progress.set()
                    if done.key != "start":
                        self.answered.add(done.key)
                seen = len(outputs)
                newest = outputs[-1]
                if done.key == "send" and "Referansenummer" in newest.text:
                    return None
                newest_sent = max(o.message_id for o in outputs if o.kind == "sent")
                decided = self.decide(
                    self.api.message(chat, newest.message_id), newest, newest_sent
                )
                if decided is not None:
                    return decided
            if restarts() != self.restarts:
                raise _Restarted
            event.clear()
            try:
                async with asyncio.timeout(max(0.0, deadline - loop.time())):
                    await event.wait()
            except TimeoutError:
                if restarts() != self.restarts:
                    raise _Restarted from None
                shown = outputs[-1].text[:200] if outputs else "(nothing)"
                self.stats.stuck.append(f"user {self.user.id} after {done.key}: {shown!r}")
                raise Stuck(shown) from None

    @staticmethod
    def _answers(done: Action, output: BotMessage) -> bool:
        """Whether ``output`` is a reply to ``done`` (not a late edit of an older message)."""
        if output.kind == "sent" or output.buttons:
            return True
        return done.message is not None and output.message_id == done.message.message_id

    @staticmethod
    def _acknowledges(output: BotMessage) -> bool:
        """Whether ``output`` tells the person their typed answer was taken.

        After a restart, replies to earlier actions (a /start sent while the bot was down)
        can arrive after the answer, and text sent after the submission went is turned
        away: none of :data:`NOT_TAKEN` is a sign the answer was saved, whatever buttons
        it has. The canonical bot never says «Lagret»; its next question is the sign.
        """
        if output.kind != "sent":
            return False
        text = output.text
        if "Lagret" in text or "Lagt til" in text:
            return True  # innspill says so
        return not any(phrase in text for phrase in NOT_TAKEN)

    # ---------------------------------------------------------------- reading the bot

    def decide(
        self, current: BotMessage, output: BotMessage, newest_sent: int | None = None
    ) -> Action | None:
        """The next action for the newest message, or None to wait for more.

        An edit of the chat's newest message can carry the next question (the bot writes the
        choice made and asks on in one edit); an edit of an older one only records a choice.
        """
        text = current.text
        labels = current.labels
        if output.kind == "edited" and not labels and current.message_id != newest_sent:
            return None  # an earlier question updated with the choice made; wait for the next
        seen = (current.message_id, text, tuple(labels))
        if seen in self.acted:
            return None  # a person acts once on what they see
        action = self._action_for(current, labels)
        if action is not None:
            self.acted.add(seen)
        return action

    def _action_for(self, current: BotMessage, labels: list[str]) -> Action | None:
        press = self._press_for(current, labels)
        if press is not None:
            return press
        typed = self._type_for(current, labels)
        next_label = self._label(labels, "Neste")
        if typed is not None and (typed.key not in self.answered or next_label is None):
            return typed  # a question asked again (after a restart, say) is answered again
        if next_label is not None:  # an acknowledgement that waits for «Neste»
            return Action("press", next_label, "next", message=current)
        return None

    def _press_for(self, current: BotMessage, labels: list[str]) -> Action | None:
        text = current.text
        if self._label(labels, "Fortsett der jeg var"):
            return self._button(current, "Fortsett der jeg var", "continue")
        if self._label(labels, "nytt innspill"):
            return self._button(current, self._label(labels, "nytt innspill") or "", "new")
        if self._label(labels, GUIDED_LABEL) or self._label(labels, QUICK_LABEL):
            wanted = GUIDED_LABEL if self.path == "guided" else QUICK_LABEL
            return self._button(current, self._label(labels, wanted) or wanted, "how")
        if "Hvem svarer du for" in text and labels:
            wanted = "Privatperson" if self.path == "guided" else ORGANISATION
            return self._button(current, wanted, "type")
        if "e-post" in text and self._label(labels, "Nei takk"):  # receipts on or off
            return self._button(current, "Nei takk", "email")
        if "organisasjonsnummer" in text and self._label(labels, "Hopp over"):
            return self._button(current, "Hopp over", "orgnr")
        if "Hvilke tema" in text and labels:
            chosen = [label for label in labels if label.startswith("✅")]
            if len(chosen) >= THEMES_WANTED:
                return self._button(current, self._label(labels, "Ferdig") or "Ferdig", "themes")
            for theme_id, title in self.theme_titles.items():
                if f"⬜ {title}" in labels:
                    return self._button(current, title, f"theme-pick:{theme_id}")
            return None
        if "Send inn" in text or "send inn" in " ".join(labels):
            label = next((x for x in labels if "send inn" in x.lower()), None)
            if label is not None:
                return self._button(current, label, "send")
        return None

    def _type_for(self, current: BotMessage, labels: list[str]) -> Action | None:
        text = current.text
        if text.startswith("📋"):
            return None  # a summary quotes the questions; it does not ask them
        tag = f"u{self.user.id}-r{self.round}-a{self.attempt}"
        if "Hva heter organisasjonen" in text:
            return Action("type", f"Småbylaget {self.user.id}", "org")
        if "Hva heter du" in text:
            return Action("type", f"Kari Nordmann {self.user.id}", "name")
        if "Hvilken kommune" in text:
            return Action("type", "Harstad", "municipality")
        if "Lim inn innspillet" in text:
            answer = f"Innspill fra laget [{tag}-tekst]: flere bussavganger og et bibliotek."
            return Action("type", answer, "quick-text", tracked=True)
        for theme_id, prompt in self.theme_prompts.items():
            if prompt in text:
                answer = f"Svar om {theme_id} [{tag}-{theme_id}]: mer liv i sentrum."
                return Action("type", answer, f"theme:{theme_id}", tracked=True)
        for question_id, question in self.questions.items():
            if question in text:
                key = f"question:{question_id}"
                if question_id == "q1":
                    answer = f"Svar på {question_id} [{tag}-{question_id}]: samarbeid."
                    return Action("type", answer, key, tracked=True)
                # Only q1 is wanted: the rest at once where the bot offers that, as a
                # person would, else one «Hopp over» at a time.
                rest = self._label(labels, SKIP_REST_LABEL)
                if rest is not None:
                    return Action("press", rest, "skip-rest", message=current)
                skip = next((label for label in labels if label == "Hopp over"), None)
                if skip is None:
                    return Action("type", "/hopp", key)
                return Action("press", skip, key, message=current)
        return None

    @staticmethod
    def _button(message: BotMessage, label: str, key: str) -> Action:
        return Action("press", label, key, message=message)

    @staticmethod
    def _label(labels: list[str], part: str) -> str | None:
        return next((label for label in labels if part in label), None)


class _Restarted(Exception):
    """The bot was restarted while this person waited."""


def paced(rng: random.Random, most: float = 2.0) -> Callable[[], float]:
    """Pauses of 0 to ``most`` seconds between actions, as a person reading and typing."""
    return lambda: rng.uniform(0.0, most)
