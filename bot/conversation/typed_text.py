"""Text the person writes: an answer, a respondent detail, a typed choice, or an edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.consultation.municipalities import lookup
from bot.conversation import flow, prompts, screens
from bot.conversation.choices import on_choice
from bot.conversation.context import Ctx
from bot.conversation.events import EditEvent, TextEvent
from bot.conversation.matching import match_choice
from bot.conversation.names import StepId, step_id
from bot.conversation.navigation import CONFIRM_STEPS, advance, goto, unskip
from bot.conversation.session import Answer, AnswerPart
from bot.conversation.values import (
    board_date,
    clean_answer,
    email_address,
    organisation_number,
    person_or_org_name,
)
from bot.i18n.catalogs import N_


def on_text(ctx: Ctx, event: TextEvent) -> None:
    """Text that is not a command."""
    s, step, raw = ctx.s, ctx.s.step, event.text
    if not raw.strip():
        ctx.say(ctx._("Jeg fikk ingen tekst. Skriv svaret ditt, eller velg under."))
        screens.show(ctx)
        return
    earlier = _continued(ctx, event)
    if earlier is not None:
        _continue_answer(ctx, earlier, raw, event.message_ref)
        return
    answer_step = flow.is_answer_step(step)
    if not answer_step or event.numbered_choices:
        # A typed number or label ("2", "privatperson") picks that choice; where an answer is
        # expected only a front end that shows numbered choices (the terminal) means it so.
        choice = match_choice(raw, prompts.choices_for(ctx))
        if choice is not None:
            on_choice(ctx, step, choice.id)
            return
    if answer_step:
        add_answer_text(ctx, raw, event.message_ref)
    elif step in _RESPONDENT_FIELDS:
        _set_respondent_value(ctx, raw)
    elif step in (flow.MUNICIPALITY, flow.MUNICIPALITY_PICK):
        _set_municipality(ctx, raw)
    elif step == flow.SUMMARY and s.flow == "quick":
        _more_on_summary(ctx, raw, event.message_ref)
    elif step == flow.RESUME and s.return_step not in (None, *CONFIRM_STEPS):
        _resume_with(ctx, event)
    else:
        _OTHER_STEPS.get(step, _not_here)(ctx)


def _resume_with(ctx: Ctx, event: TextEvent) -> None:
    """Text typed at «Velkommen tilbake»: continue, and take it where the person was.

    The resume screen mostly comes from a second /start sent when a reply seemed slow, so it
    can arrive after the question the person is answering; their answer is meant for that
    question and must not be turned away (and lost) because of the screen in between.
    """
    s = ctx.s
    s.step, s.return_step = step_id(s.return_step or flow.TYPE), None
    on_text(ctx, event)


MORE_TEXT_MIN_WORDS = 5
"""Text on the quick path's summary with at least this many words is taken as more input;
anything shorter ("ok", "ferdig", "7") is more likely meant for the menu, so we ask."""


def _more_on_summary(ctx: Ctx, raw: str, message_ref: str | None) -> None:
    """More text on the quick path's summary: added when it is clearly more of the input."""
    if len(raw.split()) >= MORE_TEXT_MIN_WORDS:
        ctx.s.step = flow.QUICK
        add_answer_text(ctx, raw, message_ref)
        return
    shown = raw.strip() if len(raw.strip()) <= 40 else raw.strip()[:39] + "…"
    ctx.say(
        ctx._(
            "Skal «{text}» med i innspillet? Trykk «Legg til mer tekst», og skriv det igjen. "
            "Er du ferdig? Trykk «Send inn»."
        ).format(text=shown),
        prompts.choices_for(ctx),
    )


def _at_start(ctx: Ctx) -> None:
    if ctx.s.notice_shown:
        # The intro was read already; a "hei" should not bring the whole of it back.
        ctx.say(ctx._("Hvordan vil du svare?"), prompts.choices_for(ctx))
    else:
        screens.show(ctx)


def _after_sending(ctx: Ctx) -> None:
    ctx.say(
        ctx._("Innspillet ditt er allerede sendt (referanse {reference}).").format(
            reference=ctx.s.reference
        )
    )
    screens.show(ctx)


def _not_here(ctx: Ctx) -> None:
    ctx.say(ctx._("Velg et av alternativene under, eller skriv /hjelp."))
    screens.show(ctx)


_OTHER_STEPS: dict[str, Callable[[Ctx], None]] = {
    flow.START: _at_start,
    flow.DONE: _after_sending,
}
"""Steps that take no text, with what to say instead (by default: pick a choice)."""


def add_answer_text(ctx: Ctx, raw: str, message_ref: str | None) -> None:
    """One more part of the current step's answer; then on to the next step at once.

    The acknowledgement and the next question arrive as one message. More for this answer
    can still come: parts sent before the next question appeared (see :func:`_continued`),
    or through «Legg til mer på forrige svar» on the next question.
    """
    s, _ = ctx.s, ctx._
    answer = s.answers.setdefault(s.step, Answer())
    if not _append(ctx, answer, raw, message_ref):
        screens.show(ctx)
        return
    unskip(s, s.step)
    ctx.say(_saved(ctx, len(answer.parts)))
    if s.step == flow.QUICK:
        goto(ctx, flow.SUMMARY)
        return
    advance(ctx)


def _append(ctx: Ctx, answer: Answer, raw: str, message_ref: str | None) -> bool:
    """Add a part to ``answer``; ``False`` (and said why) when the answer would be too long."""
    text = clean_answer(raw)
    if len(answer.text) + len(text) > ctx.limits.max_answer_chars:
        ctx.say(ctx._("Svaret er blitt veldig langt. Send resten som dokument, eller gå videre."))
        return False
    answer.parts.append(AnswerPart(text=text, message_ref=message_ref))
    ctx.s.personal_data_acknowledged = False
    return True


def _saved(ctx: Ctx, count: int) -> str:
    if count == 1:
        return ctx._("Lagret ✅")
    return ctx._("Lagt til ✅ Svaret har nå {count} deler.").format(count=count)


def _continued(ctx: Ctx, event: TextEvent) -> StepId | None:
    """The earlier answer this text continues, if it came right after that answer's last part.

    Only a draft's answers other than the current step's count: at the current step, text
    joins the answer anyway.
    """
    s = ctx.s
    if not event.follows_ref or s.status != "draft":
        return None
    for step, answer in s.answers.items():
        if step != s.step and answer.parts and answer.parts[-1].message_ref == event.follows_ref:
            return step_id(step)
    return None


def _continue_answer(ctx: Ctx, step: StepId, raw: str, message_ref: str | None) -> None:
    """A part sent before the next question appeared joins the answer it continues."""
    s, _ = ctx.s, ctx._
    answer = s.answers[step]
    if not _append(ctx, answer, raw, message_ref):
        screens.show(ctx)
        return
    ack = _("Lagt til på «{where}» ✅ Svaret har nå {count} deler.").format(
        where=prompts.step_label(ctx, step), count=len(answer.parts)
    )
    # The current question (or summary) again, in the same message: the message that showed
    # it may never have arrived (a crash), and its buttons move to the newest message anyway.
    ctx.say(ack)
    screens.show(ctx)


_Parser = Callable[[str, date], object]

_RESPONDENT_FIELDS: dict[str, tuple[str, _Parser, str]] = {
    flow.NAME: (
        "name",
        lambda raw, _today: person_or_org_name(raw),
        N_("Det ser ikke ut som et navn. Skriv bare navnet, med bokstaver."),
    ),
    flow.ORGANISATION: (
        "organisation",
        lambda raw, _today: person_or_org_name(raw),
        N_("Det ser ikke ut som et navn. Skriv bare navnet, med bokstaver."),
    ),
    flow.ORG_NUMBER: (
        "org_number",
        lambda raw, _today: organisation_number(raw),
        N_("Det er ikke et gyldig organisasjonsnummer. Sjekk de ni sifrene."),
    ),
    flow.BOARD: (
        "board_approved",
        lambda raw, today: board_date(raw, today=today),
        N_("Jeg forstod ikke datoen. Skriv den slik: 12.2.2021."),
    ),
    flow.EMAIL: (
        "email",
        lambda raw, _today: email_address(raw),
        N_("Den e-postadressen ser ikke riktig ut. Prøv igjen, eller trykk «Nei takk»."),
    ),
}
"""Respondent steps answered by one short value: the field it fills, its parser, and what to
say when the value cannot be used (the question is then asked again, nothing else changes)."""


def _set_respondent_value(ctx: Ctx, raw: str) -> None:
    s = ctx.s
    field, parse, problem = _RESPONDENT_FIELDS[s.step]
    value = parse(raw, ctx.event.at.date())
    if value is None:
        ctx.say(ctx._(problem))
        screens.show(ctx)
        return
    setattr(s.respondent, field, value)
    unskip(s, s.step)
    advance(ctx)


def _set_municipality(ctx: Ctx, raw: str) -> None:
    s, _ = ctx.s, ctx._
    found = lookup(raw)
    if len(found.matches) == 1:
        s.respondent.municipality = found.matches[0].number
        s.municipality_candidates = []
        ctx.say(_("Kommune: {name} ✅").format(name=found.matches[0].display_name))
        unskip(s, flow.MUNICIPALITY)
        s.step = flow.MUNICIPALITY
        advance(ctx)
        return
    candidates = found.matches or found.suggestions
    if not candidates:
        ctx.say(_("Jeg fant ingen kommune med det navnet. Prøv igjen, for eksempel «Harstad»."))
        s.step = flow.MUNICIPALITY
        screens.show(ctx)
        return
    s.municipality_candidates = [m.number for m in candidates]
    if len(found.matches) > 1:
        ctx.say(_("Flere kommuner heter det."))
    s.step = flow.MUNICIPALITY_PICK
    screens.show(ctx)


def on_edit(ctx: Ctx, event: EditEvent) -> None:
    """An edited message updates the answer part it was, wherever that answer is."""
    s, _ = ctx.s, ctx._
    for step, answer in s.answers.items():
        for part in answer.parts:
            if part.message_ref == event.message_ref:
                part.text = clean_answer(event.text)
                s.personal_data_acknowledged = False
                ctx.say(
                    _("Jeg har oppdatert svaret ditt på «{where}».").format(
                        where=prompts.step_label(ctx, step_id(step))
                    )
                )
                return
    if s.status == "submitted" and s.step == flow.DONE:
        ctx.say(_("Innspillet er allerede sendt, så endringen kommer ikke med."))
        return
    ctx.say(
        _("Endringen gjelder ikke et svar jeg har lagret. Skriv det nye svaret som en ny melding.")
    )
