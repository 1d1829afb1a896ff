"""Typed ids for steps and for choices, so the two namespaces cannot be mixed up.

Both are stored (in the session JSON, and in what a channel keeps with a button), so a value
here is never renamed without a session migration (see :mod:`bot.conversation.session`). Some
values are the same string in both namespaces (``Step.DONE`` and ``Pick.DONE`` are both ``"done"``);
the types keep them apart, and mypy refuses a ``Pick`` where a step is expected.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

MAX_ID_BYTES = 24
"""Every step id and choice id the engine offers stays this short (UTF-8 bytes), whatever the
channel: a button carries both, and some channels carry little with a button. A channel checks
its own limit when it encodes them (Telegram's: ``bot.channels.telegram.callbacks``)."""


class Step(StrEnum):
    """The steps every consultation has."""

    # Respondent steps
    TYPE = "r.type"
    ORGANISATION = "r.org"
    ORG_NUMBER = "r.orgnr"
    BOARD = "r.board"
    NAME = "r.name"
    MUNICIPALITY = "r.muni"
    MUNICIPALITY_PICK = "r.muni2"
    EMAIL = "r.email"
    # Content steps
    THEMES = "themes"
    QUICK = "quick"
    SUMMARY = "summary"
    # Outside the sequence
    START = "start"
    RESUME = "resume"
    LANGUAGE = "lang"
    EDIT = "edit"
    PERSONAL_DATA = "pii"
    CANCEL = "cancel"
    DELETE = "delete"
    DONE = "done"


_FIXED_STEPS: dict[str, Step] = {step.value: step for step in Step}
"""A dictionary lookup, not ``Step(value)``: sessions are re-validated on every step, and a
failed enum lookup raises, which costs more than the rest of the check."""

AnswerStep = NewType("AnswerStep", str)
"""A step made from the consultation file: ``t.<theme id>`` or ``q.<question id>``."""

StepId = Step | AnswerStep
"""Any step a session can be at."""


def step_id(value: str) -> StepId:
    """The typed step for a stored or offered value (an edit-menu choice names a step)."""
    return _FIXED_STEPS.get(value) or AnswerStep(value)


class Pick(StrEnum):
    """The fixed choices (buttons) the engine offers.

    Other choice ids are data: a theme id, a municipality number, a language, a step to change.
    """

    NEXT = "next"
    SKIP = "skip"
    REPLACE = "replace"
    DONE = "done"
    SEND = "send"
    EDIT = "edit"
    CANCEL = "cancel"
    YES = "yes"
    NO = "no"
    CONTINUE = "continue"
    RESTART = "restart"
    NEW = "new"
    GUIDED = "guided"
    QUICK = "quick"
    LANGUAGE = "lang"
    NONE = "none"
    BACK_TO_SUMMARY = "summary"
    THEMES = "themes"
    MORE = "more"
    SKIP_REST = "rest"
    REMIND = "remind"
    ADD = "add"
    ORIGINAL = "original"
