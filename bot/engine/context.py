"""The working state of one engine step: the session being changed and what to say."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.engine.events import Choice, Effect, Event, Reply
from bot.engine.model import Consultation, Text, pick
from bot.engine.session import Session
from bot.i18n import gettext_for

MESSAGE_CHARS = 4096
"""Telegram's limit for one message: replies are joined only while they fit in one."""


@dataclass(frozen=True)
class Limits:
    """Limits the engine enforces; the service fills them from settings."""

    max_submission_bytes: int = 20 * 1024 * 1024
    max_attachments: int = 10
    max_answer_chars: int = 30_000
    draft_retention_days: int = 30
    """How long an untouched draft is kept; told to people who ask about privacy."""


@dataclass
class Ctx:
    """One step's working state; handlers append replies and effects to it."""

    c: Consultation
    s: Session
    event: Event
    limits: Limits
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def _(self, message: str) -> str:
        """Translate a UI message into the person's language."""
        return gettext_for(self.s.lang).gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a number into the person's language."""
        return gettext_for(self.s.lang).ngettext(singular, plural, n)

    def t(self, text: Text) -> str:
        """A consultation text in the person's language."""
        return pick(text, self.s.lang)

    def say(
        self,
        text: str,
        choices: list[Choice] | tuple[Choice, ...] = (),
        *,
        replace_previous: bool = False,
    ) -> None:
        """Queue a message; choices belong to the current step.

        One turn is one message: text said before (an acknowledgement, a notice) joins the
        next message as its first paragraph, so the person gets one message per action and
        Telegram one call. A front end splits a message that grows too long.
        """
        reply = Reply(
            text=text,
            choices=tuple(choices),
            step=self.s.step if choices else None,
            replace_previous=replace_previous,
        )
        last = self.replies[-1] if self.replies else None
        joinable = last is not None and not (
            last.choices or last.replace_previous or replace_previous
        )
        if last is not None and joinable and len(last.text) + len(text) + 2 <= MESSAGE_CHARS:
            reply = replace(reply, text=f"{last.text}\n\n{text}")
            self.replies[-1] = reply
            return
        self.replies.append(reply)
