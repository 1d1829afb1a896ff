"""Commands that tell rather than change: help for this step, privacy, and how far along."""

from __future__ import annotations

from bot.conversation import flow
from bot.conversation.capabilities import DocumentWay
from bot.conversation.context import Ctx
from bot.conversation.names import StepId
from bot.conversation.navigation import show
from bot.conversation.steps.answers import QuestionAnswer, ThemeAnswer


def on_help(ctx: Ctx) -> None:
    """Help for the current question, then what can be typed.

    The ministry's own wording is behind its button under the question, so help stays one
    short message with the question below it.
    """
    _ = ctx._
    lines: list[str] = []
    here = ctx.here.help(ctx)
    if here is not None:
        lines.append(here)
    lines.append(
        "\n".join(
            [
                _("Dette kan du skrive:"),
                # Short enough that help and the question below it stay one readable message.
                _("/tilbake, /hopp, /oppsummering, /status, /språk, /personvern"),
                _("/avbryt sletter utkastet, /slett sletter alt vi har om deg"),
                *_front_end_commands(ctx),
            ]
        )
    )
    s = ctx.s
    if s.status == "draft" and s.has_content:  # nothing to come back to before or after
        lines.append(
            _("Du kan ta pause når du vil. Svarene er lagret, og du fortsetter med /start.")
        )
    for line in lines:
        ctx.say(line)
    show(ctx)


def _front_end_commands(ctx: Ctx) -> list[str]:
    """Commands only a channel knows: the terminal sends local files with /vedlegg."""
    if ctx.limits.channel.documents == DocumentWay.COMMAND:
        return [ctx._("/vedlegg FIL – send en fil fra maskinen, for eksempel en lang tekst")]
    return []


def on_privacy(ctx: Ctx) -> None:
    """What is stored, for how long, who sees it and who answers for it, in plain words."""
    _, c, limits = ctx._, ctx.c, ctx.limits
    ctx.say(
        _(
            "Dette lagrer vi: navnet ditt, e-postadressen, kommunen og organisasjonsnummeret "
            "hvis du gir oss dem, Telegram-id-en din, svarene dine og dokumentene du sender."
        )
    )
    ctx.say(
        _("Et utkast du ikke rører på {days} dager, sletter vi.").format(
            days=limits.draft_retention_days
        )
        + " "
        + _(
            "Når du sender, går innspillet på e-post til {ministry}. Der er det et offentlig "
            "dokument, og det kan bli publisert med navnet ditt."
        ).format(ministry=ctx.t(c.ministry))
        + " "
        + _(
            "Boten beholder også en kopi av det du sendte, til du sletter den med /slett. "
            "De som driver boten, kan hente ut alle innspill som er sendt."
        )
    )
    operator = (
        _("{name} driver boten og har ansvar for dataene.").format(name=limits.operator_name)
        if limits.operator_name
        else _("Den som har satt opp boten, driver den og har ansvar for dataene.")
    )
    if limits.operator_contact:
        operator += " " + _("Kontakt: {contact}.").format(contact=limits.operator_contact)
    ctx.say(
        operator
        + " "
        + _("Telegram frakter meldingene mellom deg og boten.")
        + "\n\n"
        + _("Skriv /slett for å slette alt vi har lagret om deg.")
    )
    show(ctx)


def on_status(ctx: Ctx) -> None:
    """How far along the person is, counted the way the screens count ("Spørsmål 1 av 6")."""
    c, s, _ = ctx.c, ctx.s, ctx._
    if s.status == "submitted" and s.step == flow.DONE:
        ctx.say(
            _("Innspillet ditt er sendt (referanse {reference}).").format(reference=s.reference)
        )
        return
    if s.step == flow.START:
        ctx.say(_("Du har ikke begynt ennå."))
        show(ctx)
        return
    steps = flow.sequence(c, s)
    lines = [_status_of_content(ctx, steps)]
    skipped = [st for st in steps if st in s.skipped]
    left = [st for st in flow.remaining(ctx) if st not in s.skipped]
    if skipped:
        lines.append(_("Hoppet over: {steps}.").format(steps=_labels(ctx, skipped)))
    if left:
        lines.append(_("Gjenstår: {steps}.").format(steps=_labels(ctx, left)))
    if s.attachments:
        lines.append(
            ctx.n_("{count} vedlegg.", "{count} vedlegg.", len(s.attachments)).format(
                count=len(s.attachments)
            )
        )
    ctx.say("\n".join(lines))
    show(ctx)


def _labels(ctx: Ctx, steps: list[StepId]) -> str:
    return ", ".join(ctx.step(step).label(ctx) for step in steps)


def _status_of_content(ctx: Ctx, steps: list[StepId]) -> str:
    """The questions answered (themes are not questions), or the quick path's text."""
    s, _ = ctx.s, ctx._
    if s.flow == "quick":
        answer = s.answers.get(flow.QUICK)
        return (
            _("Innspillet ditt har tekst.")
            if answer and answer.text
            else _("Du har ikke skrevet inn teksten ennå.")
        )
    questions = [st for st in steps if isinstance(ctx.step(st), QuestionAnswer)]
    answered = [st for st in questions if ctx.step(st).is_done(ctx) and st not in s.skipped]
    text = ctx.n_(
        "Du har svart på {done} av {total} spørsmål.",
        "Du har svart på {done} av {total} spørsmål.",
        len(questions),
    ).format(done=len(answered), total=len(questions))
    themes = [st for st in steps if isinstance(ctx.step(st), ThemeAnswer)]
    if themes:
        written = [st for st in themes if ctx.step(st).is_done(ctx) and st not in s.skipped]
        text += " " + _("Tema: {done} av {total}.").format(done=len(written), total=len(themes))
    return text
