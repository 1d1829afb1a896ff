"""The order of steps, derived from the consultation and what the person has chosen so far.

Nothing about the order is stored: "next", "back" and "status" are all computed from the same
sequence, so they can never disagree. Whether a step is done is the step's own business
(:mod:`bot.conversation.steps`); the functions here that need it take the step's context.
"""

from __future__ import annotations

from bot.consultation.model import Consultation, Question, RespondentType, Theme
from bot.conversation.context import Ctx
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
"""How a theme's and a question's step ids are written (stored in sessions, so kept as they
are). Only :func:`theme_step` and :func:`question_step` use them: a step is recognised by the
table of :func:`answer_items`, never by its prefix."""


def theme_step(theme_id: str) -> AnswerStep:
    """The step id for a theme's answer."""
    return AnswerStep(THEME_PREFIX + theme_id)


def question_step(question_id: str) -> AnswerStep:
    """The step id for a question's answer."""
    return AnswerStep(QUESTION_PREFIX + question_id)


def answer_items(c: Consultation) -> dict[StepId, Theme | Question]:
    """Each theme's and question's step id, and the theme or question it asks about.

    Built once per file; the engine's step table and the submission both read it.
    """
    known = c.derived.get("answer_items")
    if known is None:
        known = c.derived["answer_items"] = {
            **{theme_step(t.id): t for t in c.themes},
            **{question_step(q.id): q for q in c.questions},
        }
    return known


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


_STANDS_FOR: dict[StepId, StepId] = {MUNICIPALITY_PICK: MUNICIPALITY}
"""Steps that stand in for a step of the sequence (the pick list is part of "kommune")."""


def next_step(ctx: Ctx) -> StepId:
    """The step after the current one (the summary when the person came from there)."""
    c, s = ctx.c, ctx.s
    if s.editing_from_summary:
        # Back to the summary, but first through any newly chosen theme still unanswered.
        items = answer_items(c)
        pending = [
            step
            for step in sequence(c, s)
            if isinstance(items.get(step), Theme)
            and step != s.step
            and not ctx.step(step).is_done(ctx)
        ]
        return pending[0] if pending else SUMMARY
    steps = sequence(c, s)
    current = _STANDS_FOR.get(s.step, s.step)
    if current not in steps:
        # A step this path leaves out (an extra detail added from the summary, or a draft
        # saved before the path changed): on to the first step still open.
        return next(iter(remaining(ctx)), SUMMARY)
    index = steps.index(current)
    return steps[min(index + 1, len(steps) - 1)]


def previous_step(c: Consultation, s: Session) -> StepId | None:
    """The step before the current one, or ``None`` at the very first step."""
    steps = sequence(c, s)
    current = _STANDS_FOR.get(s.step, s.step)
    if current not in steps:
        return None
    index = steps.index(current)
    return steps[index - 1] if index > 0 else None


def remaining(ctx: Ctx) -> list[StepId]:
    """Steps of the sequence (before the summary) that are neither answered nor skipped."""
    return [step for step in sequence(ctx.c, ctx.s)[:-1] if not ctx.step(step).is_done(ctx)]


def respondent_type(c: Consultation, s: Session) -> RespondentType | None:
    """The respondent type the person chose, if any."""
    if s.respondent.type is None:
        return None
    return c.respondent_types_by_id.get(s.respondent.type)


def repair(ctx: Ctx) -> None:
    """Fit a stored session to the consultation file as it is now.

    A file may be corrected while drafts are open (a theme or question removed, a respondent
    type renamed). Unknown choices are dropped and a step that no longer exists is replaced by
    the first open step, so nobody is stuck and nothing still valid is lost.
    """
    c, s = ctx.c, ctx.s
    theme_ids = c.themes_by_id
    if any(t not in theme_ids for t in s.themes):
        s.themes = [t for t in s.themes if t in theme_ids]
    if s.respondent.type is not None and respondent_type(c, s) is None:
        s.respondent.type = None
    # Confirmations, the pick list and the details the quick path adds from the summary may
    # be where a person is, though their path does not list them.
    if not ctx.here.may_rest_off_path(ctx) and s.step not in sequence(c, s):
        s.step = next(iter(remaining(ctx)), SUMMARY)
