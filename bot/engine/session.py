"""A person's conversation state: everything needed to resume exactly where they left off.

The session is plain data (a pydantic model) that storage saves as JSON after every event.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.i18n import Lang

Flow = Literal["guided", "quick"]


class AnswerPart(BaseModel):
    """One message's worth of an answer; several parts make one answer."""

    text: str
    message_ref: str | None = None


class Answer(BaseModel):
    """The answer to one step (a theme, a question or the quick path's free text)."""

    parts: list[AnswerPart] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole answer, its parts joined as paragraphs."""
        return "\n\n".join(p.text for p in self.parts if p.text.strip())


class Respondent(BaseModel):
    """Who is answering: only what the submission needs."""

    type: str | None = None
    name: str | None = None
    organisation: str | None = None
    org_number: str | None = None
    board_approved: date | None = None
    municipality: str | None = None
    """The official municipality number (kommunenummer)."""
    email: str | None = None


class Attachment(BaseModel):
    """A stored document that belongs to the draft."""

    id: str
    file_name: str
    mime_type: str
    size: int


class Session(BaseModel):
    """One person's draft (or last submission) for one consultation."""

    model_config = ConfigDict(validate_assignment=False)

    user_id: str
    consultation_id: str
    draft_id: str
    lang: Lang = "nb"
    lang_confirmed: bool = False
    """The person chose the language (or it came from a known client language)."""
    flow: Flow = "guided"
    step: str = "start"
    respondent: Respondent = Field(default_factory=Respondent)
    municipality_candidates: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    answers: dict[str, Answer] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    editing_from_summary: bool = False
    notice_shown: bool = False
    personal_data_acknowledged: bool = False
    return_step: str | None = None
    """Where to go back to after a confirmation step (cancel, delete, language)."""
    status: Literal["draft", "submitted"] = "draft"
    reference: str | None = None
    """The reference number of the last submission."""
    submitted_at: datetime | None = None
    started_at: datetime
    updated_at: datetime
    seq: int = 0
    """Incremented on every event; lets storage detect lost updates."""

    @property
    def has_content(self) -> bool:
        """Whether the draft holds anything the person would miss if it were lost."""
        return bool(
            self.answers
            or self.attachments
            or self.respondent.name
            or self.respondent.type
            or self.themes
        )
