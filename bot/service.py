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

from bot import metrics
from bot.clock import utc_now
from bot.documents import Sniffed, safe_file_name, sniff_document
from bot.engine.context import Limits
from bot.engine.events import (
    ChoiceEvent,
    CommandEvent,
    DeleteAllData,
    DocumentEvent,
    DocumentProblem,
    EditEvent,
    Event,
    ForgetAttachments,
    IncomingDocument,
    Reply,
    Submit,
    TextEvent,
    UnsupportedEvent,
)
from bot.engine.machine import new_session, step
from bot.engine.model import Consultation
from bot.engine.sending import deletion_notice
from bot.engine.session import Session
from bot.i18n import Lang, gettext_for, resolve_language
from bot.ids import new_id
from bot.locks import KeyedLocks
from bot.mail.headers import message_id_for, safe_address
from bot.mail.size import attachment_allowance
from bot.storage import DuplicateUpdateError, NewAttachment, OutboxItem, SessionStore

log = logging.getLogger(__name__)

EventFactory = Callable[[datetime, str], Event]


@dataclass(frozen=True)
class Handled:
    """What a front end needs after one event; it never has to read the session itself."""

    replies: list[Reply]
    """What to show, in order (empty for an update that was handled before)."""
    keyboard_is_current: bool = False
    """For a button press: the pressed keyboard still belongs to the step the person is at,
    so a front end may update that message in place instead of sending a new one."""


@dataclass(frozen=True)
class IncomingFile:
    """A file as a front end received it; ``data`` is ``None`` when it was not downloaded."""

    file_name: str
    mime_type: str | None
    size: int
    data: bytes | None
    problem: DocumentProblem | None = None


@dataclass(frozen=True)
class _Accepted:
    """A file whose content is a document we take; stored with the step that accepts it."""

    id: str
    file_name: str
    sniffed: Sniffed
    data: bytes


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
    ) -> None:
        self.consultation = consultation
        self.store = store
        self.limits = limits or Limits()
        """``max_submission_bytes`` here is the limit of the whole encoded e-mail."""
        self.receipts_per_address_per_day = receipts_per_address_per_day
        self.mail_domain = mail_domain
        self.send_receipts = send_receipts
        self._clock = clock
        self._make_id = make_id
        self._on_submitted = on_submitted
        self._locks: KeyedLocks[str] = KeyedLocks()

    # --- one method per kind of input ----------------------------------------------------

    async def handle_text(
        self,
        user_id: str,
        text: str,
        *,
        message_ref: str | None = None,
        numbered_choices: bool = False,
        follows_ref: str | None = None,
        update_key: str | None = None,
        language_code: str | None = None,
    ) -> Handled:
        """The person wrote something (commands included; the engine tells them apart).

        ``numbered_choices``: the front end shows choices as numbered lines (the terminal), so
        a typed number or label picks a choice wherever one is offered. ``follows_ref``: the
        ref of the message right before this one in the chat, if the front end knows it.
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
        )

    async def handle_choice(
        self,
        user_id: str,
        step_id: str,
        choice: str,
        *,
        update_key: str | None = None,
        language_code: str | None = None,
    ) -> Handled:
        """The person pressed a button offered at ``step_id``."""
        return await self._handle(
            user_id,
            lambda at, fresh: ChoiceEvent(at=at, fresh_id=fresh, step=step_id, choice=choice),
            update_key=update_key,
            language_code=language_code,
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
    ) -> Handled:
        """A command by its canonical name (see :mod:`bot.engine.commands`).

        Front ends use it for what they do themselves, such as opening the chat
        (``commands.OPEN``); what people type goes to :meth:`handle_text`.
        """
        return await self._handle(
            user_id,
            lambda at, fresh: CommandEvent(at=at, fresh_id=fresh, name=name, arg=arg),
            update_key=update_key,
            language_code=language_code,
        )

    async def handle_edit(
        self,
        user_id: str,
        message_ref: str,
        text: str,
        *,
        update_key: str | None = None,
        language_code: str | None = None,
    ) -> Handled:
        """The person edited an earlier message."""
        return await self._handle(
            user_id,
            lambda at, fresh: EditEvent(at=at, fresh_id=fresh, message_ref=message_ref, text=text),
            update_key=update_key,
            language_code=language_code,
        )

    async def handle_unsupported(
        self,
        user_id: str,
        kind: str,
        *,
        update_key: str | None = None,
        language_code: str | None = None,
    ) -> Handled:
        """Input the conversation cannot use (sticker, photo, voice, …)."""
        return await self._handle(
            user_id,
            lambda at, fresh: UnsupportedEvent(at=at, fresh_id=fresh, kind=kind),
            update_key=update_key,
            language_code=language_code,
        )

    async def handle_files(
        self,
        user_id: str,
        files: Sequence[IncomingFile],
        *,
        caption: str | None = None,
        update_key: str | Sequence[str] | None = None,
        language_code: str | None = None,
    ) -> Handled:
        """One or more documents; the content decides the type, not the name.

        An album arrives as several updates: pass all their keys, so a partial redelivery
        after a restart is recognised too.

        Accepted files are stored in the same transaction as the step that accepts them, so a
        document the person was told about is never lost.
        """
        documents: list[IncomingDocument] = []
        accepted: list[_Accepted] = []
        for file in files:
            data = file.data if file.problem is None else None
            sniffed = sniff_document(data, file.file_name) if data is not None else None
            if data is None or sniffed is None:
                problem = file.problem or (
                    "download_failed" if data is None else "unsupported_type"
                )
                documents.append(
                    IncomingDocument(
                        file_name=file.file_name,
                        mime_type=file.mime_type or "application/octet-stream",
                        size=len(data) if data is not None else file.size,
                        problem=problem,
                    )
                )
                continue
            kept = _Accepted(
                self._make_id(), safe_file_name(file.file_name, sniffed.kind), sniffed, data
            )
            accepted.append(kept)
            documents.append(
                IncomingDocument(
                    file_name=kept.file_name,
                    mime_type=sniffed.mime_type,
                    size=len(data),
                    attachment_id=kept.id,
                )
            )
        return await self._handle(
            user_id,
            lambda at, fresh: DocumentEvent(
                at=at, fresh_id=fresh, documents=tuple(documents), caption=caption
            ),
            update_key=update_key,
            language_code=language_code,
            accepted=accepted,
        )

    async def language_of(self, user_id: str) -> Lang:
        """The language the person talks in (bokmål for someone we have not met)."""
        session = await self.store.load_session(user_id, self.consultation.id)
        return session.lang if session else "nb"

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
        accepted: Sequence[_Accepted] = (),
        pressed_step: str | None = None,
    ) -> Handled:
        metrics.count(metrics.UPDATES)
        async with self._locks.hold(user_id):
            keys = [update_key] if isinstance(update_key, str) else list(update_key or ())
            for key in keys:
                if await self.store.is_update_processed(key):
                    log.info("ignoring update %s: already handled", key)
                    return Handled([])
            now = self._clock()
            session = await self.store.load_session(user_id, self.consultation.id)
            if session is None:
                lang, known = resolve_language(language_code)
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
                limits=self._limits_for(session, len(accepted)),
            )
            new_attachments = [
                NewAttachment(
                    id=file.id,
                    user_id=user_id,
                    draft_id=session.draft_id,
                    file_name=file.file_name,
                    mime_type=file.sniffed.mime_type,
                    data=file.data,
                )
                for file in accepted
            ]
            submission = None
            outbox: list[OutboxItem] = []
            forget: list[str] = []
            replies = list(outcome.replies)
            for effect in outcome.effects:
                if isinstance(effect, Submit):
                    submission = effect.submission
                    outbox, refused = await self._outbox_for(
                        submission.reference,
                        submission.recipient,
                        submission.respondent.email,
                        submission.language,
                        now,
                    )
                    if refused:
                        replies.append(Reply(text=self._no_receipt_notice(session.lang)))
                elif isinstance(effect, ForgetAttachments):
                    forget.extend(effect.attachment_ids)
                elif isinstance(effect, DeleteAllData):
                    report = await self.store.delete_user_data(user_id)
                    log.info("deleted data for a user on request: %s", report)
                    notice = deletion_notice(
                        outcome.session.lang,
                        erased_submissions=report.submissions,
                        awaiting_delivery=report.pending_deliveries,
                    )
                    # Keep nothing, not even an empty session: the next message starts afresh.
                    return Handled([*outcome.replies, Reply(notice)])
            try:
                await self.store.save_step(
                    outcome.session,
                    update_key=update_key,
                    new_attachments=new_attachments,
                    forget_attachments=forget,
                    submission=submission,
                    submission_user_id=user_id if submission else None,
                    outbox=outbox,
                )
            except DuplicateUpdateError:
                return Handled([])
            if submission is not None:
                log.info("submission %s stored and queued", submission.reference)
                metrics.count(metrics.SUBMISSIONS)
                if self._on_submitted:
                    self._on_submitted()
            current = pressed_step is not None and outcome.session.step == pressed_step
            return Handled(replies, keyboard_is_current=current)

    def _limits_for(self, session: Session, incoming: int) -> Limits:
        """The engine's limits for this draft: how many bytes of documents still fit.

        The setting limits the encoded e-mail; documents grow by a third in base64 and the
        answers are in it three times, so the bytes left for documents depend on the draft.
        """
        text = "".join(answer.text for answer in session.answers.values())
        allowance = attachment_allowance(
            self.limits.max_submission_bytes,
            text_bytes=len(text.encode("utf-8")),
            count=len(session.attachments) + max(incoming, 1),
        )
        return replace(self.limits, max_submission_bytes=allowance)

    @staticmethod
    def _no_receipt_notice(lang: str) -> str:
        _ = gettext_for(lang).gettext
        return _(
            "Innspillet er sendt, men vi sender ingen kvittering på e-post denne gangen: "
            "den adressen har fått så mange kvitteringer i dag som vi sender. "
            "Ta vare på referansenummeret over."
        )

    async def _receipt_allowed(self, address: str, now: datetime) -> bool:
        """At most ``receipts_per_address_per_day`` receipts to one address per (UTC) day.

        A receipt goes to an address nobody confirmed: without a limit, anyone could make the
        bot mail a stranger again and again.
        """
        sent = await self.store.receipts_on_day(address, now)
        if sent >= self.receipts_per_address_per_day:
            log.warning("receipt not queued: the address reached its limit for today")
            return False
        return True

    async def _outbox_for(
        self,
        reference: str,
        recipient: str,
        respondent_email: str | None,
        lang: str,
        now: datetime,
    ) -> tuple[list[OutboxItem], bool]:
        """The submission's outbox rows, and whether a receipt was refused by the daily limit."""
        items = [
            OutboxItem(
                kind="ministry",
                reference=reference,
                recipient=recipient,
                message_id=message_id_for(reference, "ministry", self.mail_domain),
                lang="nb",
            )
        ]
        address = safe_address(respondent_email) if respondent_email else None
        if not address or not self.send_receipts:
            return items, False
        if not await self._receipt_allowed(address, now):
            return items, True
        items.append(
            OutboxItem(
                kind="receipt",
                reference=reference,
                recipient=address,
                message_id=message_id_for(reference, "receipt", self.mail_domain),
                lang=lang,
            )
        )
        return items, False
