"""The one table from a step id to the object that runs it.

The fixed steps every consultation has are listed here; the answers to a file's themes and
questions are made from the file (:func:`bot.conversation.flow.answer_items`), each with its
question's kind. ``machine.step()`` hands the table to the step's context, and everything
that asks about a step (show it, read input there, is it done, may it be skipped) asks the
object from here.
"""

from __future__ import annotations

from bot.consultation.model import Consultation, Theme
from bot.conversation import flow
from bot.conversation.kinds import KINDS
from bot.conversation.names import AnswerStep, Step
from bot.conversation.steps.answers import QuestionAnswer, ThemeAnswer
from bot.conversation.steps.base import BaseStep
from bot.conversation.steps.confirmations import Cancel, Delete
from bot.conversation.steps.done import Done
from bot.conversation.steps.quick import QUICK
from bot.conversation.steps.respondent import (
    Board,
    Email,
    Municipality,
    MunicipalityPick,
    Name,
    Organisation,
    OrgNumber,
    RespondentType,
)
from bot.conversation.steps.sending import PersonalData
from bot.conversation.steps.summary import Edit, Summary
from bot.conversation.steps.themes import Themes
from bot.conversation.steps.welcome import Language, Resume, Start

FIXED_STEPS: dict[Step, BaseStep] = {
    # The ways in (steps/welcome.py)
    Step.START: Start(),
    Step.RESUME: Resume(),
    Step.LANGUAGE: Language(),
    # Who is answering (steps/respondent.py)
    Step.TYPE: RespondentType(),
    Step.ORGANISATION: Organisation(),
    Step.ORG_NUMBER: OrgNumber(),
    Step.BOARD: Board(),
    Step.NAME: Name(),
    Step.MUNICIPALITY: Municipality(),
    Step.MUNICIPALITY_PICK: MunicipalityPick(),
    Step.EMAIL: Email(),
    # What they say (steps/themes.py, steps/quick.py; the answers are made per file)
    Step.THEMES: Themes(),
    Step.QUICK: QUICK,
    # The summary and sending (steps/summary.py, steps/sending.py)
    Step.SUMMARY: Summary(),
    Step.EDIT: Edit(),
    Step.PERSONAL_DATA: PersonalData(),
    # Deleting, each asked first (steps/confirmations.py), and after sending (steps/done.py)
    Step.CANCEL: Cancel(),
    Step.DELETE: Delete(),
    Step.DONE: Done(),
}
"""The steps every consultation has."""


class Elsewhere(BaseStep):
    """A step id this file does not have, such as a question removed while a draft was open.

    It asks where to go on and is never done; ``flow.repair`` moves a session off it.
    """

    id = AnswerStep("")


ELSEWHERE = Elsewhere()


class StepTable:
    """Every step of one consultation, by id."""

    def __init__(self, c: Consultation) -> None:
        self._steps: dict[str, BaseStep] = {step: obj for step, obj in FIXED_STEPS.items()}
        for step, item in flow.answer_items(c).items():
            if isinstance(item, Theme):
                self._steps[step] = ThemeAnswer(item)
            else:
                number = c.question_numbers[item.id]
                self._steps[step] = QuestionAnswer(item, number, KINDS[item.kind])

    def of(self, step: str) -> BaseStep:
        """The object that runs ``step``."""
        return self._steps.get(step, ELSEWHERE)


def steps_of(c: Consultation) -> StepTable:
    """The step table of ``c``, made once per file."""
    table = c.derived.get("step_table")
    if table is None:
        table = c.derived["step_table"] = StepTable(c)
    return table
