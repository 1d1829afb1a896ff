"""Who is answering: type, names, organisation number, board date, municipality, e-mail.

Each step asks one thing and reads one short value; the municipality has a pick list when
what was typed fits several.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from bot.consultation.municipalities import by_number, lookup
from bot.conversation import flow
from bot.conversation.context import Ctx
from bot.conversation.events import Choice, TextEvent
from bot.conversation.names import Pick, Step
from bot.conversation.navigation import advance, goto, show, unskip
from bot.conversation.steps.base import BaseStep
from bot.conversation.values import (
    board_date,
    email_address,
    organisation_number,
    person_or_org_name,
)
from bot.i18n.catalogs import N_


class RespondentStep(BaseStep):
    """A respondent step: a fixed question, a short name, and maybe «Hopp over»."""

    question: ClassVar[str]
    """What the step asks (a bokmål msgid)."""
    short_name: ClassVar[str]
    """The step's short name (a bokmål msgid)."""
    optional: ClassVar[bool] = False
    """May be skipped; the quick path leaves it out, and it can be added from the summary."""

    def label(self, ctx: Ctx) -> str:
        """The short name, translated."""
        return ctx._(self.short_name)

    def text(self, ctx: Ctx) -> str:
        """The question, translated."""
        return ctx._(self.question)

    def choices(self, ctx: Ctx) -> list[Choice]:
        """«Hopp over» where the detail is optional."""
        return [Choice(Pick.SKIP, ctx._("Hopp over"))] if self.optional else []

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """The one button: skip."""
        self.on_skip(ctx)

    def is_skippable(self, ctx: Ctx) -> bool:
        """Optional details may be skipped."""
        return self.optional

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """An optional detail may be added from the summary, off the quick path."""
        return self.optional

    def can_add_later(self, ctx: Ctx) -> bool:
        """Whether the edit menu offers this detail when the person's path left it out."""
        return False


class ValueStep(RespondentStep):
    """A respondent detail typed as one short value, checked before it is kept."""

    field: ClassVar[str]
    """The :class:`bot.conversation.session.Respondent` field it fills."""
    problem: ClassVar[str]
    """What to say when the value cannot be used (a bokmål msgid); the question is asked again."""

    def is_answered(self, ctx: Ctx) -> bool:
        """The field is filled."""
        return getattr(ctx.s.respondent, self.field) is not None

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """Keep the value and go on, or say what is wrong with it and ask again."""
        s = ctx.s
        value = self.read(event.text, ctx.event.at.date())
        if value is None:
            ctx.say(ctx._(self.problem))
            show(ctx)
            return
        setattr(s.respondent, self.field, value)
        unskip(s, s.step)
        advance(ctx)

    def read(self, raw: str, today: date) -> object:
        """The clean value, or ``None`` when it cannot be used."""
        raise NotImplementedError


def _organisation_of(ctx: Ctx) -> bool:
    rtype = flow.respondent_type(ctx.c, ctx.s)
    return rtype is not None and rtype.organisation


class RespondentType(BaseStep):
    """Who the person answers for: themselves, an organisation, a municipality and so on."""

    id = Step.TYPE

    def label(self, ctx: Ctx) -> str:
        """Who for."""
        return ctx._("Hvem du svarer for")

    def text(self, ctx: Ctx) -> str:
        """Who the person answers for."""
        return ctx._("Hvem svarer du for?")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """The consultation's respondent types."""
        return [Choice(t.id, ctx.t(t.label)) for t in ctx.c.respondent.types]

    def is_answered(self, ctx: Ctx) -> bool:
        """A type is chosen."""
        return ctx.s.respondent.type is not None

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Keep the type; a person has no organisation details, so drop any given before."""
        r = ctx.s.respondent
        r.type = choice
        if not ctx.c.respondent_type(choice).organisation:
            r.organisation = None
            r.org_number = None
            r.board_approved = None
        advance(ctx)


_NOT_A_NAME = N_("Det ser ikke ut som et navn. Skriv bare navnet, med bokstaver.")


class Organisation(ValueStep):
    """The organisation's name."""

    id = Step.ORGANISATION
    question = N_("Hva heter organisasjonen, virksomheten eller kommunen du svarer for?")
    short_name = N_("Navn på organisasjonen")
    field = "organisation"
    problem = _NOT_A_NAME

    def read(self, raw: str, today: date) -> object:
        """The value as typed, checked."""
        return person_or_org_name(raw)


class OrgNumber(ValueStep):
    """The organisation number (nine digits with a valid check digit)."""

    id = Step.ORG_NUMBER
    question = N_("Har dere et organisasjonsnummer? Skriv de ni sifrene. Dette er frivillig.")
    short_name = N_("Organisasjonsnummer")
    optional = True
    field = "org_number"
    problem = N_("Det er ikke et gyldig organisasjonsnummer. Sjekk de ni sifrene.")

    def read(self, raw: str, today: date) -> object:
        """The value as typed, checked."""
        return organisation_number(raw)

    def can_add_later(self, ctx: Ctx) -> bool:
        """For organisation types that have one."""
        rtype = flow.respondent_type(ctx.c, ctx.s)
        return rtype is not None and rtype.organisation and rtype.org_number


class Board(ValueStep):
    """When the board approved the input (associations)."""

    id = Step.BOARD
    question = N_(
        "Er innspillet vedtatt av styret? Skriv datoen for vedtaket, for eksempel 12.2.2021."
    )
    short_name = N_("Dato for styrevedtak")
    optional = True
    field = "board_approved"
    problem = N_("Jeg forstod ikke datoen. Skriv den slik: 12.2.2021.")

    def read(self, raw: str, today: date) -> object:
        """The value as typed, checked."""
        return board_date(raw, today=today)

    def can_add_later(self, ctx: Ctx) -> bool:
        """For organisation types whose board approves input."""
        rtype = flow.respondent_type(ctx.c, ctx.s)
        return rtype is not None and rtype.organisation and rtype.board_approval


class Name(ValueStep):
    """The person's name."""

    id = Step.NAME
    question = N_("Hva heter du?")
    short_name = N_("Navnet ditt")
    field = "name"
    problem = _NOT_A_NAME

    def read(self, raw: str, today: date) -> object:
        """The value as typed, checked."""
        return person_or_org_name(raw)


class Email(ValueStep):
    """An e-mail address for the receipt (and for the ministry's answer)."""

    id = Step.EMAIL
    question = N_(
        "Vil du ha en kvittering på e-post? Skriv e-postadressen din. "
        "Departementet ser den også, så de kan svare deg."
    )
    short_name = N_("E-post")
    optional = True
    field = "email"
    problem = N_("Den e-postadressen ser ikke riktig ut. Prøv igjen, eller trykk «Nei takk».")

    def read(self, raw: str, today: date) -> object:
        """The value as typed, checked."""
        return email_address(raw)

    def label(self, ctx: Ctx) -> str:
        """What the address is for."""
        if ctx.limits.send_receipts:
            return ctx._("E-post for kvittering")
        return ctx._(self.short_name)

    def text(self, ctx: Ctx) -> str:
        """The question, promising no receipt when none will be sent."""
        if not ctx.limits.send_receipts:
            return ctx._(
                "Vil du oppgi e-postadressen din? Da kan departementet svare deg. "
                "Dette er frivillig."
            )
        return ctx._(self.question)

    def choices(self, ctx: Ctx) -> list[Choice]:
        """«Nei takk» rather than «Hopp over»: the address is an offer."""
        return [Choice(Pick.SKIP, ctx._("Nei takk"))]

    def can_add_later(self, ctx: Ctx) -> bool:
        """When the consultation asks for addresses."""
        return ctx.c.respondent.ask_email


class Municipality(RespondentStep):
    """Where the person lives (or the organisation is), matched against the register."""

    id = Step.MUNICIPALITY
    question = N_("Hvilken kommune bor du i?")
    short_name = N_("Kommune")
    optional = True

    def text(self, ctx: Ctx) -> str:
        """Asked of an organisation as "dere"."""
        if _organisation_of(ctx):
            return ctx._("Hvilken kommune holder dere til i?")
        return ctx._(self.question)

    def is_answered(self, ctx: Ctx) -> bool:
        """A municipality is chosen."""
        return ctx.s.respondent.municipality is not None

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """Look the name up."""
        set_municipality(ctx, event.text)

    def can_add_later(self, ctx: Ctx) -> bool:
        """When the consultation asks for the municipality."""
        return ctx.c.respondent.ask_municipality


class MunicipalityPick(RespondentStep):
    """Several municipalities fit what was typed (or none did exactly): which one?"""

    id = Step.MUNICIPALITY_PICK
    question = N_("Hvilken kommune mener du?")
    short_name = N_("Kommune")
    optional = True

    def choices(self, ctx: Ctx) -> list[Choice]:
        """The candidates, and a way to write the name again."""
        found = [m for m in (by_number(n) for n in ctx.s.municipality_candidates) if m]
        return [Choice(m.number, m.display_name) for m in found] + [
            Choice(Pick.NONE, ctx._("Ingen av dem – jeg skriver på nytt"))
        ]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Keep the municipality picked, or ask for the name again."""
        s = ctx.s
        s.municipality_candidates = []
        if choice == Pick.NONE:
            goto(ctx, Step.MUNICIPALITY)
            return
        s.respondent.municipality = choice
        chosen = by_number(choice)
        name = chosen.display_name if chosen else choice
        ctx.say(ctx._("Kommune: {name} ✅").format(name=name))
        s.step = Step.MUNICIPALITY
        unskip(s, Step.MUNICIPALITY)
        advance(ctx)

    def on_text(self, ctx: Ctx, event: TextEvent) -> None:
        """A name typed again instead of picking one."""
        set_municipality(ctx, event.text)

    def on_skip(self, ctx: Ctx) -> None:
        """Skipping the pick list skips the municipality."""
        ctx.s.step = Step.MUNICIPALITY
        ctx.s.municipality_candidates = []
        ctx.here.on_skip(ctx)


def set_municipality(ctx: Ctx, raw: str) -> None:
    """One match is kept; several (or close spellings) are offered as a pick list."""
    s, _ = ctx.s, ctx._
    found = lookup(raw)
    if len(found.matches) == 1:
        s.respondent.municipality = found.matches[0].number
        s.municipality_candidates = []
        ctx.say(_("Kommune: {name} ✅").format(name=found.matches[0].display_name))
        unskip(s, Step.MUNICIPALITY)
        s.step = Step.MUNICIPALITY
        advance(ctx)
        return
    candidates = found.matches or found.suggestions
    if not candidates:
        ctx.say(_("Jeg fant ingen kommune med det navnet. Prøv igjen, for eksempel «Harstad»."))
        s.step = Step.MUNICIPALITY
        show(ctx)
        return
    s.municipality_candidates = [m.number for m in candidates]
    if len(found.matches) > 1:
        ctx.say(_("Flere kommuner heter det."))
    s.step = Step.MUNICIPALITY_PICK
    show(ctx)


EXTRAS = (Step.ORG_NUMBER, Step.BOARD, Step.MUNICIPALITY, Step.EMAIL)
"""Optional details the quick path leaves out but lets people add from the summary, in the
order the edit menu offers them."""
