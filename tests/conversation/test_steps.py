"""One step, one object: the registry runs every step, and showing a step changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.consultation.model import Consultation
from bot.conversation import flow
from bot.conversation.context import Ctx, Limits
from bot.conversation.events import TextEvent
from bot.conversation.names import Step
from bot.conversation.navigation import show
from bot.conversation.session import Session
from bot.conversation.steps.answers import AnswerStep, QuestionAnswer, ThemeAnswer
from bot.conversation.steps.registry import ELSEWHERE, FIXED_STEPS, steps_of
from tests.conversation.talk import Talk

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_every_fixed_step_has_its_object_under_its_own_id() -> None:
    assert set(FIXED_STEPS) == set(Step)
    assert all(obj.id == step for step, obj in FIXED_STEPS.items())


def test_answers_are_known_by_their_object_not_by_how_their_id_looks(
    consultation: Consultation,
) -> None:
    table = steps_of(consultation)
    theme, question = consultation.themes[0], consultation.questions[0]
    assert isinstance(table.of(flow.theme_step(theme.id)), ThemeAnswer)
    assert isinstance(table.of(flow.question_step(question.id)), QuestionAnswer)
    assert isinstance(table.of(Step.QUICK), AnswerStep)
    # An id shaped like an answer, for a question this file does not have, is none.
    assert table.of(flow.question_step("removed")) is ELSEWHERE
    assert not table.of(flow.question_step("removed")).answer


def _sessions_along_the_way(c: Consultation) -> list[Session]:
    """A session at each kind of step a person meets, guided and quick."""
    seen: list[Session] = []
    t = Talk(c, lang="nn")
    t.session = t.session.model_copy(update={"lang_confirmed": False})
    seen.append(t.session)
    t.command("start")
    seen.append(t.session)

    def keep(_replies: object) -> None:
        seen.append(t.session)

    keep(t.click("Svar på"))
    keep(t.click("Organisasjon"))
    keep(t.send("Harstad Idrettslag"))
    keep(t.send("974760673"))
    keep(t.send("12.2.2021"))
    keep(t.send("Kari Nordmann"))
    keep(t.send("Herøy"))
    keep(t.send("Harstad"))
    keep(t.send("kari@example.no"))
    keep(t.press(Step.THEMES, c.themes[0].id))
    keep(t.press(Step.THEMES, "done"))
    keep(t.send("Flere boliger."))
    keep(t.command("summary"))
    keep(t.press(Step.SUMMARY, "edit"))
    keep(t.command("cancel"))
    keep(t.command("delete"))
    keep(t.command("language"))
    keep(t.command("start"))
    quick = Talk(c)
    quick.command("start", "rask")
    quick.click("Privatperson")
    quick.send("Kari")
    seen.append(quick.session)
    quick.send("Bodø")
    seen.append(quick.session)
    quick.send("Ring meg på 912 34 567, så forteller jeg mer om det vi mener om byen.")
    quick.press(Step.SUMMARY, "send")
    seen.append(quick.session)
    quick.press(Step.PERSONAL_DATA, "send")
    seen.append(quick.session)
    return seen


def test_showing_any_step_leaves_the_session_as_it_was(consultation: Consultation) -> None:
    sessions = _sessions_along_the_way(consultation)
    steps = {s.step for s in sessions}
    assert {Step.START, Step.RESUME, Step.SUMMARY, Step.EDIT, Step.DONE} <= steps
    assert {Step.MUNICIPALITY_PICK, Step.PERSONAL_DATA, Step.CANCEL} <= steps
    for session in sessions:
        before = session.model_dump()
        ctx = Ctx(
            c=consultation,
            s=session,
            event=TextEvent(at=AT, text=""),
            limits=Limits(),
            steps=steps_of(consultation),
        )
        show(ctx)
        assert ctx.replies, f"{session.step} showed nothing"
        assert session.model_dump() == before, f"showing {session.step} changed the session"


def test_the_publication_notice_is_noted_once_it_was_said(consultation: Consultation) -> None:
    t = Talk(consultation)
    assert not t.session.notice_shown
    t.command("start")
    assert t.session.notice_shown
    assert "offentlig" in t.text.lower()
    t.send("hei")
    assert "offentlig" not in t.text.lower(), "the notice is not said twice"
