"""A person's conversation state: everything needed to resume exactly where they left off.

The session is plain data (a pydantic model) that storage saves as JSON after every event.
The JSON carries a ``version``; a draft saved by an older release is migrated when it is
read, so a change to the format never strands someone in the middle of their input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.conversation.names import Step, StepId, step_id
from bot.i18n.languages import Lang

Flow = Literal["guided", "quick"]

SESSION_VERSION = 2
"""The stored format's version. Change the format only with a new version and a migration."""

M = TypeVar("M", bound=BaseModel)

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _from_v0(data: dict[str, Any]) -> dict[str, Any]:
    """v0 (saved before sessions had a version) has the fields of v1, so it is kept as is."""
    return data


def _from_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v2 notes personal data in each attachment; a v1 attachment starts with none found."""
    return data


MIGRATIONS: dict[int, Migration] = {0: _from_v0, 1: _from_v1}
"""Each version's step to the next one; applied in order to an older stored session."""


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A stored session's fields brought up to :data:`SESSION_VERSION`."""
    version = data.get("version", 0)
    if version == SESSION_VERSION:
        return data  # the common case, on every step: nothing to do, nothing to copy
    if not isinstance(version, int) or version > SESSION_VERSION:
        raise ValueError(f"session format {version!r} is newer than this release knows")
    data = dict(data)
    while version < SESSION_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    data["version"] = version
    return data


def _shallow(model: M, **changes: Any) -> M:
    """A shallow copy of ``model`` with ``changes``, unvalidated.

    What ``model_copy`` does, without its generic ``copy()`` calls: this runs for every part
    of a session, every step.
    """
    cls = type(model)
    new = cls.__new__(cls)
    values = model.__dict__.copy()
    values.update(changes)
    object.__setattr__(new, "__dict__", values)
    object.__setattr__(new, "__pydantic_extra__", None)
    fields_set = model.__pydantic_fields_set__ | changes.keys()
    object.__setattr__(new, "__pydantic_fields_set__", fields_set)
    object.__setattr__(new, "__pydantic_private__", None)
    return new


class AnswerPart(BaseModel):
    """One message's worth of an answer; several parts make one answer.

    A part with no text notes a message that belonged to the answer but did not fit in it
    (:mod:`bot.conversation.kinds.too_long`), so the messages after it still join the answer.
    """

    text: str
    message_ref: str | None = None


class Answer(BaseModel):
    """The answer to one step (a theme, a question or the quick path's free text)."""

    parts: list[AnswerPart] = Field(default_factory=list)
    cut: bool = False
    """Text was cut off to keep the answer within its limit, so the answer is full: a later
    part of the same paste would leave a gap where the cut-off text was. Added with a
    default, so a session stored before it loads unchanged."""

    @property
    def text(self) -> str:
        """The whole answer, its parts joined as paragraphs."""
        return "\n\n".join(p.text for p in self.parts if p.text.strip())

    @property
    def kept_parts(self) -> int:
        """How many parts hold text (what the person is told the answer has)."""
        return sum(1 for p in self.parts if p.text.strip())


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
    personal_data: list[str] = Field(default_factory=list)
    """What looked like personal data in the document's text (masked excerpts), found at
    upload; the send check warns about it as it does about typed text."""


class Session(BaseModel):
    """One person's draft (or last submission) for one consultation."""

    model_config = ConfigDict(validate_assignment=False)

    version: int = SESSION_VERSION
    """The format this session was stored in (see :func:`migrate`)."""
    user_id: str
    consultation_id: str
    draft_id: str
    lang: Lang = "nb"
    lang_confirmed: bool = False
    """The person chose the language (or it came from a known client language)."""
    flow: Flow = "guided"
    step: StepId = Step.START
    respondent: Respondent = Field(default_factory=Respondent)
    municipality_candidates: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    answers: dict[str, Answer] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    editing_from_summary: bool = False
    adding_to: StepId | None = None
    """The answer typed text adds to, chosen with «Legg til»; at any other answered step,
    typed text replaces the answer (people retype the whole corrected answer). Added with a
    default, so a session stored before it loads unchanged."""
    notice_shown: bool = False
    remind_deadline: bool = False
    """Asked for a reminder 7 days and 1 day before the deadline. Added with a default, so a
    session stored before it loads unchanged (no new format version needed)."""
    personal_data_acknowledged: bool = False
    return_step: StepId | None = None
    """Where to go back to after a confirmation step (cancel, delete, language)."""
    status: Literal["draft", "submitted"] = "draft"
    reference: str | None = None
    """The reference number of the last submission."""
    submitted_at: datetime | None = None
    started_at: datetime
    updated_at: datetime
    seq: int = 0
    """Incremented on every event; lets storage detect lost updates."""

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        return migrate(data) if isinstance(data, dict) else data

    @field_validator("step", "return_step", "adding_to", mode="before")
    @classmethod
    def _typed_step(cls, value: Any) -> Any:
        # A fixed step comes back as its Step member, every other one as an AnswerStep.
        return step_id(value) if isinstance(value, str) else value

    def working_copy(self, **changes: Any) -> Session:
        """A copy (with ``changes``) the engine may change freely; this session stays as it was.

        Only the containers and nested models are copied (the rest are immutable values),
        without validation: the data is already valid. A dump/validate round trip does the
        same at several times the cost, and it was the largest part of a step.
        """
        return _shallow(
            self,
            respondent=_shallow(self.respondent),
            municipality_candidates=list(self.municipality_candidates),
            themes=list(self.themes),
            answers={
                key: _shallow(answer, parts=[_shallow(p) for p in answer.parts])
                for key, answer in self.answers.items()
            },
            skipped=list(self.skipped),
            attachments=[
                _shallow(a, personal_data=list(a.personal_data)) for a in self.attachments
            ],
            **changes,
        )

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
