"""The ways in: the welcome, the question whether to continue a draft, and the language."""

from __future__ import annotations

from bot.conversation import deadline_notice, flow
from bot.conversation.context import Ctx
from bot.conversation.events import Choice, TextEvent
from bot.conversation.names import Pick, Step, step_id
from bot.conversation.navigation import (
    enter_flow,
    goto,
    return_from_confirmation,
    show,
    start_over,
)
from bot.conversation.steps.base import BaseStep, Confirmation, not_here
from bot.conversation.typed_text import on_text
from bot.i18n.languages import (
    SOURCE,
    choose_language_prompt,
    language,
    language_button,
    other_languages_hint,
)


class Start(BaseStep):
    """The welcome: what this is, that input is public, and the guided or the quick path."""

    id = Step.START
    in_draft = False

    def label(self, ctx: Ctx) -> str:
        """Before anything was given."""
        return ctx._("Begynnelsen")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """The two paths and the language; after a closing deadline, only the language."""
        _ = ctx._
        # The language button reads the same in every language: nobody must understand it first.
        languages = Choice(Pick.LANGUAGE, language_button(ctx.c.languages))
        if ctx.closed:
            return [languages]
        minutes = ctx.c.estimated_minutes
        guided = (
            _("Svar på spørsmålene (ca. {minutes} min)").format(minutes=minutes)
            if minutes
            else _("Svar på spørsmålene")
        )
        choices = [Choice(Pick.GUIDED, guided)]
        if ctx.c.quick_path:
            choices.append(Choice(Pick.QUICK, _("Send en ferdig tekst eller et dokument")))
        choices.append(languages)
        return choices

    def show(self, ctx: Ctx, *, replace_previous: bool = False) -> None:
        """The title, the intro and the deadline; the publication notice the first time."""
        _, c = ctx._, ctx.c
        intro = deadline_notice.intro(c, ctx.event.at)
        text = f"{ctx.t(c.title)}\n\n{ctx.t(intro)}\n\n{deadline_notice.notice(ctx)}"
        if ctx.closed:
            # Nothing new can be sent: one message, no publication notice, no way to begin.
            ctx.say(text, self.choices(ctx))
            return
        ctx.say(text)
        if not ctx.notice_seen:
            ctx.say("ℹ️ " + ctx.t(c.publication_notice))
            ctx.notice_told = True
        question = _("Hvordan vil du svare?")
        if not ctx.s.lang_confirmed:
            # Telegram gave no language we know: make the switch impossible to miss.
            question += "\n\n" + other_languages_hint(ctx.c.languages)
        ctx.say(question, self.choices(ctx))

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """Everyone begins here."""
        return True

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Begin a path, or choose the language first."""
        if choice == Pick.LANGUAGE:
            ctx.s.return_step = Step.START
            goto(ctx, Step.LANGUAGE)
        else:
            enter_flow(ctx, choice)

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """A "hei": the question again, without the whole intro once it was read."""
        if ctx.notice_seen:
            ctx.say(ctx._("Hvordan vil du svare?"), self.choices(ctx))
        else:
            self.show(ctx)


class Resume(Confirmation):
    """Someone with a draft came back with /start: continue, or start over."""

    id = Step.RESUME
    in_draft = False

    def text(self, ctx: Ctx) -> str:
        """Where the person was, and the deadline."""
        _ = ctx._
        where = ctx.step(ctx.s.return_step or flow.TYPE).label(ctx)
        return (
            _("Velkommen tilbake! Du har et utkast som ikke er sendt ennå.")
            + "\n"
            + _("Du var her: {where}.").format(where=where)
            + "\n\n"
            + deadline_notice.notice(ctx)
        )

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Continue, start over, and a deadline reminder while one can still help."""
        _ = ctx._
        choices = [
            Choice(Pick.CONTINUE, _("Fortsett der jeg var")),
            Choice(Pick.RESTART, _("Start på nytt")),
        ]
        if deadline_notice.can_remind(ctx):
            choices.append(Choice(Pick.REMIND, _("🔔 Minn meg på fristen")))
        return choices

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Remind, start over, or continue where the person was."""
        if choice == Pick.REMIND:
            ctx.s.remind_deadline = True
            ctx.say(ctx._("Greit! Jeg minner deg på fristen 7 dager og 1 dag før den går ut."))
            show(ctx)
        elif choice == Pick.RESTART:
            start_over(ctx)  # a new draft begins at the welcome
            show(ctx)
        else:
            return_from_confirmation(ctx, flow.TYPE)

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """Text typed here: continue, and take it where the person was.

        The resume screen mostly comes from a second /start sent when a reply seemed slow, so
        it can arrive after the question the person is answering; their answer is meant for
        that question and must not be turned away (and lost) because of the screen in between.
        """
        s = ctx.s
        if s.return_step is None or ctx.step(s.return_step).confirms:
            not_here(ctx)
            return
        s.step, s.return_step = step_id(s.return_step), None
        on_text(ctx, event)


class Language(Confirmation):
    """The languages the consultation file has (from the language registry)."""

    id = Step.LANGUAGE

    def text(self, ctx: Ctx) -> str:
        """The question in every offered language at once."""
        return choose_language_prompt(ctx.c.languages)

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Each language by its own name."""
        return [Choice(code, language(code).native_name) for code in ctx.c.languages]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Speak ``choice`` from now on."""
        switch_language(ctx, choice)


def switch_language(ctx: Ctx, lang: str) -> None:
    """Speak ``lang`` from now on, and go back to where the person was."""
    s = ctx.s
    s.lang = lang
    s.lang_confirmed = True
    ctx.say(ctx._("Nå snakker vi bokmål.") if s.lang == SOURCE else ctx._("Språket er endret."))
    return_from_confirmation(ctx, Step.START)
