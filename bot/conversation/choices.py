"""A choice the person picked (a button, or a typed number or label): one handler per step.

A choice is only taken at the step it was offered at; a button from an older message is
answered politely and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.consultation.municipalities import by_number
from bot.conversation import flow, prompts, screens
from bot.conversation.context import Ctx
from bot.conversation.navigation import (
    add_more,
    advance,
    enter_flow,
    goto,
    return_from_confirmation,
    skip,
    skip_rest,
    start_over,
    unskip,
)
from bot.conversation.sending import (
    on_cancel_choice,
    on_delete_choice,
    on_edit_choice,
    on_personal_data_choice,
    on_summary_choice,
)
from bot.i18n.languages import SOURCE

ChoiceHandler = Callable[[Ctx, str], None]


def on_choice(ctx: Ctx, step: str, choice: str) -> None:
    """Apply ``choice``, offered at ``step``, if that is still the question on screen."""
    if step != ctx.s.step or choice not in _valid_choices(ctx):
        _stale(ctx, step)
        return
    handler = _BY_STEP.get(step)
    if handler is not None:
        handler(ctx, choice)
        return
    # Answer steps and optional respondent steps: the same few buttons everywhere.
    action = _ANSWER_BUTTONS.get(choice)
    if action is not None:
        action(ctx)


def _valid_choices(ctx: Ctx) -> set[str]:
    valid = {c.id for c in prompts.choices_for(ctx)}
    if flow.is_answer_step(ctx.s.step) and prompts.is_skippable(ctx):
        # The question's own "Hopp over" button stays on screen after an answer: pressing it
        # then means "go on", keeping the answer.
        valid.add(prompts.SKIP)
    return valid


def _stale(ctx: Ctx, step: str) -> None:
    s, _ = ctx.s, ctx._
    if s.step == flow.DONE and step in (flow.SUMMARY, flow.PERSONAL_DATA):
        ctx.say(
            _("Innspillet ditt er allerede sendt (referanse {reference}).").format(
                reference=s.reference
            )
        )
        return
    ctx.say(_("Den knappen gjelder et tidligere spørsmål. Her er du nå:"))
    screens.show(ctx)


def _on_start(ctx: Ctx, choice: str) -> None:
    if choice == prompts.LANGUAGE:
        ctx.s.return_step = flow.START
        goto(ctx, flow.LANGUAGE)
    else:
        enter_flow(ctx, choice)


def _on_resume(ctx: Ctx, choice: str) -> None:
    if choice == prompts.REMIND:
        ctx.s.remind_deadline = True
        ctx.say(ctx._("Greit! Jeg minner deg på fristen 7 dager og 1 dag før den går ut."))
        screens.show(ctx)
    elif choice == prompts.RESTART:
        start_over(ctx)
        screens.show_welcome(ctx)
    else:
        return_from_confirmation(ctx, flow.TYPE)


def on_language(ctx: Ctx, choice: str) -> None:
    """Speak ``choice`` from now on, and go back to where the person was."""
    s = ctx.s
    s.lang = choice
    s.lang_confirmed = True
    ctx.say(ctx._("Nå snakker vi bokmål.") if s.lang == SOURCE else ctx._("Språket er endret."))
    return_from_confirmation(ctx, flow.START)


def _on_type(ctx: Ctx, choice: str) -> None:
    r = ctx.s.respondent
    r.type = choice
    if not ctx.c.respondent_type(choice).organisation:
        r.organisation = None
        r.org_number = None
        r.board_approved = None
    advance(ctx)


def _on_municipality_pick(ctx: Ctx, choice: str) -> None:
    s = ctx.s
    s.municipality_candidates = []
    if choice == prompts.NONE:
        goto(ctx, flow.MUNICIPALITY)
        return
    s.respondent.municipality = choice
    chosen = by_number(choice)
    name = chosen.display_name if chosen else choice
    ctx.say(ctx._("Kommune: {name} ✅").format(name=name))
    s.step = flow.MUNICIPALITY
    unskip(s, flow.MUNICIPALITY)
    advance(ctx)


def _on_theme_toggle(ctx: Ctx, choice: str) -> None:
    s = ctx.s
    if choice == prompts.DONE:
        if not s.themes:
            ctx.say(ctx._("Velg minst ett tema, eller skriv /hopp for å gå rett til spørsmålene."))
            return
        unskip(s, flow.THEMES)
        s.themes = [t.id for t in ctx.c.themes if t.id in s.themes]
        advance(ctx)
        return
    if choice in s.themes:
        # The theme's answer is kept (a slip of the finger must not lose it); only chosen
        # themes are asked, summarised and sent.
        s.themes.remove(choice)
    else:
        s.themes.append(choice)
    screens.show(ctx, replace_previous=True)


def _on_done(ctx: Ctx, _choice: str) -> None:
    start_over(ctx)
    ctx.s.step = flow.START
    screens.show_welcome(ctx)


def _replace_answer(ctx: Ctx) -> None:
    ctx.s.answers.pop(ctx.s.step, None)
    ctx.s.personal_data_acknowledged = False
    if ctx.s.step == flow.QUICK:
        ctx.say(ctx._("Teksten er fjernet. Lim inn den nye teksten, eller send et dokument."))
        return
    ctx.say(ctx._("Svaret er fjernet. Skriv det nye svaret."))


def add_text(ctx: Ctx) -> None:
    """The quick path's text is added to on purpose: the next text joins it."""
    ctx.s.step = flow.QUICK
    ctx.say(ctx._("Skriv eller lim inn det du vil legge til. Det kommer etter teksten du har."))


def _show_original(ctx: Ctx) -> None:
    """The ministry's own wording of the question, asked for with a button."""
    original = screens.original_question(ctx, ctx.s.step)
    if original:
        ctx.say(original, prompts.choices_for(ctx))


_BY_STEP: dict[str, ChoiceHandler] = {
    flow.START: _on_start,
    flow.RESUME: _on_resume,
    flow.LANGUAGE: on_language,
    flow.TYPE: _on_type,
    flow.MUNICIPALITY_PICK: _on_municipality_pick,
    flow.THEMES: _on_theme_toggle,
    flow.SUMMARY: on_summary_choice,
    flow.EDIT: on_edit_choice,
    flow.PERSONAL_DATA: on_personal_data_choice,
    flow.CANCEL: on_cancel_choice,
    flow.DELETE: on_delete_choice,
    flow.DONE: _on_done,
}
"""Steps with their own choices, and what a choice there does."""

_ANSWER_BUTTONS: dict[str, Callable[[Ctx], None]] = {
    prompts.SKIP: skip,
    prompts.NEXT: advance,
    prompts.REPLACE: _replace_answer,
    prompts.MORE: add_more,
    prompts.SKIP_REST: skip_rest,
    prompts.ADD: add_text,
    prompts.ORIGINAL: _show_original,
}
"""The buttons under a question (and under an optional respondent detail)."""
