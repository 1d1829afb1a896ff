"""The application service: one event in, the engine stepped, everything saved, replies out.

Front ends (Telegram, terminal) call this and nothing below it. For each event it loads the
person's session, runs the pure engine, and commits the new session together with whatever
the event produced (attachments, a submission and its outbox rows) in one transaction, before
any reply is sent. Events of one person are handled strictly one at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.consultation.model import Consultation
from bot.conversation.capabilities import ChannelCapabilities
from bot.conversation.context import Limits
from bot.conversation.events import (
    ChoiceEvent,
    CommandEvent,
    DeleteAllData,
    DocumentEvent,
    EditEvent,
    Event,
    ForgetAttachments,
    Reply,
    Submit,
    TextEvent,
    UnsupportedEvent,
)
from bot.conversation.machine import new_session, step
from bot.conversation.session import Session
from bot.conversation.submission import Submission
from bot.i18n.languages import SOURCE, Lang, resolve_language
from bot.ops import metrics
from bot.ops.clock import utc_now
from bot.service.abuse_limits import WINDOW, AbuseLimits, Action, refusal
from bot.service.delivery import DeliveryPlan, without_receipt_promise
from bot.service.erasing import ForgetCopies, erase_person
from bot.service.handled import Handled
from bot.service.ids import new_id
from bot.service.locks import KeyedLocks
from bot.service.step_limits import limits_for
from bot.service.uploads import Accepted, IncomingFile, read_uploads
from bot.service.user_keys import channel_of
from bot.storage import (
    NewAttachment,
    OutboxItem,
    SessionStore,
    StepReads,
    StepWrite,
)

log = logging.getLogger(__name__)


EventFactory = Callable[[datetime, str], Event]

__all__ = ["ConversationService", "Handled"]
"""``Handled`` lives in :mod:`bot.service.handled`; front ends import it from here too."""


@dataclass
class _Step:
    """What the stepper hands back from the database thread to the event loop."""

    replies: list[Reply]
    session: Session
    submitted: Submission | None = None
    delete_all: bool = False
    had_draft: bool = False
    """A draft with something in it was there before everything was deleted."""


class ConversationService:
    """Runs the conversation for every person, with storage and delivery behind it."""

    def __init__(
        self,
        consultation: Consultation,
        store: SessionStore,
        *,
        limits: Limits | None = None,
        mail_domain: str = "innspill.local",
        send_receipts: bool = True,
        receipts_per_address_per_day: int = 3,
        clock: Callable[[], datetime] = utc_now,
        make_id: Callable[[], str] = new_id,
        on_submitted: Callable[[], None] | None = None,
        abuse_limits: AbuseLimits | None = None,
        forget_copies: ForgetCopies | None = None,
    ) -> None:
        self.consultation = consultation
        self.store = store
        # The engine promises a receipt only when one will be sent.
        self.limits = replace(limits or Limits(), send_receipts=send_receipts)
        """``max_submission_bytes`` here is the limit of the whole encoded e-mail."""
        self.receipts_per_address_per_day = receipts_per_address_per_day
        self.mail_domain = mail_domain
        self.send_receipts = send_receipts
        self._delivery = DeliveryPlan(mail_domain, send_receipts, receipts_per_address_per_day)
        self._clock = clock
        self._make_id = make_id
        self._on_submitted = on_submitted
        self.abuse_limits = abuse_limits or AbuseLimits()
        self._forget_copies = forget_copies
        """Deletes copies of erased submissions' e-mails kept outside the database (``.eml``)."""
        self._locks: KeyedLocks[str] = KeyedLocks()
        self._language_after_deletion: dict[str, Lang] = {}
        """People who deleted everything, and the language they spoke (in memory only)."""

    # --- one method per kind of input ----------------------------------------------------

    async def handle_text(
        self,
        user_id: str,
        text: str,
        *,
        message_ref: str | None = None,
        numbered_choices: bool = False,
        follows_ref: str | None = None,
        update_key: str | Sequence[str] | None = None,
        language_code: str | None = None,
        channel: ChannelCapabilities | None = None,
    ) -> Handled:
        """The person wrote something (commands included; the engine tells them apart).

        ``numbered_choices``: the front end shows choices as numbered lines (the terminal), so
        a typed number or label picks a choice wherever one is offered. ``follows_ref``: the
        ref of the message right before this one in the chat, if the front end knows it.
        ``channel`` (on every ``handle_*``): what the front end's channel can do, passed with
        each event; ``None`` keeps the service's own (``limits.channel``).
        """
        return await self._handle(
            user_id,
            lambda at, fresh: TextEvent(
                at=at,
                fresh_id=fresh,
                text=text,
                message_ref=message_ref,
                numbered_choices=numbered_choices,
                follows_ref=follows_ref,
            ),
            update_key=update_key,
            language_code=language_code,
            channel=channel,
        )

    async def handle_choice(
        self,
        user_id: str,
        step_id: str,
        choice: str,
        *,
        update_key: str | None = None,
        language_code: str | None = None,
        channel: ChannelCapabilities | None = None,
    ) -> Handled:
        """The person pressed a button offered at ``step_id``."""
        return await self._handle(
            user_id,
            lambda at, fresh: ChoiceEvent(at=at, fresh_id=fresh, step=step_id, choice=choice),
            update_key=update_key,
            language_code=language_code,
            channel=channel,
            pressed_step=step_id,
        )

    async def handle_command(
        self,
        user_id: str,
        name: str,
        arg: str = "",
        *,
        update_key: str | None = None,
        language_code: str | None = None,
        channel: ChannelCapabilities | None = None,
    ) -> Handled:
        """A command by its canonical name (see :mod:`bot.conversation.commands`).

        Front ends use it for what they do themselves, such as opening the chat
        (``commands.OPEN``); what people type goes to :meth:`handle_text`.
        """
        return await self._handle(
            user_id,
            lambda at, fresh: CommandEvent(at=at, fresh_id=fresh, name=name, arg=arg),
            update_key=update_key,
            language_code=language_code,
            channel=channel,
        )

    async def handle_edit(
        self,
        user_id: str,
        message_ref: str,
        text: str,
        *,
        update_key: str | None = None,
        language_code: str | None = None,
        channel: ChannelCapabilities | None = None,
    ) -> Handled:
        """The person edited an earlier message."""
        return await self._handle(
            user_id,
            lambda at, fresh: EditEvent(at=at, fresh_id=fresh, message_ref=message_ref, text=text),
            update_key=update_key,
            language_code=language_code,
            channel=channel,
        )

    async def handle_unsupported(
        self,
        user_id: str,
        kind: str,
        *,
        update_key: str | Sequence[str] | None = None,
        language_code: str | None = None,
        channel: ChannelCapabilities | None = None,
    ) -> Handled:
        """Input the conversation cannot use (sticker, photo, voice, …)."""
        return await self._handle(
            user_id,
            lambda at, fresh: UnsupportedEvent(at=at, fresh_id=fresh, kind=kind),
            update_key=update_key,
            language_code=language_code,
            channel=channel,
        )

    async def handle_files(
        self,
        user_id: str,
        files: Sequence[IncomingFile],
        *,
        caption: str | None = None,
        update_key: str | Sequence[str] | None = None,
        language_code: str | None = None,
        channel: ChannelCapabilities | None = None,
    ) -> Handled:
        """One or more documents; the content decides the type, not the name.

        An album arrives as several updates: pass all their keys, so a partial redelivery
        after a restart is recognised too.

        Accepted files are stored in the same transaction as the step that accepts them, so a
        document the person was told about is never lost.
        """
        documents, accepted = await read_uploads(files, self._make_id)
        return await self._handle(
            user_id,
            lambda at, fresh: DocumentEvent(
                at=at, fresh_id=fresh, documents=tuple(documents), caption=caption
            ),
            update_key=update_key,
            language_code=language_code,
            channel=channel,
            accepted=accepted,
        )

    async def language_of(self, user_id: str) -> Lang:
        """The language the person talks in (bokmål for someone we have not met)."""
        session = await self.store.load_session(user_id, self.consultation.id)
        return session.lang if session else SOURCE

    async def session_of(self, user_id: str) -> Session | None:
        """The person's current session, if any (for tests and staff tools, not front ends)."""
        return await self.store.load_session(user_id, self.consultation.id)

    # --- the one path every event takes -------------------------------------------------

    async def _handle(
        self,
        user_id: str,
        make_event: EventFactory,
        *,
        update_key: str | Sequence[str] | None,
        language_code: str | None,
        channel: ChannelCapabilities | None = None,
        accepted: Sequence[Accepted] = (),
        pressed_step: str | None = None,
    ) -> Handled:
        metrics.count(metrics.UPDATES)
        keys = [update_key] if isinstance(update_key, str) else list(update_key or ())
        now = self._clock()
        # After /slett nothing is stored, but this process remembers the person's language.
        remembered = self._language_after_deletion.pop(user_id, None)

        def stepper(session: Session | None, reads: StepReads) -> tuple[StepWrite | None, _Step]:
            """Runs on the database thread, inside the transaction that saves its result."""
            if session is None:
                lang, known = resolve_language(language_code)
                if remembered is not None:
                    lang, known = remembered, True
                session = new_session(
                    self.consultation,
                    user_id=user_id,
                    draft_id=self._make_id(),
                    lang=lang,
                    at=now,
                    lang_confirmed=known,
                )
            outcome = step(
                self.consultation,
                session,
                make_event(now, self._make_id()),
                limits=limits_for(self.limits, session, len(accepted), channel),
            )
            submission = None
            outbox: list[OutboxItem] = []
            forget: list[str] = []
            replies = list(outcome.replies)
            for effect in outcome.effects:
                if isinstance(effect, Submit):
                    # The engine does not know the front end; the person's key says it.
                    submission = effect.submission.model_copy(
                        update={"channel": channel_of(user_id)}
                    )
                    outbox, refused = self._delivery.rows_for(submission, reads)
                    if refused and session.respondent.email:
                        replies = without_receipt_promise(
                            replies, session.lang, session.respondent.email
                        )
                elif isinstance(effect, ForgetAttachments):
                    forget.extend(effect.attachment_ids)
                elif isinstance(effect, DeleteAllData):
                    # Nothing is saved: the deletion runs after this transaction.
                    had_draft = session.status == "draft" and session.has_content
                    return None, _Step(
                        replies, outcome.session, delete_all=True, had_draft=had_draft
                    )
            counted = [Action.UPLOAD] * len(accepted)
            if submission is not None:
                counted.append(Action.SUBMISSION)
            over = self._over_limit(user_id, counted, now, reads)
            if over is not None:
                log.info("refused a %s: the person reached its hourly limit", over)
                # Only the update keys are recorded: the draft stays as it was.
                return StepWrite(None, at=now), _Step([refusal(over, session.lang)], session)
            write = StepWrite(
                outcome.session,
                counted=counted,
                new_attachments=[
                    NewAttachment(
                        id=file.id,
                        user_id=user_id,
                        draft_id=session.draft_id,
                        file_name=file.file_name,
                        mime_type=file.sniffed.mime_type,
                        data=file.data,
                        text=file.text.text,
                        text_state=file.text.state,
                        sha256=file.sha256,
                    )
                    for file in accepted
                ],
                forget_attachments=forget,
                submission=submission,
                submission_user_id=user_id if submission else None,
                outbox=outbox,
            )
            return write, _Step(replies, outcome.session, submitted=submission)

        async with self._locks.hold(user_id):
            stepped = await self.store.step_session(user_id, self.consultation.id, keys, stepper)
            done = stepped.result
            if stepped.duplicate or done is None:
                log.info("ignoring update %s: already handled", keys)
                return Handled([])
            if done.delete_all:
                notice = await erase_person(
                    self.store,
                    user_id,
                    keys,
                    at=now,
                    lang=done.session.lang,
                    had_draft=done.had_draft,
                    forget_copies=self._forget_copies,
                )
                if notice is None:
                    return Handled([])
                # Keep nothing on disk, not even an empty session: the next message starts
                # afresh. Only this process remembers the language, so the next reply is not
                # suddenly in bokmål.
                self._language_after_deletion[user_id] = done.session.lang
                return Handled(
                    [*done.replies, Reply(notice)], lang=done.session.lang, forgotten=True
                )
            if done.submitted is not None:
                log.info("submission %s stored and queued", done.submitted.reference)
                metrics.count(metrics.SUBMISSIONS)
                if self._on_submitted:
                    self._on_submitted()
            current = pressed_step is not None and done.session.step == pressed_step
            return Handled(done.replies, keyboard_is_current=current, lang=done.session.lang)

    def _over_limit(
        self, user_id: str, counted: Sequence[Action], now: datetime, reads: StepReads
    ) -> Action | None:
        """The first action this step would take beyond its hourly limit, if any."""
        for action in dict.fromkeys(counted):
            taking = counted.count(action)
            done = reads.count_actions(user_id, action, now - WINDOW)
            if done + taking > self.abuse_limits.allowed(action):
                return action
        return None
