"""Answers to the consultation: a chosen theme, or one of its questions.

What is asked, and how the answer is read and rendered, is the question's kind
(:mod:`bot.conversation.kinds`); themes are always free text. This module adds what every
answer shares: the heading, «Neste», «Hopp over», «Hopp over resten», «Legg til mer på forrige
svar», the ministry's wording, and the acknowledgement before the next question.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.consultation.model import Question, Theme
from bot.conversation import flow
from bot.conversation.context import Ctx
from bot.conversation.events import Choice, Reply, TextEvent
from bot.conversation.kinds import FREE_TEXT, QuestionKind
from bot.conversation.kinds.free_text import adds_to_answer
from bot.conversation.names import Pick, StepId
from bot.conversation.navigation import advance, goto, show, unskip
from bot.conversation.session import Answer
from bot.conversation.steps.base import BaseStep


class AnswerStep(BaseStep):
    """An answer typed (or picked) at its own step, kept per part so edits can find it."""

    answer = True
    kind: QuestionKind = FREE_TEXT

    @property
    def free_text(self) -> bool:
        """Typed text is the answer where the kind says so."""
        return self.kind.free_text

    def given(self, ctx: Ctx) -> Answer | None:
        """The answer so far, if any."""
        return ctx.s.answers.get(self.id)

    def is_answered(self, ctx: Ctx) -> bool:
        """The kind decides."""
        return self.kind.is_answered(self.given(ctx))

    def accepts(self, ctx: Ctx) -> set[str]:
        """The buttons shown, and «Hopp over» after an answer (pressed then, it means go on)."""
        valid = super().accepts(ctx)
        if self.is_skippable(ctx):
            valid.add(Pick.SKIP)
        return valid

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """One more part of the answer; then on to the next step at once."""
        self.add_text(ctx, event.text, event.message_ref)

    def add_text(
        self, ctx: Ctx, raw: str, message_ref: str | None, *, adding: bool = False
    ) -> None:
        """Read ``raw`` into this step's answer (the current step), acknowledge it, and go on.

        Back at an answered step, the text replaces the answer unless the person chose to add
        to it («Legg til», «Legg til mer på forrige svar»), or ``adding`` says so: people
        retype the whole corrected answer. The old answer stays until the new text is taken.
        The acknowledgement and the next question arrive as one message. More for this
        answer can still come: parts sent before the next question appeared, or through
        «Legg til mer på forrige svar» on the next question.
        """
        given = self.given(ctx)
        adding = adding or adds_to_answer(ctx)
        replacing = given is not None and bool(given.text) and not adding
        answer = Answer() if replacing or given is None else given
        said = _last_said(ctx)
        if not self.kind.take_text(ctx, answer, raw, message_ref):
            show(ctx)
            return
        ctx.s.answers[self.id] = answer
        # When the kind said what it kept (a long text cut short), that is the receipt.
        if _last_said(ctx) is said:
            ctx.say(_receipt(ctx, answer, replaced=replacing))
        self.taken(ctx, answer)

    def taken(self, ctx: Ctx, answer: Answer) -> None:
        """The answer was given: no longer skipped, and on to the next step."""
        unskip(ctx.s, self.id)
        self.after_answer(ctx)

    def after_answer(self, ctx: Ctx) -> None:
        """Where an answer leads: the next step of the path."""
        advance(ctx)

    def continue_answer(self, ctx: Ctx, raw: str, message_ref: str | None) -> None:
        """A part sent before the next question appeared joins this (earlier) answer."""
        answer = ctx.s.answers[self.id]
        if not self.kind.take_text(ctx, answer, raw, message_ref):
            show(ctx)
            return
        ctx.say(
            ctx._("Lagt til på «{where}» ✅ Svaret har nå {count} deler.").format(
                where=self.label(ctx), count=answer.kept_parts
            )
        )
        # The current question (or summary) again, in the same message: the message that
        # showed it may never have arrived (a crash), and its buttons move to the newest
        # message anyway.
        show(ctx)

    def caption_step(self, ctx: Ctx) -> StepId | None:
        """A caption joins a typed answer."""
        return self.id if self.free_text else None

    def heading(self, ctx: Ctx) -> str:
        """How the answer is headed in the summary."""
        return self.label(ctx)

    def summarise(self, ctx: Ctx) -> list[str]:
        """The answer's lines in the summary, rendered by its kind."""
        answer = self.given(ctx)
        lines = ["", f"▪️ {self.heading(ctx)}"]
        if answer and answer.text:
            lines.append(self.kind.render_answer(answer.text, ctx.s.lang))
        elif self.id in ctx.s.skipped:
            lines.append(ctx._("(hoppet over)"))
        else:
            lines.append(ctx._("(ikke besvart)"))
        return lines


class AskedAnswer(AnswerStep):
    """A theme or a question: asked with its position, and the buttons every one of them has."""

    def position(self, ctx: Ctx) -> str:
        """Where it stands, and what it asks."""
        raise NotImplementedError

    def text(self, ctx: Ctx) -> str:
        """The position and question, then what the kind says to do."""
        return f"{self.position(ctx)}\n\n{self.kind.prompt(ctx, self.given(ctx))}"

    def choices(self, ctx: Ctx) -> list[Choice]:
        """The kind's buttons with «Neste» once answered; else the ways to go on without."""
        _, s = ctx._, ctx.s
        answer = self.given(ctx)
        answered = self.is_done(ctx) and self.id not in s.skipped
        if answered:
            choices = [
                Choice(Pick.NEXT, _("Neste ➡️")),
                *self.kind.choices(ctx, answer, answered=True),
            ]
        else:
            choices = self.kind.choices(ctx, answer, answered=False)
            if self.is_skippable(ctx):
                choices.append(Choice(Pick.SKIP, _("Hopp over")))
            if self.can_skip_rest(ctx):
                choices.append(Choice(Pick.SKIP_REST, _("⏭ Hopp over resten og se oppsummeringen")))
            if previous_answer(ctx) is not None:
                choices.append(Choice(Pick.MORE, _("➕ Legg til mer på forrige svar")))
        if self.original(ctx) is not None:
            choices.append(Choice(Pick.ORIGINAL, _("Vis departementets spørsmål")))
        return choices

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """A button every answer has, or one of the kind's own."""
        button = self._buttons().get(choice)
        if button is not None:
            button(ctx)
            return
        answer = ctx.s.answers.setdefault(self.id, Answer())
        if self.kind.take_choice(ctx, answer, choice):
            ctx.say(ctx._("Lagret ✅"))
            self.taken(ctx, answer)

    def _buttons(self) -> dict[str, Callable[[Ctx], None]]:
        return {
            Pick.SKIP: self.on_skip,
            Pick.NEXT: advance,
            Pick.REPLACE: self.replace,
            Pick.ADD: self.add,
            Pick.MORE: add_more,
            Pick.SKIP_REST: skip_rest,
            Pick.ORIGINAL: self.show_original,
        }

    def replace(self, ctx: Ctx) -> None:
        """«Erstatt svaret»: the answer is removed now, and the question asked again."""
        ctx.s.answers.pop(self.id, None)
        ctx.s.adding_to = None
        ctx.s.personal_data_acknowledged = False
        ctx.say(ctx._("Svaret er fjernet. Skriv det nye svaret."))
        show(ctx)

    def add(self, ctx: Ctx) -> None:
        """«Legg til»: the next typed text joins the answer instead of replacing it."""
        ctx.s.adding_to = self.id
        show(ctx)

    def can_skip_rest(self, ctx: Ctx) -> bool:
        """Whether «Hopp over resten» is offered here (questions only)."""
        return False

    def original(self, ctx: Ctx) -> str | None:
        """The ministry's own wording, when it differs from the plain one shown."""
        return None

    def show_original(self, ctx: Ctx) -> None:
        """The ministry's own wording of the question, asked for with a button."""
        original = self.original(ctx)
        if original:
            ctx.say(original, self.choices(ctx))


class ThemeAnswer(AskedAnswer):
    """What the person says about one theme they chose (always free text)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.id = flow.theme_step(theme.id)

    def label(self, ctx: Ctx) -> str:
        """The theme's title."""
        return ctx.t(self.theme.title)

    def position(self, ctx: Ctx) -> str:
        """«Tema 1 av 2: …» and the theme's question."""
        c, s = ctx.c, ctx.s
        chosen = [t for t in c.themes if t.id in s.themes]
        position = ctx._("Tema {number} av {total}").format(
            number=chosen.index(self.theme) + 1 if self.theme in chosen else 1,
            total=len(chosen) or 1,
        )
        return f"{position}: {ctx.t(self.theme.title)}\n\n{ctx.t(self.theme.prompt)}"

    def is_skippable(self, ctx: Ctx) -> bool:
        """A chosen theme may still be left out."""
        return True

    def help(self, ctx: Ctx) -> str | None:
        """The theme's examples."""
        return ctx.t(self.theme.help)


class QuestionAnswer(AskedAnswer):
    """The answer to one of the consultation's questions, read by the question's kind."""

    def __init__(self, question: Question, number: int, kind: QuestionKind) -> None:
        self.question = question
        self.number = number
        self.kind = kind
        self.id = flow.question_step(question.id)

    def label(self, ctx: Ctx) -> str:
        """«Spørsmål 2»."""
        return ctx._("Spørsmål {number}").format(number=self.number)

    def heading(self, ctx: Ctx) -> str:
        """«Spørsmål 2: …» with the question as the person saw it."""
        return f"{self.label(ctx)}: {ctx.t(self.question.text)}"

    def position(self, ctx: Ctx) -> str:
        """«Spørsmål 2 av 6» and the question."""
        total = len(ctx.c.questions)
        position = ctx._("Spørsmål {number} av {total}").format(number=self.number, total=total)
        return f"{position}\n\n{ctx.t(self.question.text)}"

    def is_skippable(self, ctx: Ctx) -> bool:
        """As the consultation file says."""
        return self.question.optional

    def help(self, ctx: Ctx) -> str | None:
        """The question's examples."""
        return ctx.t(self.question.help)

    def original(self, ctx: Ctx) -> str | None:
        """The ministry's own wording of a question, when it differs from the plain one.

        Shown on request only (a button and /hjelp): under every question it made those
        messages the hardest to read in the conversation. In nynorsk and English it is our
        translation, and the catalogs say so.
        """
        original = self.question.original
        if original is None or ctx.t(original) == ctx.t(self.question.text):
            return None
        return ctx._("Departementets spørsmål: «{original}»").format(original=ctx.t(original))

    def can_skip_rest(self, ctx: Ctx) -> bool:
        """With more optional questions after this one: all of them may be skipped at once.

        Many people only want to say something about their themes; six taps on «Hopp over»
        would be six chances to give up.
        """
        s = ctx.s
        if s.editing_from_summary:
            return False
        steps = flow.sequence(ctx.c, s)
        rest = [st for st in steps[steps.index(self.id) : -1] if not ctx.step(st).is_done(ctx)]
        return len(rest) > 1 and all(ctx.step(st).is_skippable(ctx) for st in rest)


def previous_answer(ctx: Ctx) -> StepId | None:
    """The answer just given, when the person moved on from it to this question.

    A typed answer moves on at once; this is the way back to add more to it.
    """
    s = ctx.s
    if s.editing_from_summary:
        return None
    previous = flow.previous_step(ctx.c, s)
    if previous is None or not ctx.step(previous).answer or previous in s.skipped:
        return None
    answer = s.answers.get(previous)
    return previous if answer and answer.text else None


def add_more(ctx: Ctx) -> None:
    """Back to the answer just given, to add to it; the next typed part moves on again."""
    previous = previous_answer(ctx)
    if previous is None:
        show(ctx)
        return
    ctx.s.adding_to = previous  # asked for in so many words: typing adds, not replaces
    goto(ctx, previous)


def skip_rest(ctx: Ctx) -> None:
    """Skip this question and every open one after it, and show the summary."""
    s = ctx.s
    steps = flow.sequence(ctx.c, s)
    for step in steps[steps.index(s.step) : -1]:
        target = ctx.step(step)
        if not target.is_done(ctx) and target.is_skippable(ctx):
            s.skipped.append(step)
    goto(ctx, flow.SUMMARY)


def _receipt(ctx: Ctx, answer: Answer, *, replaced: bool) -> str:
    """What a typed answer's receipt says: a new answer, the first part, or one more part."""
    if replaced:
        return ctx._("Nytt svar lagret ✅")
    if answer.kept_parts <= 1:
        return ctx._("Lagret ✅")
    return ctx._("Lagt til ✅ Svaret har nå {count} deler.").format(count=answer.kept_parts)


def _last_said(ctx: Ctx) -> Reply | None:
    """The last message queued so far (a new one, or a longer one, means something was said)."""
    return ctx.replies[-1] if ctx.replies else None
