"""A new question kind is one class and one registry row: nothing in the engine changes.

This test adds a yes/no kind from here alone, asks it in a consultation file, answers it with
its buttons through ``step()``, and reads the answer in the summary, the ministry's e-mail and
the staff export.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.consultation.loader import check_consultation, load_consultation
from bot.consultation.model import Consultation
from bot.conversation.context import Ctx
from bot.conversation.events import Choice
from bot.conversation.kinds import KINDS, QuestionKind, rendered
from bot.conversation.session import Answer, AnswerPart
from bot.conversation.submission import SubmissionAnswer
from bot.mail.compose import compose_ministry_message
from bot.staff.table import submissions_table
from tests.conftest import SEED
from tests.conversation.talk import Talk


class YesNo(QuestionKind):
    """Two buttons; typed text counts only as «ja» or «nei» (matched to the buttons)."""

    name = "yesno"

    def prompt(self, ctx: Ctx, answer: Answer | None) -> str:
        if answer and answer.text:
            return "Du har svart: " + self.render_answer(answer.text, ctx.s.lang)
        return "Trykk «Ja» eller «Nei»."

    def choices(self, ctx: Ctx, answer: Answer | None, *, answered: bool) -> list[Choice]:
        value = answer.text if answer else ""
        return [
            Choice("ja", "Ja", selected=value == "ja"),
            Choice("nei", "Nei", selected=value == "nei"),
        ]

    def take_text(self, ctx: Ctx, answer: Answer, raw: str, message_ref: str | None) -> bool:
        ctx.say("Svar med «Ja» eller «Nei».")
        return False

    def take_choice(self, ctx: Ctx, answer: Answer, choice: str) -> bool:
        answer.parts[:] = [AnswerPart(text=choice)]
        return True

    def render_answer(self, value: str, lang: str) -> str:
        return {"ja": "Ja, absolutt", "nei": "Nei, ikke i det hele tatt"}.get(value, value)


def with_kind(tmp_path: Path, kind: str) -> Path:
    """The seed consultation with its first question of ``kind``."""
    text = SEED.read_text(encoding="utf-8").replace('id = "q1"\n', f'id = "q1"\nkind = "{kind}"\n')
    path = tmp_path / "ja-nei.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def yes_no(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Consultation:
    monkeypatch.setitem(KINDS, YesNo.name, YesNo())  # the registry row
    return load_consultation(with_kind(tmp_path, YesNo.name))


def to_the_first_question(c: Consultation) -> Talk:
    t = Talk(c)
    t.command("start")
    t.click("Svar på spørsmålene")
    t.click("Privatperson")
    t.send("Kari Nordmann")
    t.send("Harstad")
    t.click("Nei takk")
    t.command("skip")  # no themes
    return t


def test_a_yes_no_question_is_answered_with_its_buttons_and_rendered_everywhere(
    yes_no: Consultation,
) -> None:
    t = to_the_first_question(yes_no)
    assert "Spørsmål 1 av" in t.text
    assert "Trykk «Ja» eller «Nei»." in t.text
    assert [c.label for c in t.buttons().choices][:2] == ["Ja", "Nei"]

    t.send("kanskje")
    assert "Svar med «Ja» eller «Nei»." in t.text
    assert "q.q1" not in {k for k, a in t.session.answers.items() if a.text}

    t.send("ja")  # typed, it is matched to the button
    assert "Lagret ✅" in t.text
    assert "Spørsmål 2 av" in t.text
    t.command("back")
    assert "Du har svart: Ja, absolutt" in t.text
    t.click("Nei")  # pressed, the other answer replaces it
    t.click("Hopp over resten")
    assert "Spørsmål 1: " in t.text
    assert "Nei, ikke i det hele tatt" in t.text

    t.click("Send inn")
    [submitted] = t.submissions
    mail = compose_ministry_message(
        submitted.submission,
        [],
        mail_from="innspill@example.no",
        to="post@example.no",
        message_id="<1@example.no>",
    )
    assert isinstance(mail, EmailMessage)
    plain = mail.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    question = text.index("Spørsmål 1:")
    assert text.index("Nei, ikke i det hele tatt", question) > question

    table = submissions_table(yes_no, [submitted.submission])
    column = next(i for i, title in enumerate(table.header) if title.startswith("Spørsmål 1:"))
    assert table.rows[0][column] == "Nei, ikke i det hele tatt"


def test_innspill_check_names_a_kind_the_registry_does_not_have(tmp_path: Path) -> None:
    problems = check_consultation(with_kind(tmp_path, "skala"))
    assert len(problems) == 1
    assert re.match(r".*ja-nei\.toml:\d+: questions\[0\]\.kind: unknown question kind", problems[0])
    assert "'skala'" in problems[0]
    assert "known kinds: 'text'" in problems[0]


def test_answers_stored_before_kinds_or_of_a_kind_since_removed_read_as_their_text() -> None:
    stored = {"key": "q.q1", "kind": "question", "heading": "Hva trengs?", "answer": "Buss."}
    before_kinds = SubmissionAnswer.model_validate(stored)
    assert before_kinds.answer_kind == "text"
    assert rendered(before_kinds) == "Buss."
    removed = SubmissionAnswer.model_validate({**stored, "answer_kind": "skala"})
    assert rendered(removed) == "Buss."
    assert rendered(SubmissionAnswer.model_validate({**stored, "answer": None})) is None
