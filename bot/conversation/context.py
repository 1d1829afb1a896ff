"""The working state of one engine step: the session being changed and what to say."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from gettext import NullTranslations
from typing import TYPE_CHECKING

from bot.consultation.deadline import is_closed
from bot.consultation.model import Consultation, Text, pick
from bot.conversation.capabilities import ANY_CHANNEL, ChannelCapabilities
from bot.conversation.events import Choice, Effect, Event, Reply
from bot.conversation.session import Session
from bot.i18n.catalogs import gettext_for

if TYPE_CHECKING:
    from bot.conversation.steps.base import BaseStep
    from bot.conversation.steps.registry import StepTable

READABLE_CHARS = 600
"""Longest message a person reads on a phone without scrolling (issue #12); only the summary,
which repeats their own answers, may be longer."""

SUMMARY_MARK = "📋 "
"""How the summary begins; the one message allowed past READABLE_CHARS."""


@dataclass(frozen=True)
class Limits:
    """Limits and promises the engine keeps; the service fills them from settings."""

    max_submission_bytes: int = 20 * 1024 * 1024
    max_attachments: int = 10
    max_answer_chars: int = 30_000
    draft_retention_days: int = 30
    """How long an untouched draft is kept; told to people who ask about privacy."""
    send_receipts: bool = True
    """Whether respondents who give an e-mail address get a receipt; nothing promises one
    when this is off."""
    operator_name: str = ""
    """Who runs the bot and answers for the data (told in /personvern); empty: not set."""
    operator_contact: str = ""
    """How to reach the operator (an e-mail address or a web page); empty: not set."""
    channel: ChannelCapabilities = ANY_CHANNEL
    """What the person's channel can carry and how a document is sent there (the channel
    passes its own with each event; see :mod:`bot.conversation.capabilities`)."""


@dataclass
class Ctx:
    """One step's working state; handlers append replies and effects to it."""

    c: Consultation
    s: Session
    event: Event
    limits: Limits
    steps: StepTable
    """Every step of this consultation as an object (:mod:`bot.conversation.steps.registry`)."""
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    notice_told: bool = False
    """The publication notice was said in this step; :func:`bot.conversation.machine.step`
    notes it in the session afterwards, so showing a screen never changes the session."""
    _catalog_lang: str = field(default="", repr=False)
    _catalog_found: NullTranslations | None = field(default=None, repr=False)

    @property
    def here(self) -> BaseStep:
        """The step the person is at now."""
        return self.steps.of(self.s.step)

    def step(self, step: str) -> BaseStep:
        """Any step of this consultation, by its id."""
        return self.steps.of(step)

    @property
    def closed(self) -> bool:
        """Whether the consultation takes no new input now (the deadline rule decides)."""
        return is_closed(self.c, self.event.at)

    @property
    def notice_seen(self) -> bool:
        """Whether the person has read the publication notice (before or in this step)."""
        return self.notice_told or self.s.notice_shown

    def _(self, message: str) -> str:
        """Translate a UI message into the person's language."""
        return self._catalog().gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a number into the person's language."""
        return self._catalog().ngettext(singular, plural, n)

    def _catalog(self) -> NullTranslations:
        # A step translates a dozen texts; the language changes at most once in it.
        lang = self.s.lang
        if self._catalog_lang != lang or self._catalog_found is None:
            self._catalog_found = gettext_for(lang)
            self._catalog_lang = lang
        return self._catalog_found

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
        limit = self.limits.channel.message_chars
        if last is not None and joinable and _fits(last.text, text, limit):
            reply = replace(reply, text=f"{last.text}\n\n{text}")
            self.replies[-1] = reply
            return
        self.replies.append(reply)


def _fits(first: str, then: str, limit: int | None) -> bool:
    """Whether two texts read well as one message, else they stay two (issue #12).

    They join while short enough to read, or when a short lead-in (an acknowledgement, a
    notice) opens the summary, or when they close it; never beyond the channel's ``limit``.
    """
    if limit is not None and len(first) + len(then) + 2 > limit:
        return False
    if then.startswith(SUMMARY_MARK):
        return len(first) <= READABLE_CHARS
    if first.startswith(SUMMARY_MARK) or f"\n\n{SUMMARY_MARK}" in first:
        return True  # what follows the summary (the notice, the send prompt) belongs to it
    return len(first) + len(then) + 2 <= READABLE_CHARS
