"""The finished submission: what is stored, e-mailed to the ministry and exported.

It is built once, at submit time, from the consultation and the session, with every text in
bokmål (the ministry's language) so that mail, export and statistics never need the session.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from bot.i18n.languages import Lang


class Channel(StrEnum):
    """How a submission came in.

    The service sets it (it knows which front end called it); the engine does not, so every
    front end shares every rule.
    """

    TELEGRAM = "telegram"
    WEB = "web"
    TERMINAL = "terminal"


CHANNEL_NAMES: dict[str, str] = {
    Channel.TELEGRAM: "Telegram",
    Channel.WEB: "nettsiden",
    Channel.TERMINAL: "terminalen",
}
"""How staff read a channel (bokmål, like everything staff read): «Kanal: nettsiden»."""


class RespondentInfo(BaseModel):
    """Who the submission is from, as staff read it."""

    type_id: str
    type_label: str
    name: str
    organisation: str | None = None
    org_number: str | None = None
    board_approved: date | None = None
    municipality_number: str | None = None
    municipality_name: str | None = None
    county: str | None = None
    email: str | None = None


class SubmissionAnswer(BaseModel):
    """One theme or question and its answer (``None`` when skipped or not chosen)."""

    key: str
    kind: Literal["theme", "question", "free_text"]
    heading: str
    """The theme's title or the question's plain text (bokmål)."""
    original: str | None = None
    """The ministry's own wording of the question, when the file has it."""
    answer: str | None = None
    skipped: bool = False
    """The person chose to skip it; no answer and not skipped means it was never reached."""
    shown: str | None = None
    """The question as the person saw it, when they answered in nynorsk or English."""
    answer_kind: str = "text"
    """The question's kind (:data:`bot.conversation.kinds.KINDS`), which renders ``answer``
    for people: :func:`bot.conversation.kinds.rendered`. Stored submissions from before kinds
    existed have free text, the default."""


class AttachmentInfo(BaseModel):
    """A document that goes with the submission; its bytes are in storage."""

    id: str
    file_name: str
    mime_type: str
    size: int


class Submission(BaseModel):
    """A finished, confirmed submission."""

    reference: str
    consultation_id: str
    case_number: str
    title: str
    subject: str
    subject_template: str = "{subject} – {sender}"
    """How the inbox subject adds who it is from (see ``Consultation.subject_template``)."""
    deadline: date | None = None
    """The consultation's last day (Europe/Oslo); a submission after it is marked late."""
    recipient: str
    received_at: datetime
    language: Lang
    flow: Literal["guided", "quick"]
    respondent: RespondentInfo
    themes: list[str] = Field(default_factory=list)
    """Titles (bokmål) of the themes the person chose."""
    answers: list[SubmissionAnswer] = Field(default_factory=list)
    attachments: list[AttachmentInfo] = Field(default_factory=list)
    channel: Channel | None = None
    """How it came in (Telegram, the web chat, the terminal); set by the service when it
    stores the submission, ``None`` only in a submission not stored yet."""
