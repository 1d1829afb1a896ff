"""The order of steps, derived from the consultation and what the person has chosen so far.

Nothing about the order is stored: "next", "back" and "status" are all computed from the same
sequence, so they can never disagree.
"""

from __future__ import annotations

from bot.consultation.model import Consultation, RespondentType
from bot.conversation.names import AnswerStep, Step, StepId
from bot.conversation.session import Session

# Respondent steps
TYPE = Step.TYPE
ORGANISATION = Step.ORGANISATION
ORG_NUMBER = Step.ORG_NUMBER
BOARD = Step.BOARD
NAME = Step.NAME
MUNICIPALITY = Step.MUNICIPALITY
MUNICIPALITY_PICK = Step.MUNICIPALITY_PICK
EMAIL = Step.EMAIL
# Content steps
THEMES = Step.THEMES
QUICK = Step.QUICK
SUMMARY = Step.SUMMARY
# Outside the sequence
START = Step.START
RESUME = Step.RESUME
LANGUAGE = Step.LANGUAGE
EDIT = Step.EDIT
PERSONAL_DATA = Step.PERSONAL_DATA
CANCEL = Step.CANCEL
DELETE = Step.DELETE
DONE = Step.DONE

THEME_PREFIX = "t."
QUESTION_PREFIX = "q."

ANSWER_STEPS_PREFIXES = (THEME_PREFIX, QUESTION_PREFIX)
"""Steps whose answer is free text that may span several messages."""

OPTIONAL_RESPONDENT_STEPS = (ORG_NUMBER, BOARD, MUNICIPALITY, EMAIL)


def theme_step(theme_id: str) -> AnswerStep:
    """The step id for a theme's answer."""
    return AnswerStep(THEME_PREFIX + theme_id)


def question_step(question_id: str) -> AnswerStep:
    """The step id for a question's answer."""
    return AnswerStep(QUESTION_PREFIX + question_id)


def is_answer_step(step: str) -> bool:
    """Whether ``step`` takes a free-text answer (theme, question or the quick path's text)."""
    return step.startswith(ANSWER_STEPS_PREFIXES) or step == QUICK


def respondent_steps(c: Consultation, s: Session) -> list[StepId]:
    """The respondent part, as far as the chosen respondent type decides it."""
    steps: list[StepId] = [TYPE]
    rtype = respondent_type(c, s)
    if rtype is not None and rtype.organisation:
        steps.append(ORGANISATION)
        if s.flow == "guided" and rtype.org_number:
            steps.append(ORG_NUMBER)
        if s.flow == "guided" and rtype.board_approval:
            steps.append(BOARD)
    steps.append(NAME)
    if s.flow == "quick":
        # At most six steps from the link to the reference: an organisation's place is in its
        # text, and the e-mail address can be added from the summary ("Endre noe").
        if c.respondent.ask_municipality and rtype is not None and not rtype.organisation:
            steps.append(MUNICIPALITY)
        return steps
    if c.respondent.ask_municipality:
        steps.append(MUNICIPALITY)
    if c.respondent.ask_email:
        steps.append(EMAIL)
    return steps


SEQUENCES_KEPT = 4096
"""Paths remembered per consultation file (one per flow, respondent type and set of themes);
beyond this the memory is cleared, so an odd file cannot make it grow without bound."""


def sequence(c: Consultation, s: Session) -> list[StepId]:
    """Every step of this person's path, in order, ending with the summary.

    A step asks for it several times, and the path depends only on the file, the flow, the
    respondent type and the chosen themes: it is computed once per combination.
    """
    key = ("sequence", s.flow, s.respondent.type, frozenset(s.themes))
    known = c.derived.get(key)
    if known is None:
        if len(c.derived) >= SEQUENCES_KEPT:
            c.derived.clear()
        known = c.derived[key] = tuple(_sequence(c, s))
    return list(known)


def _sequence(c: Consultation, s: Session) -> list[StepId]:
    steps = respondent_steps(c, s)
    if s.flow == "quick":
        steps.append(QUICK)
    else:
        if c.themes:
            steps.append(THEMES)
            steps.extend(theme_step(t.id) for t in c.themes if t.id in s.themes)
        steps.extend(question_step(q.id) for q in c.questions)
    steps.append(SUMMARY)
    return steps


def _position_step(step: StepId) -> StepId:
    """Steps that stand in for a step of the sequence (the pick list is part of "kommune")."""
    return MUNICIPALITY if step == MUNICIPALITY_PICK else step


def next_step(c: Consultation, s: Session) -> StepId:
    """The step after the current one (the summary when the person came from there)."""
    if s.editing_from_summary:
        # Back to the summary, but first through any newly chosen theme still unanswered.
        pending = [
            step
            for step in sequence(c, s)
            if step.startswith(THEME_PREFIX) and step != s.step and not is_done(c, s, step)
        ]
        return pending[0] if pending else SUMMARY
    steps = sequence(c, s)
    current = _position_step(s.step)
    if current not in steps:
        # A step this path leaves out (an extra detail added from the summary, or a draft
        # saved before the path changed): on to the first step still open.
        return next(iter(remaining(c, s)), SUMMARY)
    index = steps.index(current)
    return steps[min(index + 1, len(steps) - 1)]


def previous_step(c: Consultation, s: Session) -> StepId | None:
    """The step before the current one, or ``None`` at the very first step."""
    steps = sequence(c, s)
    current = _position_step(s.step)
    if current not in steps:
        return None
    index = steps.index(current)
    return steps[index - 1] if index > 0 else None


def is_done(c: Consultation, s: Session, step: StepId) -> bool:
    """Whether ``step`` has been answered or deliberately skipped."""
    if step in s.skipped:
        return True
    r = s.respondent
    values: dict[str, object] = {
        TYPE: r.type,
        ORGANISATION: r.organisation,
        ORG_NUMBER: r.org_number,
        BOARD: r.board_approved,
        NAME: r.name,
        MUNICIPALITY: r.municipality,
        EMAIL: r.email,
    }
    if step in values:
        return values[step] is not None
    if step == THEMES:
        return bool(s.themes)
    if step == QUICK:
        return bool(s.answers.get(QUICK) and s.answers[QUICK].text) or bool(s.attachments)
    if is_answer_step(step):
        answer = s.answers.get(step)
        return bool(answer and answer.text)
    return False


def remaining(c: Consultation, s: Session) -> list[StepId]:
    """Steps of the sequence (before the summary) that are neither answered nor skipped."""
    return [step for step in sequence(c, s)[:-1] if not is_done(c, s, step)]


def respondent_type(c: Consultation, s: Session) -> RespondentType | None:
    """The respondent type the person chose, if any."""
    if s.respondent.type is None:
        return None
    return c.respondent_types_by_id.get(s.respondent.type)


_ALWAYS_KNOWN = frozenset(
    (
        *(START, RESUME, LANGUAGE, EDIT, PERSONAL_DATA, CANCEL, DELETE, DONE),
        MUNICIPALITY_PICK,
        *OPTIONAL_RESPONDENT_STEPS,
    )
)
"""Steps outside the sequence that every file has, so repair never moves a session off them."""


def repair(c: Consultation, s: Session) -> None:
    """Fit a stored session to the consultation file as it is now.

    A file may be corrected while drafts are open (a theme or question removed, a respondent
    type renamed). Unknown choices are dropped and a step that no longer exists is replaced by
    the first open step, so nobody is stuck and nothing still valid is lost.
    """
    theme_ids = c.themes_by_id
    if any(t not in theme_ids for t in s.themes):
        s.themes = [t for t in s.themes if t in theme_ids]
    if s.respondent.type is not None and respondent_type(c, s) is None:
        s.respondent.type = None
    # The pick list belongs to "kommune"; the quick path reaches the optional respondent
    # steps and the theme choice from the summary.
    known_anyway = s.step in _ALWAYS_KNOWN or (s.step == THEMES and bool(c.themes))
    if not known_anyway and s.step not in sequence(c, s):
        s.step = next(iter(remaining(c, s)), SUMMARY)
