"""``step()``: the whole conversation as a pure function of (consultation, session, event).

No I/O, no clock, no randomness: time and fresh ids arrive with the event, and everything the
caller must do (store a submission, delete data) comes back as an effect.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from bot.engine import flow, prompts
from bot.engine.build import build_submission, reference_for
from bot.engine.commands import parse_command
from bot.engine.context import Ctx, Limits
from bot.engine.events import (
    ChoiceEvent,
    CommandEvent,
    DeleteAllData,
    DocumentEvent,
    EditEvent,
    Event,
    ForgetAttachments,
    Outcome,
    Submit,
    TextEvent,
    UnsupportedEvent,
)
from bot.engine.matching import fold, match_choice
from bot.engine.model import LANGS, Consultation
from bot.engine.municipalities import by_number, lookup
from bot.engine.privacy import Finding, find_personal_data
from bot.engine.session import Answer, AnswerPart, Attachment, Session
from bot.engine.values import (
    board_date,
    clean_answer,
    email_address,
    organisation_number,
    person_or_org_name,
)
from bot.i18n import N_

CONFIRM_STEPS = (flow.CANCEL, flow.DELETE, flow.LANGUAGE, flow.RESUME, flow.EDIT)
WELCOME_BACK_AFTER = timedelta(hours=12)
"""A pause this long earns a "welcome back" before the reply, so the person is not lost."""


def new_session(
    c: Consultation, *, user_id: str, draft_id: str, lang: str, at: datetime, lang_confirmed: bool
) -> Session:
    """A fresh session for someone we have not met (or who starts over)."""
    return Session(
        user_id=user_id,
        consultation_id=c.id,
        draft_id=draft_id,
        lang=lang if lang in c.languages else "nb",
        lang_confirmed=lang_confirmed,
        started_at=at,
        updated_at=at,
    )


def step(
    c: Consultation, session: Session, event: Event, *, limits: Limits | None = None
) -> Outcome:
    """Apply one event to a session; return the new session, the replies and the effects."""
    # A dump/validate round trip is a deep copy that is about 4x cheaper than copy.deepcopy.
    s = Session.model_validate(session.model_dump())
    s.seq += 1
    s.updated_at = event.at
    flow.repair(c, s)
    ctx = Ctx(c=c, s=s, event=event, limits=limits or Limits())
    if _returning(session, event):
        ctx.say(ctx._("Velkommen tilbake! Svarene dine er lagret, og vi fortsetter der du slapp."))
    if isinstance(event, TextEvent):
        command = parse_command(event.text)
        if command:
            _on_command(ctx, *command)
        else:
            _on_text(ctx, event.text, event.message_ref)
    elif isinstance(event, CommandEvent):
        _on_command(ctx, event.name, event.arg)
    elif isinstance(event, ChoiceEvent):
        _on_choice(ctx, event.step, event.choice)
    elif isinstance(event, DocumentEvent):
        _on_documents(ctx, event)
    elif isinstance(event, EditEvent):
        _on_edit(ctx, event)
    elif isinstance(event, UnsupportedEvent):
        _on_unsupported(ctx, event.kind)
    return Outcome(ctx.s, ctx.replies, ctx.effects)


def _returning(session: Session, event: Event) -> bool:
    """Someone writes again after a long pause, in the middle of a draft (not via /start)."""
    paused = event.at - session.updated_at >= WELCOME_BACK_AFTER
    mid_draft = session.status == "draft" and session.step not in (flow.START, flow.RESUME)
    starting = isinstance(event, CommandEvent | TextEvent) and _is_start(event)
    return paused and mid_draft and session.has_content and not starting


def _is_start(event: CommandEvent | TextEvent) -> bool:
    if isinstance(event, CommandEvent):
        return event.name in ("start", "continue")
    command = parse_command(event.text)
    return command is not None and command[0] in ("start", "continue")


# --- moving between steps ---------------------------------------------------------------


def _goto(ctx: Ctx, step: str) -> None:
    s = ctx.s
    if step == flow.SUMMARY:
        s.editing_from_summary = False
    s.step = step
    prompts.show(ctx)


def _advance(ctx: Ctx) -> None:
    _goto(ctx, flow.next_step(ctx.c, ctx.s))


def _enter_flow(ctx: Ctx, chosen: str) -> None:
    ctx.s.flow = "quick" if chosen == prompts.QUICK and ctx.c.quick_path else "guided"
    _goto(ctx, flow.TYPE)


def _start_over(ctx: Ctx) -> None:
    """Drop the draft (its attachments too) and begin a new one with the same language."""
    old = ctx.s
    if old.attachments:
        ctx.effects.append(ForgetAttachments(tuple(a.id for a in old.attachments)))
    ctx.s = _fresh_session(ctx, ctx.event.fresh_id or old.draft_id)


def _fresh_session(ctx: Ctx, draft_id: str) -> Session:
    """An empty draft that remembers only the language, the notice and the last reference."""
    old = ctx.s
    fresh = new_session(
        ctx.c,
        user_id=old.user_id,
        draft_id=draft_id,
        lang=old.lang,
        at=ctx.event.at,
        lang_confirmed=old.lang_confirmed,
    )
    fresh.seq = old.seq
    fresh.notice_shown = old.notice_shown
    fresh.reference = old.reference
    fresh.submitted_at = old.submitted_at
    return fresh


# --- text ------------------------------------------------------------------------------


def _on_text(ctx: Ctx, raw: str, message_ref: str | None) -> None:
    s = ctx.s
    step = s.step
    if not raw.strip():
        ctx.say(ctx._("Jeg fikk ingen tekst. Skriv svaret ditt, eller velg under."))
        prompts.show(ctx)
        return
    matched = _match_choice(ctx, raw)
    if matched is not None and not flow.is_answer_step(step):
        _on_choice(ctx, step, matched)
        return
    if flow.is_answer_step(step):
        _add_answer_text(ctx, raw, message_ref)
    elif step in flow.RESPONDENT_TEXT_STEPS or step == flow.MUNICIPALITY_PICK:
        _set_respondent_value(ctx, raw)
    elif step == flow.SUMMARY and s.flow == "quick":
        # More text in the quick path's summary is more of the input.
        s.step = flow.QUICK
        _add_answer_text(ctx, raw, message_ref)
    elif step == flow.START and s.notice_shown:
        # The intro was read already; a "hei" should not bring the whole of it back.
        ctx.say(ctx._("Hvordan vil du svare?"), prompts.choices_for(ctx))
    elif step == flow.START:
        prompts.show(ctx)
    elif step == flow.DONE:
        ctx.say(
            ctx._("Innspillet ditt er allerede sendt (referanse {reference}).").format(
                reference=s.reference
            )
        )
        prompts.show(ctx)
    else:
        ctx.say(ctx._("Velg et av alternativene under, eller skriv /hjelp."))
        prompts.show(ctx)


def _match_choice(ctx: Ctx, raw: str) -> str | None:
    """A typed number or label ("2", "privatperson") picks that choice."""
    choice = match_choice(raw, prompts.choices_for(ctx))
    return choice.id if choice else None


def _add_answer_text(ctx: Ctx, raw: str, message_ref: str | None) -> None:
    s, _ = ctx.s, ctx._
    text = clean_answer(raw)
    answer = s.answers.setdefault(s.step, Answer())
    if len(answer.text) + len(text) > ctx.limits.max_answer_chars:
        ctx.say(_("Svaret er blitt veldig langt. Send resten som dokument, eller gå videre."))
        prompts.show(ctx)
        return
    answer.parts.append(AnswerPart(text=text, message_ref=message_ref))
    if s.step in s.skipped:
        s.skipped.remove(s.step)
    if s.step == flow.QUICK:
        ctx.say(_("Lagret ✅"))
        _goto(ctx, flow.SUMMARY)
        return
    count = len(answer.parts)
    saved = (
        _("Lagret ✅")
        if count == 1
        else _("Lagt til ✅ Svaret har nå {count} deler.").format(count=count)
    )
    ctx.say(
        saved + " " + _("Skriv mer hvis du vil, eller trykk «Neste»."),
        prompts.choices_for(ctx),
    )


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
    if s.step not in _RESPONDENT_FIELDS:
        _set_municipality(ctx, raw)
        return
    field, parse, problem = _RESPONDENT_FIELDS[s.step]
    value = parse(raw, ctx.event.at.date())
    if value is None:
        ctx.say(ctx._(problem))
        prompts.show(ctx)
        return
    setattr(s.respondent, field, value)
    _unskip(s, s.step)
    _advance(ctx)


def _set_municipality(ctx: Ctx, raw: str) -> None:
    s, _ = ctx.s, ctx._
    found = lookup(raw)
    if len(found.matches) == 1:
        s.respondent.municipality = found.matches[0].number
        s.municipality_candidates = []
        ctx.say(_("Kommune: {name} ✅").format(name=found.matches[0].display_name))
        _unskip(s, flow.MUNICIPALITY)
        s.step = flow.MUNICIPALITY
        _advance(ctx)
        return
    candidates = found.matches or found.suggestions
    if not candidates:
        ctx.say(_("Jeg fant ingen kommune med det navnet. Prøv igjen, for eksempel «Harstad»."))
        s.step = flow.MUNICIPALITY
        prompts.show(ctx)
        return
    s.municipality_candidates = [m.number for m in candidates]
    if len(found.matches) > 1:
        ctx.say(_("Flere kommuner heter det."))
    s.step = flow.MUNICIPALITY_PICK
    prompts.show(ctx)


def _unskip(s: Session, step: str) -> None:
    if step in s.skipped:
        s.skipped.remove(step)


# --- choices -----------------------------------------------------------------------------


def _on_choice(ctx: Ctx, step: str, choice: str) -> None:  # noqa: C901, PLR0912
    s, _ = ctx.s, ctx._
    valid = {c.id for c in prompts.choices_for(ctx)}
    if flow.is_answer_step(s.step) and prompts.is_skippable(ctx):
        # The question's own "Hopp over" button stays on screen after an answer: pressing it
        # then means "go on", keeping the answer.
        valid.add(prompts.SKIP)
    if step != s.step or choice not in valid:
        if s.step == flow.DONE and step in (flow.SUMMARY, flow.PERSONAL_DATA):
            ctx.say(
                _("Innspillet ditt er allerede sendt (referanse {reference}).").format(
                    reference=s.reference
                )
            )
            return
        ctx.say(_("Den knappen gjelder et tidligere spørsmål. Her er du nå:"))
        prompts.show(ctx)
        return
    if step == flow.START:
        if choice == prompts.LANGUAGE:
            s.return_step = flow.START
            _goto(ctx, flow.LANGUAGE)
        else:
            _enter_flow(ctx, choice)
    elif step == flow.RESUME:
        back_to = s.return_step or flow.TYPE
        s.return_step = None
        if choice == prompts.RESTART:
            _start_over(ctx)
            prompts.show_welcome(ctx)
        else:
            _goto(ctx, back_to)
    elif step == flow.LANGUAGE:
        s.lang = choice  # type: ignore[assignment]
        s.lang_confirmed = True
        back_to = s.return_step or flow.START
        s.return_step = None
        ctx.say(_("Nå snakker vi bokmål.") if s.lang == "nb" else _("Språket er endret."))
        _goto(ctx, back_to)
    elif step == flow.TYPE:
        s.respondent.type = choice
        if not ctx.c.respondent_type(choice).organisation:
            s.respondent.organisation = None
            s.respondent.org_number = None
            s.respondent.board_approved = None
        _advance(ctx)
    elif step == flow.MUNICIPALITY_PICK:
        if choice == prompts.NONE:
            s.municipality_candidates = []
            _goto(ctx, flow.MUNICIPALITY)
            return
        s.respondent.municipality = choice
        s.municipality_candidates = []
        chosen = by_number(choice)
        ctx.say(_("Kommune: {name} ✅").format(name=chosen.display_name if chosen else choice))
        s.step = flow.MUNICIPALITY
        _unskip(s, flow.MUNICIPALITY)
        _advance(ctx)
    elif step == flow.THEMES:
        _on_theme_toggle(ctx, choice)
    elif choice == prompts.SKIP:
        _skip(ctx)
    elif choice == prompts.NEXT:
        _advance(ctx)
    elif choice == prompts.REPLACE:
        _forget_answer(ctx)
        ctx.say(_("Svaret er fjernet. Skriv det nye svaret."))
    elif step == flow.SUMMARY:
        _on_summary_choice(ctx, choice)
    elif step == flow.EDIT:
        _on_edit_choice(ctx, choice)
    elif step == flow.PERSONAL_DATA:
        if choice == prompts.SEND:
            s.personal_data_acknowledged = True
            _submit(ctx)
        else:
            _goto(ctx, flow.EDIT)
    elif step == flow.CANCEL:
        _on_cancel_choice(ctx, choice)
    elif step == flow.DELETE:
        _on_delete_choice(ctx, choice)
    elif step == flow.DONE:
        _start_over(ctx)
        ctx.s.step = flow.START
        prompts.show_welcome(ctx)


def _on_theme_toggle(ctx: Ctx, choice: str) -> None:
    s, _ = ctx.s, ctx._
    if choice == prompts.DONE:
        if not s.themes:
            ctx.say(_("Velg minst ett tema, eller skriv /hopp for å gå rett til spørsmålene."))
            return
        _unskip(s, flow.THEMES)
        ordered = [t.id for t in ctx.c.themes if t.id in s.themes]
        s.themes = ordered
        _advance(ctx)
        return
    if choice in s.themes:
        # The theme's answer is kept (a slip of the finger must not lose it); only chosen
        # themes are asked, summarised and sent.
        s.themes.remove(choice)
    else:
        s.themes.append(choice)
    prompts.show(ctx, replace_previous=True)


def _skip(ctx: Ctx) -> None:
    s, _ = ctx.s, ctx._
    if not prompts.is_skippable(ctx):
        ctx.say(_("Dette spørsmålet må du svare på for å gå videre."))
        prompts.show(ctx)
        return
    if s.step == flow.MUNICIPALITY_PICK:
        s.step = flow.MUNICIPALITY
        s.municipality_candidates = []
    if not flow.is_done(ctx.c, s, s.step) and s.step not in s.skipped:
        s.skipped.append(s.step)
    _advance(ctx)


def _forget_answer(ctx: Ctx) -> None:
    ctx.s.answers.pop(ctx.s.step, None)
    ctx.s.personal_data_acknowledged = False


def _on_summary_choice(ctx: Ctx, choice: str) -> None:
    s = ctx.s
    if choice == prompts.SEND:
        missing = _missing_required(ctx)
        if missing:
            ctx.say(
                ctx._("Før du kan sende, mangler dette: {missing}.").format(
                    missing=", ".join(prompts.step_label(ctx, m) for m in missing)
                )
            )
            s.editing_from_summary = True
            _goto(ctx, missing[0])
            return
        findings = _personal_data(ctx)
        if findings and not s.personal_data_acknowledged:
            s.step = flow.PERSONAL_DATA
            shown = ", ".join(f.excerpt for f in findings[:5])
            ctx.say(
                ctx._(
                    "Teksten ser ut til å inneholde personopplysninger: {found}. "
                    "Innspill blir offentlige, så andre kan lese dette. "
                    "Vil du sende likevel, eller endre teksten først?"
                ).format(found=shown),
                prompts.choices_for(ctx),
            )
            return
        _submit(ctx)
    elif choice == prompts.EDIT:
        _goto(ctx, flow.EDIT)
    elif choice == prompts.THEMES:
        s.editing_from_summary = True
        _goto(ctx, flow.THEMES)
    elif choice == prompts.CANCEL:
        s.return_step = flow.SUMMARY
        _goto(ctx, flow.CANCEL)


def _missing_required(ctx: Ctx) -> list[str]:
    c, s = ctx.c, ctx.s
    missing = []
    for step in flow.sequence(c, s)[:-1]:
        if not flow.is_done(c, s, step) and not prompts.is_skippable(ctx, step):
            missing.append(step)
    return missing


def _personal_data(ctx: Ctx) -> list[Finding]:
    """Findings in what will be sent (answers to themes no longer chosen are not sent)."""
    sent = [step for step in flow.sequence(ctx.c, ctx.s) if flow.is_answer_step(step)]
    texts = [ctx.s.answers[step].text for step in sent if step in ctx.s.answers]
    return list(find_personal_data("\n\n".join(texts), own_email=ctx.s.respondent.email))


def _on_edit_choice(ctx: Ctx, choice: str) -> None:
    s, _ = ctx.s, ctx._
    if choice == prompts.BACK_TO_SUMMARY:
        _goto(ctx, flow.SUMMARY)
        return
    if choice.startswith(prompts.REMOVE_PREFIX):
        removed = s.attachments.pop(int(choice.removeprefix(prompts.REMOVE_PREFIX)))
        ctx.effects.append(ForgetAttachments((removed.id,)))
        ctx.say(_("Vedlegget «{name}» er fjernet.").format(name=removed.file_name))
        _goto(ctx, flow.SUMMARY)
        return
    s.personal_data_acknowledged = False
    s.editing_from_summary = True
    s.step = choice
    prompts.show(ctx)


def _on_cancel_choice(ctx: Ctx, choice: str) -> None:
    s, _ = ctx.s, ctx._
    if choice == prompts.YES:
        _start_over(ctx)
        ctx.say(_("Utkastet er slettet."))
        ctx.s.step = flow.START
        prompts.show(ctx)
        return
    back_to = s.return_step or flow.TYPE
    s.return_step = None
    _goto(ctx, back_to)


def _on_delete_choice(ctx: Ctx, choice: str) -> None:
    s, _ = ctx.s, ctx._
    if choice == prompts.YES:
        ctx.effects.append(DeleteAllData())
        _start_over(ctx)
        ctx.s.reference = None
        ctx.s.submitted_at = None
        ctx.say(
            _("Alt vi hadde lagret om deg, er slettet. Skriv /start hvis du vil begynne på nytt.")
        )
        ctx.s.step = flow.START
        return
    back_to = s.return_step or flow.START
    s.return_step = None
    _goto(ctx, back_to)


def _submit(ctx: Ctx) -> None:
    s, c, _ = ctx.s, ctx.c, ctx._
    reference = reference_for(c, s.draft_id)
    submission = build_submission(c, s, reference=reference, received_at=ctx.event.at)
    ctx.effects.append(Submit(submission))
    # What was sent lives on in the submission; the session keeps no answers or names.
    ctx.s = _fresh_session(ctx, s.draft_id)
    ctx.s.status = "submitted"
    ctx.s.reference = reference
    ctx.s.submitted_at = ctx.event.at
    ctx.s.step = flow.DONE
    text = _("Takk! Innspillet ditt er sendt til {ministry}.").format(ministry=c.ministry_short)
    text += "\n\n" + _("Referansenummer: {reference}").format(reference=reference)
    if s.respondent.email:
        text += "\n" + _("Du får en kvittering på e-post til {email}.").format(
            email=s.respondent.email
        )
    ctx.say(text, prompts.choices_for(ctx))


# --- commands ----------------------------------------------------------------------------


def _on_command(ctx: Ctx, name: str, arg: str) -> None:  # noqa: C901, PLR0912
    s, _ = ctx.s, ctx._
    if name == "start":
        _on_start(ctx, arg)
    elif name == "help":
        _on_help(ctx)
    elif name == "status":
        _on_status(ctx)
    elif name == "continue":
        if s.step == flow.START:
            prompts.show_welcome(ctx)
            return
        ctx.say(_("Velkommen tilbake! Du fortsetter der du slapp."))
        prompts.show(ctx)
    elif s.step in (flow.START, flow.DONE) and name in ("back", "skip", "next", "summary"):
        ctx.say(_("Du har ikke begynt på et innspill ennå."))
        prompts.show(ctx)
    elif name == "back":
        _on_back(ctx)
    elif name == "skip":
        _skip(ctx)
    elif name == "next":
        if flow.is_answer_step(s.step) and flow.is_done(ctx.c, s, s.step):
            _advance(ctx)
        else:
            ctx.say(_("Skriv svaret først, eller skriv /hopp for å hoppe over."))
    elif name == "summary":
        _goto(ctx, flow.SUMMARY)
    elif name == "cancel":
        if not s.has_content:
            ctx.say(_("Du har ikke noe utkast å avbryte."))
            prompts.show(ctx)
            return
        s.return_step = s.step if s.step not in CONFIRM_STEPS else flow.SUMMARY
        _goto(ctx, flow.CANCEL)
    elif name == "delete":
        s.return_step = s.step if s.step not in CONFIRM_STEPS else flow.START
        _goto(ctx, flow.DELETE)
    elif name == "language":
        if arg and fold(arg)[:2] in LANGS and fold(arg)[:2] in ctx.c.languages:
            s.step, s.return_step = flow.LANGUAGE, s.step
            _on_choice(ctx, flow.LANGUAGE, fold(arg)[:2])
            return
        s.return_step = s.step if s.step not in CONFIRM_STEPS else flow.START
        _goto(ctx, flow.LANGUAGE)
    elif name == "privacy":
        _on_privacy(ctx)
    elif name == "attach":
        ctx.say(_("Send dokumentet som en fil, så legger jeg det ved innspillet."))
    else:
        ctx.say(_("Den kommandoen kjenner jeg ikke. Skriv /hjelp for å se hva du kan gjøre."))
        prompts.show(ctx)


def _on_start(ctx: Ctx, arg: str) -> None:
    s = ctx.s
    wants_quick = arg.strip().lower() == "rask" and ctx.c.quick_path
    if s.status == "draft" and s.has_content and s.step != flow.START:
        s.return_step = s.step if s.step not in CONFIRM_STEPS else flow.SUMMARY
        _goto(ctx, flow.RESUME)
        return
    if s.status == "submitted" and s.step == flow.DONE and not wants_quick:
        prompts.show(ctx)
        return
    if s.status == "submitted":
        _start_over(ctx)
    if wants_quick:
        if not ctx.s.notice_shown:
            ctx.say("ℹ️ " + ctx.t(ctx.c.publication_notice))
            ctx.s.notice_shown = True
        _enter_flow(ctx, prompts.QUICK)
        return
    ctx.s.step = flow.START
    prompts.show_welcome(ctx)


def _on_back(ctx: Ctx) -> None:
    s, _ = ctx.s, ctx._
    if s.step in CONFIRM_STEPS or s.step == flow.PERSONAL_DATA:
        back_to = s.return_step or flow.SUMMARY
        s.return_step = None
        _goto(ctx, back_to if s.step != flow.PERSONAL_DATA else flow.SUMMARY)
        return
    previous = flow.previous_step(ctx.c, s)
    if previous is None:
        ctx.say(_("Du er på det første spørsmålet."))
        prompts.show(ctx)
        return
    s.editing_from_summary = False
    _goto(ctx, previous)


def _on_help(ctx: Ctx) -> None:
    c, s, _ = ctx.c, ctx.s, ctx._
    lines: list[str] = []
    if s.step.startswith(flow.THEME_PREFIX):
        lines.append(ctx.t(c.theme(s.step.removeprefix(flow.THEME_PREFIX)).help))
    elif s.step.startswith(flow.QUESTION_PREFIX):
        lines.append(ctx.t(c.question(s.step.removeprefix(flow.QUESTION_PREFIX)).help))
    lines.append(
        "\n".join(
            [
                _("Dette kan du skrive:"),
                _("/tilbake – gå til forrige spørsmål"),
                _("/hopp – hopp over spørsmålet"),
                _("/oppsummering – se alt du har svart"),
                _("/status – se hvor langt du har kommet"),
                _("/språk – bytt språk"),
                _("/avbryt – slett utkastet"),
                _("/slett – slett alt som er lagret om deg"),
                _("/personvern – hva vi lagrer, og hvem som ser det"),
            ]
        )
    )
    lines.append(_("Du kan ta pause når du vil. Svarene er lagret, og du fortsetter med /start."))
    for line in lines:
        ctx.say(line)
    prompts.show(ctx)


def _on_privacy(ctx: Ctx) -> None:
    _, c = ctx._, ctx.c
    ctx.say(
        _(
            "Dette lagrer vi: svarene dine, hvem du svarer for, og dokumentene du sender. "
            "Et utkast du ikke rører på {days} dager, blir slettet."
        ).format(days=ctx.limits.draft_retention_days)
    )
    ctx.say(
        _("Når du sender, går innspillet til {ministry}. Der er det offentlig.").format(
            ministry=c.ministry_short
        )
        + " "
        + _("Skriv /slett for å slette alt vi har lagret om deg.")
    )
    prompts.show(ctx)


def _on_status(ctx: Ctx) -> None:
    c, s, _ = ctx.c, ctx.s, ctx._
    if s.status == "submitted" and s.step == flow.DONE:
        ctx.say(
            _("Innspillet ditt er sendt (referanse {reference}).").format(reference=s.reference)
        )
        return
    if s.step == flow.START:
        ctx.say(_("Du har ikke begynt ennå."))
        prompts.show(ctx)
        return
    content = [st for st in flow.sequence(c, s) if flow.is_answer_step(st)]
    answered = [st for st in content if flow.is_done(c, s, st) and st not in s.skipped]
    skipped = [st for st in content if st in s.skipped]
    left = [st for st in flow.remaining(c, s) if st not in s.skipped]
    text = ctx.n_(
        "Du har svart på {done} av {total} spørsmål.",
        "Du har svart på {done} av {total} spørsmål.",
        len(content),
    ).format(done=len(answered), total=len(content))
    if skipped:
        text += "\n" + _("Hoppet over: {steps}.").format(
            steps=", ".join(prompts.step_label(ctx, st) for st in skipped)
        )
    if left:
        text += "\n" + _("Igjen: {steps}.").format(
            steps=", ".join(prompts.step_label(ctx, st) for st in left)
        )
    if s.attachments:
        text += "\n" + ctx.n_("{count} vedlegg.", "{count} vedlegg.", len(s.attachments)).format(
            count=len(s.attachments)
        )
    ctx.say(text)
    prompts.show(ctx)


# --- documents, edits, everything else -------------------------------------------------


def _on_documents(ctx: Ctx, event: DocumentEvent) -> None:  # noqa: C901
    s, _ = ctx.s, ctx._
    accepting = s.status == "draft" and s.step not in (flow.START, flow.RESUME, flow.DONE)
    stored = [d for d in event.documents if d.attachment_id and d.problem is None]
    accepted: list[Attachment] = []
    rejected: list[str] = []
    total = sum(a.size for a in s.attachments)
    for doc in event.documents:
        if doc.problem == "too_large" or (
            doc.problem is None and doc.size > ctx.limits.max_submission_bytes
        ):
            rejected.append(
                _("«{name}» er for stor ({size}). Grensen er {limit}.").format(
                    name=doc.file_name,
                    size=prompts.format_size(doc.size),
                    limit=prompts.format_size(ctx.limits.max_submission_bytes),
                )
            )
        elif doc.problem == "unsupported_type":
            rejected.append(
                _(
                    "«{name}» kan jeg ikke ta imot. Send PDF, Word (DOCX), ODT eller ren tekst."
                ).format(name=doc.file_name)
            )
        elif doc.problem == "download_failed" or not doc.attachment_id:
            rejected.append(
                _("Jeg fikk ikke hentet «{name}». Prøv å sende den igjen.").format(
                    name=doc.file_name
                )
            )
        elif not accepting:
            continue
        elif len(s.attachments) + len(accepted) >= ctx.limits.max_attachments:
            rejected.append(
                _("«{name}» ble ikke med: du kan sende opptil {max} vedlegg.").format(
                    name=doc.file_name, max=ctx.limits.max_attachments
                )
            )
        elif total + doc.size > ctx.limits.max_submission_bytes:
            rejected.append(
                _("«{name}» ble ikke med: vedleggene blir til sammen over {limit}.").format(
                    name=doc.file_name, limit=prompts.format_size(ctx.limits.max_submission_bytes)
                )
            )
        else:
            total += doc.size
            accepted.append(
                Attachment(
                    id=doc.attachment_id,
                    file_name=doc.file_name,
                    mime_type=doc.mime_type,
                    size=doc.size,
                )
            )
    kept = {a.id for a in accepted}
    unused = tuple(
        d.attachment_id for d in stored if d.attachment_id and d.attachment_id not in kept
    )
    if unused:
        ctx.effects.append(ForgetAttachments(unused))
    if not accepting:
        ctx.say(_("Velg først hvordan du vil svare. Så kan du sende dokumentet."))
        prompts.show(ctx)
        return
    for message in rejected:
        ctx.say(message)
    if not accepted:
        prompts.show(ctx)
        return
    s.attachments.extend(accepted)
    s.personal_data_acknowledged = False
    _unskip(s, s.step)
    if event.caption and event.caption.strip() and _takes_text(s):
        answer = s.answers.setdefault(_text_step(s), Answer())
        answer.parts.append(AnswerPart(text=clean_answer(event.caption)))
    ctx.say(
        ctx.n_(
            "{count} vedlegg mottatt: {names}", "{count} vedlegg mottatt: {names}", len(accepted)
        ).format(count=len(accepted), names=", ".join(a.file_name for a in accepted))
    )
    if s.step in (flow.QUICK, flow.SUMMARY):
        _goto(ctx, flow.SUMMARY)
    else:
        prompts.show(ctx)


def _takes_text(s: Session) -> bool:
    """Whether a caption can join an answer here (not at menus and confirmations)."""
    return flow.is_answer_step(s.step) or (s.step == flow.SUMMARY and s.flow == "quick")


def _text_step(s: Session) -> str:
    return flow.QUICK if s.step == flow.SUMMARY else s.step


def _on_edit(ctx: Ctx, event: EditEvent) -> None:
    s, _ = ctx.s, ctx._
    for step, answer in s.answers.items():
        for part in answer.parts:
            if part.message_ref == event.message_ref:
                part.text = clean_answer(event.text)
                s.personal_data_acknowledged = False
                ctx.say(
                    _("Jeg har oppdatert svaret ditt på «{where}».").format(
                        where=prompts.step_label(ctx, step)
                    )
                )
                return
    if s.status == "submitted" and s.step == flow.DONE:
        ctx.say(_("Innspillet er allerede sendt, så endringen kommer ikke med."))
        return
    ctx.say(
        _("Endringen gjelder ikke et svar jeg har lagret. Skriv det nye svaret som en ny melding.")
    )


def _on_unsupported(ctx: Ctx, kind: str) -> None:
    _ = ctx._
    messages = {
        "sticker": _("Takk for klistremerket! 😊 Men her trenger jeg tekst."),
        "photo": _(
            "Bilder kan jeg ikke sende videre. Skriv svaret som tekst, "
            "eller send et dokument (PDF, Word, ODT)."
        ),
        "voice": _("Lydmeldinger kan jeg ikke ta imot. Skriv svaret ditt som tekst."),
        "video": _("Video kan jeg ikke ta imot. Skriv svaret ditt som tekst."),
        "location": _("Jeg trenger ikke posisjonen din. Skriv kommunen med navn i stedet."),
        "contact": _("Jeg trenger ikke kontakter. Skriv svaret ditt som tekst."),
    }
    ctx.say(messages.get(kind, _("Det kan jeg ikke ta imot her. Skriv svaret ditt som tekst.")))
    prompts.show(ctx)
