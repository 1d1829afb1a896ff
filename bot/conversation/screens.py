"""What the person reads at each step: the question, the welcome, and the summary."""

from __future__ import annotations

from bot.consultation.municipalities import by_number
from bot.conversation import deadline_notice as deadline
from bot.conversation import flow
from bot.conversation.context import SUMMARY_MARK, Ctx
from bot.conversation.names import StepId
from bot.conversation.prompts import choices_for, has_original, step_label
from bot.i18n.catalogs import N_
from bot.i18n.formats import format_date, format_size
from bot.i18n.languages import choose_language_prompt, other_languages_hint

QUESTIONS: dict[str, str] = {
    flow.TYPE: N_("Hvem svarer du for?"),
    flow.ORGANISATION: N_("Hva heter organisasjonen, virksomheten eller kommunen du svarer for?"),
    flow.ORG_NUMBER: N_(
        "Har dere et organisasjonsnummer? Skriv de ni sifrene. Dette er frivillig."
    ),
    flow.BOARD: N_(
        "Er innspillet vedtatt av styret? Skriv datoen for vedtaket, for eksempel 12.2.2021."
    ),
    flow.NAME: N_("Hva heter du?"),
    flow.MUNICIPALITY: N_("Hvilken kommune bor du i?"),
    flow.MUNICIPALITY_PICK: N_("Hvilken kommune mener du?"),
    flow.EMAIL: N_(
        "Vil du ha en kvittering på e-post? Skriv e-postadressen din. "
        "Departementet ser den også, så de kan svare deg."
    ),
    flow.THEMES: N_("Hvilke tema vil du si noe om? Velg ett eller flere, og trykk «Ferdig»."),
    flow.EDIT: N_("Hva vil du endre?"),
    flow.CANCEL: N_("Vil du slette utkastet? Svarene du har gitt, blir borte."),
    flow.DELETE: N_(
        "Vil du slette alt som er lagret om deg her? Innspill som allerede er sendt "
        "til departementet, kan vi ikke hente tilbake."
    ),
}
"""What each step with a fixed question asks (bokmål msgids, translated when shown)."""

_FOR_ORGANISATIONS: dict[str, str] = {
    flow.MUNICIPALITY: N_("Hvilken kommune holder dere til i?"),
}
"""Questions put to an organisation ("dere") instead of to a person ("du")."""

_WITHOUT_RECEIPTS: dict[str, str] = {
    flow.EMAIL: N_(
        "Vil du oppgi e-postadressen din? Da kan departementet svare deg. Dette er frivillig."
    ),
}
"""Questions that must not promise a receipt when receipts are switched off."""


def question_text(ctx: Ctx, step: str) -> str:
    """The fixed question of ``step``, worded for this respondent and these settings."""
    rtype = flow.respondent_type(ctx.c, ctx.s)
    if rtype is not None and rtype.organisation and step in _FOR_ORGANISATIONS:
        return ctx._(_FOR_ORGANISATIONS[step])
    if not ctx.limits.send_receipts and step in _WITHOUT_RECEIPTS:
        return ctx._(_WITHOUT_RECEIPTS[step])
    return ctx._(QUESTIONS[step])


def show(ctx: Ctx, *, replace_previous: bool = False) -> None:
    """Show the current step's question (or menu) with its choices."""
    _, s, step = ctx._, ctx.s, ctx.s.step
    if step == flow.START:
        show_welcome(ctx)
        return
    if step == flow.RESUME:
        text = (
            _("Velkommen tilbake! Du har et utkast som ikke er sendt ennå.")
            + "\n"
            + _("Du var her: {where}.").format(where=step_label(ctx, s.return_step or flow.TYPE))
            + "\n\n"
            + deadline.notice(ctx)
        )
    elif step == flow.LANGUAGE:
        text = choose_language_prompt(ctx.c.languages)  # the same in every language
    elif step in QUESTIONS:
        text = question_text(ctx, step)
    elif flow.is_answer_step(step):
        text = _answer_prompt(ctx)
    elif step == flow.SUMMARY:
        show_summary(ctx)
        return
    elif step == flow.DONE:
        text = _("Innspillet ditt er sendt. Referansenummer: {reference}.").format(
            reference=s.reference
        )
    else:
        text = _("Hvor vil du fortsette?")
    ctx.say(text, choices_for(ctx), replace_previous=replace_previous)


def show_welcome(ctx: Ctx) -> None:
    """The first messages: what this is, that input is public, and how to answer."""
    _, c, s = ctx._, ctx.c, ctx.s
    intro = deadline.intro(c, ctx.event.at)
    text = f"{ctx.t(c.title)}\n\n{ctx.t(intro)}\n\n{deadline.notice(ctx)}"
    if deadline.is_closed(c, ctx.event.at):
        # Nothing new can be sent: one message, no publication notice, no way to begin.
        ctx.say(text, choices_for(ctx))
        return
    ctx.say(text)
    if not s.notice_shown:
        ctx.say("ℹ️ " + ctx.t(c.publication_notice))
        s.notice_shown = True
    question = _("Hvordan vil du svare?")
    if not s.lang_confirmed:
        # Telegram gave no language we know: make the switch impossible to miss.
        question += "\n\n" + other_languages_hint(ctx.c.languages)
    ctx.say(question, choices_for(ctx))


def _answer_prompt(ctx: Ctx) -> str:
    _, c, s, step = ctx._, ctx.c, ctx.s, ctx.s.step
    answer = s.answers.get(step)
    if step == flow.QUICK:
        text = _(
            "Lim inn innspillet ditt her, eller send det som dokument (PDF, Word, ODT eller tekst)."
        )
    elif step.startswith(flow.THEME_PREFIX):
        theme = c.theme(step.removeprefix(flow.THEME_PREFIX))
        chosen = [t for t in c.themes if t.id in s.themes]
        position = _("Tema {number} av {total}").format(
            number=chosen.index(theme) + 1 if theme in chosen else 1, total=len(chosen) or 1
        )
        text = f"{position}: {ctx.t(theme.title)}\n\n{ctx.t(theme.prompt)}"
    else:
        question = c.question(step.removeprefix(flow.QUESTION_PREFIX))
        number = [q.id for q in c.questions].index(question.id) + 1
        text = _("Spørsmål {number} av {total}").format(number=number, total=len(c.questions))
        text += f"\n\n{ctx.t(question.text)}"
    if answer and answer.text:
        text += "\n\n" + _("Svaret ditt så langt:") + "\n" + _quote(ctx, answer.text)
        text += "\n\n" + _("Skriv mer for å legge til, eller velg under.")
    elif step != flow.QUICK:
        text += "\n\n" + _("Skriv svaret ditt. Trenger du eksempler, skriv /hjelp.")
    return text


def original_question(ctx: Ctx, step: StepId) -> str | None:
    """The ministry's own wording of a question, when it differs from the plain one.

    Shown on request only (a button and /hjelp): under every question it made those messages
    the hardest to read in the conversation. In nynorsk and English it is our translation,
    and the catalogs say so.
    """
    if not has_original(ctx, step):
        return None
    original = ctx.c.question(step.removeprefix(flow.QUESTION_PREFIX)).original or {}
    return ctx._("Departementets spørsmål: «{original}»").format(original=ctx.t(original))


def _quote(ctx: Ctx, text: str, limit: int = 300) -> str:
    """The start of an answer shown again, so the question stays a short message."""
    short = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return ctx._("«{text}»").format(text=short)


def show_summary(ctx: Ctx) -> None:
    """Everything the person has given, then the publication notice and the send button."""
    _, c = ctx._, ctx.c
    ctx.say(summary_text(ctx))
    if deadline.is_closed(c, ctx.event.at):
        ctx.say(deadline.notice(ctx), choices_for(ctx))
        return
    if ctx.s.flow == "quick":
        ctx.say(_("Vil du legge til noe? Send mer tekst eller flere dokumenter nå."))
    notice = "ℹ️ " + ctx.t(c.publication_notice)
    ctx.say(
        deadline.notice(ctx)
        + "\n\n"
        + notice
        + "\n\n"
        + _("Når du trykker «Send inn», går innspillet til {ministry}.").format(
            ministry=ctx.t(c.ministry)
        ),
        choices_for(ctx),
    )


def summary_text(ctx: Ctx) -> str:
    """The whole draft as the person will recognise it."""
    _, c, s = ctx._, ctx.c, ctx.s
    r = s.respondent
    lines = [SUMMARY_MARK + _("Oppsummering"), ""]
    fields: list[tuple[str, str | None]] = []
    if r.type:
        rtype = flow.respondent_type(c, s)
        fields.append((_("Svarer for"), ctx.t(rtype.label) if rtype else r.type))
    fields += [
        (_("Organisasjon"), r.organisation),
        (_("Organisasjonsnummer"), r.org_number),
        (
            _("Vedtatt av styret"),
            format_date(r.board_approved, s.lang) if r.board_approved else None,
        ),
        (_("Navn"), r.name or "–"),
    ]
    if c.respondent.ask_municipality:
        municipality = by_number(r.municipality) if r.municipality else None
        fields.append((_("Kommune"), municipality.display_name if municipality else "–"))
    fields.append((_("E-post"), r.email))
    if c.themes:
        chosen = [ctx.t(t.title) for t in c.themes if t.id in s.themes]
        fields.append((_("Tema"), ", ".join(chosen) if chosen else "–"))
    lines += [label + ": " + value for label, value in fields if value]
    for step in flow.sequence(c, s):
        if not flow.is_answer_step(step):
            continue
        answer = s.answers.get(step)
        if step == flow.QUICK and not (answer and answer.text) and s.attachments:
            continue  # the input is the document(s), listed below
        lines += ["", f"▪️ {_answer_heading(ctx, step)}"]
        if answer and answer.text:
            lines.append(answer.text)
        elif step == flow.QUICK:
            lines.append(_("(ingen tekst)"))
        else:
            lines.append(_("(hoppet over)") if step in s.skipped else _("(ikke besvart)"))
    if s.attachments:
        lines += ["", "📎 " + _("Vedlegg:")]
        lines += [f"– {a.file_name} ({format_size(a.size, s.lang)})" for a in s.attachments]
    return "\n".join(lines)


def _answer_heading(ctx: Ctx, step: StepId) -> str:
    if step.startswith(flow.QUESTION_PREFIX):
        question = ctx.c.question(step.removeprefix(flow.QUESTION_PREFIX))
        return f"{step_label(ctx, step)}: {ctx.t(question.text)}"
    return step_label(ctx, step)
