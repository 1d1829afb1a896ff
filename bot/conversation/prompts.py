"""What the person can pick at each step, and the short names of steps.

``choices_for`` is also how the engine checks that a pressed button belongs to the current
step, so what is shown and what is accepted can never drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.consultation.municipalities import by_number
from bot.conversation import deadline_notice as deadline
from bot.conversation import flow
from bot.conversation.context import Ctx
from bot.conversation.events import Choice
from bot.conversation.names import Pick, StepId
from bot.i18n.catalogs import N_
from bot.i18n.languages import language, language_button

NEXT = Pick.NEXT
SKIP = Pick.SKIP
REPLACE = Pick.REPLACE
DONE = Pick.DONE
SEND = Pick.SEND
EDIT = Pick.EDIT
CANCEL = Pick.CANCEL
YES = Pick.YES
NO = Pick.NO
CONTINUE = Pick.CONTINUE
RESTART = Pick.RESTART
NEW = Pick.NEW
GUIDED = Pick.GUIDED
REMIND = Pick.REMIND
QUICK = Pick.QUICK
LANGUAGE = Pick.LANGUAGE
NONE = Pick.NONE
BACK_TO_SUMMARY = Pick.BACK_TO_SUMMARY
THEMES = Pick.THEMES
MORE = Pick.MORE
SKIP_REST = Pick.SKIP_REST
ADD = Pick.ADD
ORIGINAL = Pick.ORIGINAL
REMOVE_PREFIX = "rm-"


def choices_for(ctx: Ctx) -> list[Choice]:
    """The choices offered at the current step (empty for free-text steps without buttons)."""
    step = ctx.s.step
    fixed = _BY_STEP.get(step)
    if fixed is not None:
        return fixed(ctx)
    if step in flow.OPTIONAL_RESPONDENT_STEPS:
        label = ctx._("Nei takk") if step == flow.EMAIL else ctx._("Hopp over")
        return [Choice(SKIP, label)]
    if flow.is_answer_step(step):
        return _answer_choices(ctx)
    return []


def _start(ctx: Ctx) -> list[Choice]:
    _ = ctx._
    if deadline.is_closed(ctx.c, ctx.event.at):
        return [Choice(LANGUAGE, language_button(ctx.c.languages))]
    minutes = ctx.c.estimated_minutes
    guided = _("Svar på spørsmålene (ca. {minutes} min)") if minutes else _("Svar på spørsmålene")
    choices = [Choice(GUIDED, guided.format(minutes=minutes))]
    if ctx.c.quick_path:
        choices.append(Choice(QUICK, _("Send en ferdig tekst eller et dokument")))
    choices.append(Choice(LANGUAGE, language_button(ctx.c.languages)))
    return choices


def _municipality_pick(ctx: Ctx) -> list[Choice]:
    found = [m for m in (by_number(n) for n in ctx.s.municipality_candidates) if m]
    return [Choice(m.number, m.display_name) for m in found] + [
        Choice(NONE, ctx._("Ingen av dem – jeg skriver på nytt"))
    ]


def _themes(ctx: Ctx) -> list[Choice]:
    c, s = ctx.c, ctx.s
    return [Choice(t.id, ctx.t(t.title), selected=t.id in s.themes) for t in c.themes] + [
        Choice(DONE, ctx._("Ferdig ➡️"))
    ]


def _summary(ctx: Ctx) -> list[Choice]:
    _, c, s = ctx._, ctx.c, ctx.s
    if deadline.is_closed(c, ctx.event.at):  # the draft can be read and deleted, not sent
        return [Choice(CANCEL, _("🗑 Avbryt og slett utkastet"))]
    choices = [Choice(SEND, _("✅ Send inn"))]
    if s.flow == "quick":
        choices.append(Choice(ADD, _("➕ Legg til mer tekst")))
    if s.flow == "quick" and c.themes and not s.themes:
        choices.append(Choice(THEMES, _("🏷 Velg hvilke tema innspillet handler om (frivillig)")))
    return [
        *choices,
        Choice(EDIT, _("✏️ Endre noe")),
        Choice(CANCEL, _("🗑 Avbryt og slett utkastet")),
    ]


def _answer_choices(ctx: Ctx) -> list[Choice]:
    _, s, step = ctx._, ctx.s, ctx.s.step
    answered = flow.is_done(ctx.c, s, step) and step not in s.skipped
    if step == flow.QUICK:
        if not (s.answers.get(step) and s.answers[step].text):
            return [Choice(NEXT, _("Ferdig ➡️"))] if answered else []
        # Pasted text is changed explicitly: replaced, added to, or kept as it is.
        return [
            Choice(REPLACE, _("Erstatt teksten")),
            Choice(ADD, _("Legg til mer tekst")),
            Choice(NEXT, _("Behold teksten ➡️")),
        ]
    if answered:
        choices = [Choice(NEXT, _("Neste ➡️")), Choice(REPLACE, _("Skriv nytt svar"))]
    else:
        choices = [Choice(SKIP, _("Hopp over"))] if is_skippable(ctx) else []
        if can_skip_rest(ctx):
            choices.append(Choice(SKIP_REST, _("⏭ Hopp over resten og se oppsummeringen")))
        if previous_answer(ctx) is not None:
            choices.append(Choice(MORE, _("➕ Legg til mer på forrige svar")))
    if has_original(ctx, step):
        choices.append(Choice(ORIGINAL, _("Vis departementets spørsmål")))
    return choices


def previous_answer(ctx: Ctx) -> StepId | None:
    """The answer just given, when the person moved on from it to this question.

    A typed answer moves on at once; this is the way back to add more to it.
    """
    s = ctx.s
    if s.editing_from_summary:
        return None
    previous = flow.previous_step(ctx.c, s)
    if previous is None or not flow.is_answer_step(previous) or previous in s.skipped:
        return None
    answer = s.answers.get(previous)
    return previous if answer and answer.text else None


def can_skip_rest(ctx: Ctx) -> bool:
    """At a question with more optional questions after it: all of them may be skipped at once.

    Many people only want to say something about their themes; six taps on «Hopp over» would
    be six chances to give up.
    """
    s = ctx.s
    if s.editing_from_summary or not s.step.startswith(flow.QUESTION_PREFIX):
        return False
    steps = flow.sequence(ctx.c, s)
    rest = [st for st in steps[steps.index(s.step) : -1] if not flow.is_done(ctx.c, s, st)]
    return len(rest) > 1 and all(is_skippable(ctx, st) for st in rest)


def has_original(ctx: Ctx, step: StepId) -> bool:
    """Whether a question has the ministry's own wording, different from the plain one."""
    if not step.startswith(flow.QUESTION_PREFIX):
        return False
    question = ctx.c.question(step.removeprefix(flow.QUESTION_PREFIX))
    return question.original is not None and ctx.t(question.original) != ctx.t(question.text)


def is_skippable(ctx: Ctx, step: StepId | None = None) -> bool:
    """Whether ``step`` (by default the current one) may be skipped."""
    step = step or ctx.s.step
    if step in flow.OPTIONAL_RESPONDENT_STEPS or step == flow.MUNICIPALITY_PICK:
        return True
    if step == flow.THEMES or step.startswith(flow.THEME_PREFIX):
        return True
    if step.startswith(flow.QUESTION_PREFIX):
        return ctx.c.question(step.removeprefix(flow.QUESTION_PREFIX)).optional
    return False


_STEP_LABELS: dict[str, str] = {
    flow.TYPE: N_("Hvem du svarer for"),
    flow.ORGANISATION: N_("Navn på organisasjonen"),
    flow.ORG_NUMBER: N_("Organisasjonsnummer"),
    flow.BOARD: N_("Dato for styrevedtak"),
    flow.NAME: N_("Navnet ditt"),
    flow.MUNICIPALITY: N_("Kommune"),
    flow.THEMES: N_("Valg av tema"),
    flow.QUICK: N_("Innspillet ditt"),
    flow.MUNICIPALITY_PICK: N_("Kommune"),
    flow.SUMMARY: N_("Oppsummeringen"),
    flow.EDIT: N_("Oppsummeringen"),
    flow.PERSONAL_DATA: N_("Oppsummeringen"),
    flow.START: N_("Begynnelsen"),
}
"""The short names of the fixed steps (bokmål msgids, translated when shown)."""


def step_label(ctx: Ctx, step: StepId) -> str:
    """A short name for a step, for the status, the edit menu and confirmations."""
    _ = ctx._
    if step == flow.EMAIL:
        return _("E-post for kvittering") if ctx.limits.send_receipts else _("E-post")
    label = _STEP_LABELS.get(step)
    if label is not None:
        return _(label)
    if step.startswith(flow.THEME_PREFIX):
        return ctx.t(ctx.c.theme(step.removeprefix(flow.THEME_PREFIX)).title)
    if step.startswith(flow.QUESTION_PREFIX):
        number = ctx.c.question_numbers[step.removeprefix(flow.QUESTION_PREFIX)]
        return _("Spørsmål {number}").format(number=number)
    return _("Der du slapp")  # a step id is for the machine, never for the person


def _edit_choices(ctx: Ctx) -> list[Choice]:
    c, s, _ = ctx.c, ctx.s, ctx._
    steps = flow.sequence(c, s)[:-1]
    extras = [
        step
        for step in (flow.ORG_NUMBER, flow.BOARD, flow.MUNICIPALITY, flow.EMAIL)
        if step not in steps and _extra_allowed(ctx, step)
    ]
    if s.flow == "quick" and c.themes:
        extras.append(flow.THEMES)
    choices = [Choice(step, step_label(ctx, step)) for step in steps + extras]
    choices += [
        Choice(f"{REMOVE_PREFIX}{index}", _("Fjern vedlegg: {name}").format(name=a.file_name))
        for index, a in enumerate(s.attachments)
    ]
    choices.append(Choice(BACK_TO_SUMMARY, _("⬅️ Tilbake til oppsummeringen")))
    return choices


def _extra_allowed(ctx: Ctx, step: StepId) -> bool:
    """Optional details the quick path leaves out but lets people add from the summary."""
    rtype = flow.respondent_type(ctx.c, ctx.s)
    if step == flow.EMAIL:
        return ctx.c.respondent.ask_email
    if step == flow.MUNICIPALITY:
        return ctx.c.respondent.ask_municipality
    if rtype is None or not rtype.organisation:
        return False
    return rtype.org_number if step == flow.ORG_NUMBER else rtype.board_approval


_BY_STEP: dict[str, Callable[[Ctx], list[Choice]]] = {
    flow.START: _start,
    flow.RESUME: lambda ctx: [
        Choice(CONTINUE, ctx._("Fortsett der jeg var")),
        Choice(RESTART, ctx._("Start på nytt")),
        *([Choice(REMIND, ctx._("🔔 Minn meg på fristen"))] if deadline.can_remind(ctx) else []),
    ],
    flow.LANGUAGE: lambda ctx: [
        Choice(code, language(code).native_name) for code in ctx.c.languages
    ],
    flow.TYPE: lambda ctx: [Choice(t.id, ctx.t(t.label)) for t in ctx.c.respondent.types],
    flow.MUNICIPALITY_PICK: _municipality_pick,
    flow.THEMES: _themes,
    flow.SUMMARY: _summary,
    flow.EDIT: _edit_choices,
    flow.PERSONAL_DATA: lambda ctx: [
        Choice(SEND, ctx._("Send likevel")),
        Choice(EDIT, ctx._("Gå tilbake og endre")),
    ],
    flow.CANCEL: lambda ctx: [
        Choice(YES, ctx._("Ja, slett utkastet")),
        Choice(NO, ctx._("Nei, fortsett")),
    ],
    flow.DELETE: lambda ctx: [
        Choice(YES, ctx._("Ja, slett alt")),
        Choice(NO, ctx._("Nei, behold")),
    ],
    flow.DONE: lambda ctx: [Choice(NEW, ctx._("Send et nytt innspill"))],
}
"""Steps with a menu of their own, and how to build it."""
