"""Commands that tell rather than change: help for this step, privacy, and how far along."""

from __future__ import annotations

from bot.engine import flow, prompts, screens
from bot.engine.context import Ctx


def on_help(ctx: Ctx) -> None:
    """Help for the current question, then what can be typed."""
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
    screens.show(ctx)


def on_privacy(ctx: Ctx) -> None:
    """What is stored, for how long, and who sees it."""
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
    screens.show(ctx)


def on_status(ctx: Ctx) -> None:
    """How far along the person is, and what is left."""
    c, s, _ = ctx.c, ctx.s, ctx._
    if s.status == "submitted" and s.step == flow.DONE:
        ctx.say(
            _("Innspillet ditt er sendt (referanse {reference}).").format(reference=s.reference)
        )
        return
    if s.step == flow.START:
        ctx.say(_("Du har ikke begynt ennå."))
        screens.show(ctx)
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
    screens.show(ctx)
