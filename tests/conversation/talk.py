"""Test drivers that talk like a person: send, click, upload, then read the last reply.

``Talk`` drives the pure engine (microseconds a step); ``ServiceTalk`` says the same through
the application service, with storage behind it. Both find buttons by their label.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from bot.consultation.model import Consultation
from bot.conversation.capabilities import ChannelCapabilities
from bot.conversation.context import Limits
from bot.conversation.events import (
    ChoiceEvent,
    CommandEvent,
    DocumentEvent,
    EditEvent,
    Effect,
    IncomingDocument,
    Reply,
    Submit,
    TextEvent,
    UnsupportedEvent,
)
from bot.conversation.machine import new_session, step
from bot.conversation.session import Session
from bot.service.conversations import ConversationService, Handled
from bot.service.uploads import IncomingFile

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def spoken(replies: Iterable[Reply]) -> str:
    """Everything ``replies`` say, as one string (what a test looks for a phrase in)."""
    return "\n".join(r.text for r in replies)


class _Reading:
    """What both drivers share: reading the replies and finding a button by its label."""

    replies: list[Reply]

    def buttons(self) -> Reply:
        """The latest reply that has buttons."""
        return next(r for r in reversed(self.replies) if r.choices)

    def button(self, label: str) -> tuple[str, str]:
        """``(step, choice id)`` of the button whose label contains ``label`` (any case)."""
        reply = self.buttons()
        matches = [c for c in reply.choices if label.lower() in c.label.lower()]
        assert matches, f"no button {label!r} in {[c.label for c in reply.choices]}"
        assert reply.step is not None
        return reply.step, matches[0].id

    def last_reply(self) -> Reply:
        """The last message the person got."""
        return self.replies[-1]

    @property
    def text(self) -> str:
        """Everything the last step said, as one string."""
        return spoken(self.replies)


@dataclass
class Talk(_Reading):
    """One person's conversation with the engine, with the clock moving a second per event."""

    c: Consultation
    lang: str = "nb"
    limits: Limits = field(default_factory=Limits)
    session: Session = field(init=False)
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    _ids: count[int] = field(default_factory=count)

    def __post_init__(self) -> None:
        self.now = START
        self.session = new_session(
            self.c,
            user_id="u1",
            draft_id="D0000000AA",
            lang=self.lang,
            at=self.now,
            lang_confirmed=True,
        )

    @classmethod
    def resume(cls, c: Consultation, session: Session, lang: str = "nb") -> Talk:
        """Continue a stored session (e.g. a draft saved by an older release)."""
        talk = cls(c, lang)
        talk.session = session
        talk.now = session.updated_at
        return talk

    def _apply(self, make: object) -> list[Reply]:
        self.now += timedelta(seconds=1)
        event = make(self.now, f"FRESH{next(self._ids):05d}")  # type: ignore[operator]
        outcome = step(self.c, self.session, event, limits=self.limits)
        self.session = outcome.session
        self.replies = outcome.replies
        self.effects.extend(outcome.effects)
        return outcome.replies

    def send(
        self,
        text: str,
        ref: str | None = None,
        *,
        numbered: bool = False,
        follows: str | None = None,
    ) -> list[Reply]:
        """Write ``text``; ``numbered``: as in the terminal, where choices are numbered lines;
        ``follows``: the ref of the message right before it in the chat (as on Telegram)."""
        return self._apply(
            lambda at, f: TextEvent(
                at=at,
                fresh_id=f,
                text=text,
                message_ref=ref,
                numbered_choices=numbered,
                follows_ref=follows,
            )
        )

    def command(self, name: str, arg: str = "") -> list[Reply]:
        return self._apply(lambda at, f: CommandEvent(at=at, fresh_id=f, name=name, arg=arg))

    def edit(self, ref: str, text: str) -> list[Reply]:
        return self._apply(lambda at, f: EditEvent(at=at, fresh_id=f, message_ref=ref, text=text))

    def unsupported(self, kind: str) -> list[Reply]:
        return self._apply(lambda at, f: UnsupportedEvent(at=at, fresh_id=f, kind=kind))

    def upload(self, *docs: IncomingDocument, caption: str | None = None) -> list[Reply]:
        return self._apply(
            lambda at, f: DocumentEvent(at=at, fresh_id=f, documents=docs, caption=caption)
        )

    def press(self, step_id: str, choice: str) -> list[Reply]:
        return self._apply(
            lambda at, f: ChoiceEvent(at=at, fresh_id=f, step=step_id, choice=choice)
        )

    def click(self, label: str) -> list[Reply]:
        """Press the button whose label contains ``label`` (case-insensitive)."""
        return self.press(*self.button(label))

    @property
    def submissions(self) -> list[Submit]:
        return [e for e in self.effects if isinstance(e, Submit)]


@dataclass
class ServiceTalk(_Reading):
    """One person talking through the service (storage, dedupe and locks included)."""

    service: ConversationService
    user: str = "u"
    language_code: str | None = None
    channel: ChannelCapabilities | None = None
    """The channel the person talks through, passed with every event (``None``: the
    service's own)."""
    replies: list[Reply] = field(default_factory=list)
    heard: list[Reply] = field(default_factory=list)
    """Every reply of the whole conversation, in order."""
    handled: Handled = field(default_factory=lambda: Handled([]))

    def _keep(self, handled: Handled) -> list[Reply]:
        self.handled = handled
        self.replies = handled.replies
        self.heard += handled.replies
        return handled.replies

    async def send(self, text: str) -> list[Reply]:
        return self._keep(
            await self.service.handle_text(
                self.user, text, language_code=self.language_code, channel=self.channel
            )
        )

    async def command(self, name: str, arg: str = "") -> list[Reply]:
        return self._keep(
            await self.service.handle_command(
                self.user, name, arg, language_code=self.language_code, channel=self.channel
            )
        )

    async def press(self, step_id: str, choice: str) -> list[Reply]:
        return self._keep(
            await self.service.handle_choice(
                self.user,
                step_id,
                choice,
                language_code=self.language_code,
                channel=self.channel,
            )
        )

    async def click(self, label: str) -> list[Reply]:
        """Press the button whose label contains ``label`` (case-insensitive)."""
        return await self.press(*self.button(label))

    async def upload(self, *files: IncomingFile, caption: str | None = None) -> list[Reply]:
        return self._keep(
            await self.service.handle_files(
                self.user,
                files,
                caption=caption,
                language_code=self.language_code,
                channel=self.channel,
            )
        )
