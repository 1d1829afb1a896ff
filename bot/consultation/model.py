"""The consultation file's schema: frozen pydantic models validated from TOML.

A consultation is data. Another ministry's consultation is a new TOML file, never new code.
Every user-facing text is a table of languages (``{ nb = "...", nn = "...", en = "..." }``)
and must be present in every language the file declares.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.i18n.languages import SOURCE, Lang, codes

# Short ids: they become step and choice ids, which stay short for every channel
# (``bot.conversation.names.MAX_ID_BYTES``).
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,15}$")]

Text = dict[Lang, str]
"""A user-facing text in several languages; bokmål (``nb``) is always required."""

_HEADER_UNSAFE = re.compile(r"[\r\n\x00\x85\u2028\u2029]")
_TEMPLATE_FIELD = re.compile(r"\{([^{}]*)\}")
KINDS_CONTEXT = "kinds"
"""The validation context key under which the loader passes the known question kinds."""
SUBJECT_FIELDS = ("subject", "case_number", "title", "sender")
"""What a ``subject_template`` may use: the marking, its parts, and who the input is from."""


def pick(text: Text, lang: str) -> str:
    """Return ``text`` in ``lang``, falling back to bokmål."""
    return text.get(lang, text[SOURCE])


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RespondentType(_Frozen):
    """One answer to "who is answering?", modelled on regjeringen.no's form."""

    id: Slug
    label: Text
    organisation: bool = False
    """Ask for the organisation's name (not for private persons)."""
    org_number: bool = False
    """Offer to give a Norwegian organisation number."""
    board_approval: bool = False
    """Offer to say when the board approved the input (associations)."""


class RespondentConfig(_Frozen):
    """What the respondent part of the conversation asks."""

    types: list[RespondentType] = Field(min_length=1)
    ask_municipality: bool = True
    ask_email: bool = True


class Theme(_Frozen):
    """A theme the person may choose and answer in free text."""

    id: Slug
    title: Text
    prompt: Text
    """The plain-language question asked for this theme."""
    help: Text


class Question(_Frozen):
    """One of the consultation's questions."""

    id: Slug
    text: Text
    """A plain-language version, shown first."""
    original: Text | None = None
    """The ministry's own wording, kept so staff can compare answers with it."""
    help: Text
    optional: bool = True
    """Whether the person may skip it."""
    kind: str = "text"
    """How it is asked, read and rendered: a name in the question-kind registry
    (:data:`bot.conversation.kinds.KINDS`); free text unless the file says otherwise."""

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str, info: ValidationInfo) -> str:
        # The registry lives with the engine, which reads this model: the loader passes the
        # known kinds in (``context={"kinds": …}``), so the model never imports the engine.
        known = (info.context or {}).get(KINDS_CONTEXT)
        if known is not None and value not in known:
            names = ", ".join(f"{name!r}" for name in sorted(known))
            raise ValueError(f"unknown question kind {value!r}; known kinds: {names}")
        return value


C = TypeVar("C", bound="Consultation")


class Consultation(_Frozen):
    """A public consultation: who asks, what, by when, and where the input goes."""

    id: Slug
    languages: list[Lang] = Field(default_factory=lambda: list(codes()))
    ministry: Text
    ministry_short: str = Field(min_length=1, max_length=20)
    case_number: str = Field(min_length=1, max_length=40)
    title: Text
    recipient: EmailStr
    subject: str = Field(min_length=1, max_length=200)
    """The exact subject line the ministry asked for, in bokmål."""
    subject_template: str = Field(default="{subject} – {sender}", min_length=1, max_length=200)
    """The inbox subject: the required marking plus who it is from, so staff tell mails apart.

    ``{subject}`` is the line above, ``{case_number}`` and ``{title}`` its parts (title in
    bokmål), ``{sender}`` the organisation or the person's name with the municipality.
    """
    deadline: date
    """The last day input is due, a calendar day in Norway (it ends at 24:00 Oslo time)."""
    deadline_policy: Literal["closed", "late"] = "late"
    """After the deadline: ``closed`` takes no new input (drafts can still be read and
    deleted); ``late`` still takes it, marked late for staff."""
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,5}$")
    source_url: str | None = None
    intro: Text
    intro_after_deadline: Text | None = None
    """The intro once the deadline has passed (no "we want to hear from you" then)."""
    publication_notice: Text
    respondent: RespondentConfig
    themes: list[Theme] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    quick_path: bool = True
    """Offer the quick path: paste a finished text or upload documents."""
    estimated_minutes: int | None = Field(default=None, ge=1, le=240)
    """About how long the guided path takes; shown on its button («ca. 10 min»). A text of the
    file that names a number of minutes must name this one (``innspill check`` says where)."""

    @field_validator("languages")
    @classmethod
    def _bokmal_first(cls, value: list[Lang]) -> list[Lang]:
        if not value or value[0] != SOURCE:
            raise ValueError("languages must start with 'nb' (bokmål is the source language)")
        if len(set(value)) != len(value):
            raise ValueError("languages must not repeat")
        return value

    @field_validator("subject", "case_number", "ministry_short")
    @classmethod
    def _header_safe(cls, value: str) -> str:
        if _HEADER_UNSAFE.search(value):
            raise ValueError("must be a single line (it becomes an e-mail header)")
        return value

    @field_validator("subject")
    @classmethod
    def _subject_marks_the_case(cls, value: str, info: ValidationInfo) -> str:
        _require_marking(value, info, "the subject")
        return value

    @field_validator("subject_template")
    @classmethod
    def _template_keeps_the_marking(cls, value: str, info: ValidationInfo) -> str:
        if _HEADER_UNSAFE.search(value):
            raise ValueError("must be a single line (it becomes an e-mail header)")
        names = _TEMPLATE_FIELD.findall(value)
        unknown = sorted({n for n in names if n not in SUBJECT_FIELDS})
        if unknown or value.count("{") != len(names) or value.count("}") != len(names):
            raise ValueError(
                "may only use {subject}, {case_number}, {title} and {sender} in braces"
                + (f" (found {', '.join('{' + n + '}' for n in unknown)})" if unknown else "")
            )
        if "subject" not in names and not {"case_number", "title"} <= set(names):
            sample = {n: info.data.get(n, "") for n in ("case_number",)}
            _require_marking(
                value.replace("{case_number}", str(sample["case_number"])),
                info,
                "subject_template",
                hint="use {subject}, or both {case_number} and {title}",
            )
        return value

    @model_validator(mode="after")
    def _complete_and_unique(self) -> Consultation:
        missing: list[str] = []
        for path, text in _texts(self.model_dump(mode="python")):
            for lang in self.languages:
                if not str(text.get(lang, "")).strip():
                    missing.append(f"{path}.{lang}")
        if missing:
            raise ValueError("text missing in a declared language: " + ", ".join(missing))
        for name, items in (
            ("themes", self.themes),
            ("questions", self.questions),
            ("respondent.types", self.respondent.types),
        ):
            ids = [item.id for item in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{name}: duplicate id(s) {', '.join(dupes)}")
        if not self.themes and not self.questions and not self.quick_path:
            raise ValueError("a consultation needs themes, questions or the quick path")
        _durations_agree(self)
        return self

    # The model is frozen, so lookups built once stay right; every step asks several. A copy
    # (``model_copy(update=...)`` makes a changed file) starts without them.
    def __copy__(self) -> Self:
        return _without_derived(super().__copy__())

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return _without_derived(super().__deepcopy__(memo))

    @cached_property
    def themes_by_id(self) -> dict[str, Theme]:
        """The themes by id."""
        return {t.id: t for t in self.themes}

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        """The questions by id."""
        return {q.id: q for q in self.questions}

    @cached_property
    def question_numbers(self) -> dict[str, int]:
        """Each question's number as people read it (from 1)."""
        return {q.id: number for number, q in enumerate(self.questions, start=1)}

    @cached_property
    def respondent_types_by_id(self) -> dict[str, RespondentType]:
        """The respondent types by id."""
        return {t.id: t for t in self.respondent.types}

    @cached_property
    def derived(self) -> dict[Hashable, Any]:
        """What the engine derives from this file alone, kept with the file it came from.

        For example the step sequence of a path, computed on first use.
        """
        return {}

    def theme(self, theme_id: str) -> Theme:
        """Return the theme with ``theme_id``."""
        return self.themes_by_id[theme_id]

    def question(self, question_id: str) -> Question:
        """Return the question with ``question_id``."""
        return self.questions_by_id[question_id]

    def respondent_type(self, type_id: str) -> RespondentType:
        """Return the respondent type with ``type_id``."""
        return self.respondent_types_by_id[type_id]


_DERIVED = (
    "themes_by_id",
    "questions_by_id",
    "question_numbers",
    "respondent_types_by_id",
    "derived",
)
"""The cached properties of :class:`Consultation`: computed from its fields, never copied."""


def _without_derived(c: C) -> C:
    for name in _DERIVED:
        c.__dict__.pop(name, None)
    return c


_NUMBER_WORDS = {
    **dict.fromkeys(("en", "ett", "ei", "eitt", "one"), 1),
    **dict.fromkeys(("to", "two"), 2),
    **dict.fromkeys(("tre", "three"), 3),
    **dict.fromkeys(("fire", "four"), 4),
    **dict.fromkeys(("fem", "five"), 5),
    **dict.fromkeys(("seks", "six"), 6),
    **dict.fromkeys(("sju", "syv", "seven"), 7),
    **dict.fromkeys(("åtte", "eight"), 8),
    **dict.fromkeys(("ni", "nine"), 9),
    **dict.fromkeys(("ti", "ten"), 10),
    **dict.fromkeys(("femten", "fifteen"), 15),
    **dict.fromkeys(("tjue", "twenty"), 20),
    **dict.fromkeys(("tretti", "thirty"), 30),
}
_MINUTES = re.compile(
    r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")\s*(?:minutter|minutt|minutes?|min)\b", re.I
)


def _durations_agree(c: Consultation) -> None:
    """Every text that says how many minutes it takes says ``estimated_minutes``."""
    texts = [("intro", c.intro), ("intro_after_deadline", c.intro_after_deadline)]
    wrong: list[str] = []
    for name, text in texts:
        for lang, value in (text or {}).items():
            for match in _MINUTES.finditer(value):
                said = match.group(1).lower()
                minutes = int(said) if said.isdigit() else _NUMBER_WORDS[said]
                if minutes != c.estimated_minutes:
                    wrong.append(f"{name}.{lang} says {match.group(0)!r}")
    if wrong:
        expected = c.estimated_minutes
        hint = f"estimated_minutes is {expected}" if expected else "estimated_minutes is not set"
        raise ValueError(f"the time it takes must agree: {hint}, but " + "; ".join(wrong))


def _require_marking(value: str, info: ValidationInfo, what: str, *, hint: str = "") -> None:
    """The ministry files input by case number and title: a subject must carry both."""
    case_number = info.data.get("case_number")
    title = info.data.get("title")
    missing = []
    if isinstance(case_number, str) and case_number not in value:
        missing.append(f"the case number {case_number!r}")
    if isinstance(title, dict) and "nb" in title and title["nb"].casefold() not in value.casefold():
        missing.append(f"the title {title['nb']!r}")
    if missing:
        more = f"; {hint}" if hint else ""
        raise ValueError(f"{what} must contain {' and '.join(missing)}{more}")


_TEXT_FIELDS = {
    "ministry",
    "title",
    "intro",
    "intro_after_deadline",
    "publication_notice",
    "label",
    "prompt",
    "help",
    "text",
    "original",
}


def _texts(data: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every language table in ``data`` with its dotted path, for the completeness check."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            if key in _TEXT_FIELDS and isinstance(value, dict):
                found.append((sub, value))
            else:
                found.extend(_texts(value, sub))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_texts(value, f"{path}[{index}]"))
    return found
