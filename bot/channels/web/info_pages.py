"""The pages beside the chat: privacy, accessibility, resume code, deletion, and errors.

All text is bokmål msgids, translated like the conversation. These pages change nothing when
they are read; the forms on them post like the chat's, with the visitor's CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.channels.web.page_shell import Assets, Html, esc, language_links, shell, translator
from bot.i18n.catalogs import N_
from bot.i18n.formats import format_date

STATEMENT_UPDATED = date(2026, 12, 1)
"""When the accessibility statement was last checked against the tests (change with it)."""


@dataclass(frozen=True)
class InfoView:
    """What every info page needs."""

    lang: str
    site: str
    assets: Assets
    csrf: str


PRIVACY_TITLE = N_("Personvern")
PRIVACY = (
    N_(
        "Dette lagrer vi: svarene dine, navnet ditt, e-postadressen, kommunen og "
        "organisasjonsnummeret hvis du gir oss dem, og dokumentene du laster opp."
    ),
    N_(
        "Nettleseren din får en informasjonskapsel med et tilfeldig tall. Den trengs for at vi "
        "skal kjenne igjen utkastet ditt. Vi bruker ingen andre informasjonskapsler og ingen "
        "sporing."
    ),
    N_(
        "Vi lagrer ikke IP-adressen din. Vi bruker den bare en kort stund for å stoppe "
        "misbruk, og glemmer den etter en time."
    ),
    N_("Et utkast du ikke rører på {days} dager, sletter vi."),
    N_(
        "Når du sender, går innspillet på e-post til {ministry}. Der er det et offentlig "
        "dokument, og det kan bli publisert med navnet ditt."
    ),
    N_(
        "Vi beholder en kopi av det du sendte, til du sletter den. De som driver tjenesten, "
        "kan hente ut alle innspill som er sendt."
    ),
)
OPERATOR_NAMED = N_("{name} driver tjenesten og har ansvar for dataene.")
OPERATOR_UNNAMED = N_("Den som har satt opp tjenesten, driver den og har ansvar for dataene.")
CONTACT = N_("Kontakt: {contact}.")
DELETE_POINTER = N_("Du kan slette alt vi har lagret om deg under «Slett alt om meg».")

ACCESSIBILITY_TITLE = N_("Tilgjengelighet")
ACCESSIBILITY = (
    N_(
        "Alle skal kunne gi innspill. Denne siden skal følge kravene i WCAG 2.1 på nivå AA, "
        "som forskriften om universell utforming krever."
    ),
    N_(
        "Slik tester vi: Hver side sjekkes med verktøyet axe i en ekte nettleser. Vi tester "
        "at et helt innspill kan sendes med bare tastaturet, at siden virker på en skjerm som "
        "er 320 piksler bred, og at den virker når teksten er forstørret til 200 prosent."
    ),
    N_(
        "Siden virker uten JavaScript. Med JavaScript lastes ikke siden på nytt for hvert svar, "
        "og skjermlesere leser opp hvert nytt spørsmål."
    ),
    N_(
        "Kjente mangler: Vi kjenner ikke til brudd på kravene. Dokumenter du laster opp, "
        "sender vi videre slik de er."
    ),
)
FEEDBACK_NAMED = N_("Fant du noe som ikke virker? Si fra til {contact}.")
FEEDBACK_UNNAMED = N_("Fant du noe som ikke virker? Si fra til dem som driver tjenesten.")
COMPLAINT = N_(
    "Får du ikke svar, kan du klage til Tilsynet for universell utforming av ikt (uutilsynet.no)."
)
UPDATED = N_("Erklæringen ble sist oppdatert {date}.")

RESUME_TITLE = N_("Fortsett på en annen enhet")
RESUME_INTRO = N_(
    "Har du begynt på et innspill på en annen telefon eller PC? Skriv inn koden du fikk der, "
    "så fortsetter du her."
)
RESUME_NOTE = N_("Har du skrevet noe på denne enheten, blir det ikke med.")
RESUME_LABEL = N_("Koden")
RESUME_HINT = N_("10 tegn, for eksempel ABCDE-FGH23")
RESUME_BUTTON = N_("Fortsett")
RESUME_OWN = N_("Koden for denne enheten er {code}.")
RESUME_WRONG = N_("Vi fant ikke den koden. Sjekk den og prøv igjen.")
RESUME_TOO_MANY = N_("Det er prøvd for mange koder. Vent en time og prøv igjen.")

DELETE_TITLE = N_("Slett alt om meg")
DELETE_TEXT = (
    N_("Vi sletter utkastet ditt og alt annet vi har lagret om deg."),
    N_("Innspill som allerede er sendt til departementet, kan vi ikke hente tilbake."),
    N_("Du blir spurt om du er sikker før noe blir slettet."),
)
DELETE_BUTTON = N_("Slett alt om meg")
BACK_TO_CHAT = N_("Tilbake til innspillet")


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{esc(text)}</p>" for text in texts)


def _page(view: InfoView, title: str, body: str, path: str, *, switch: bool = True) -> str:
    _ = translator(view.lang)
    back = _(BACK_TO_CHAT)
    main = f'<h1>{esc(title)}</h1>{body}<p class="back"><a href="/">{esc(back)}</a></p>'
    return shell(
        lang=view.lang,
        title=f"{title} – {view.site}",
        site=view.site,
        main=main,
        assets=view.assets,
        header_extra=language_links(view.lang, path) if switch else Html(""),
        current=path,
    )


def privacy_page(
    view: InfoView, *, days: int, ministry: str, operator_name: str, operator_contact: str
) -> str:
    """What is stored, for how long, who sees it, and who answers for it."""
    _ = translator(view.lang)
    texts = [_(text).format(days=days, ministry=ministry) for text in PRIVACY]
    operator = (
        _(OPERATOR_NAMED).format(name=operator_name) if operator_name else _(OPERATOR_UNNAMED)
    )
    if operator_contact:
        operator += " " + _(CONTACT).format(contact=operator_contact)
    texts += [operator, _(DELETE_POINTER)]
    return _page(view, _(PRIVACY_TITLE), _paragraphs(texts), "/personvern")


def accessibility_page(view: InfoView, *, contact: str) -> str:
    """The accessibility statement: what is tested, what is known, where to complain."""
    _ = translator(view.lang)
    texts = [_(text) for text in ACCESSIBILITY]
    texts.append(_(FEEDBACK_NAMED).format(contact=contact) if contact else _(FEEDBACK_UNNAMED))
    texts.append(_(COMPLAINT))
    texts.append(_(UPDATED).format(date=format_date(STATEMENT_UPDATED, view.lang)))
    return _page(view, _(ACCESSIBILITY_TITLE), _paragraphs(texts), "/tilgjengelighet")


def resume_page(view: InfoView, *, own_code: str | None, problem: str | None) -> str:
    """The form for a resume code from another device."""
    _ = translator(view.lang)
    error = ""
    invalid = ""
    if problem is not None:
        message = _(RESUME_TOO_MANY) if problem == "too_many" else _(RESUME_WRONG)
        error = (
            '<div class="problem" role="alert" tabindex="-1" id="problem">'
            f'<p id="kode-feil" class="field-problem">{esc(message)}</p></div>'
        )
        invalid = ' aria-invalid="true" aria-describedby="kode-hint kode-feil"'
    own = f"<p>{esc(_(RESUME_OWN).format(code=own_code))}</p>" if own_code is not None else ""
    body = (
        f"<p>{esc(_(RESUME_INTRO))}</p>{error}"
        '<form method="post" action="/fortsett" class="resume-form">'
        f'<input type="hidden" name="csrf" value="{esc(view.csrf)}">'
        f'<label for="kode">{esc(_(RESUME_LABEL))}</label>'
        f'<p class="hint" id="kode-hint">{esc(_(RESUME_HINT))}</p>'
        '<input type="text" id="kode" name="kode" autocomplete="off" autocapitalize="characters"'
        f' spellcheck="false" maxlength="20" aria-describedby="kode-hint"{invalid}>'
        f'<button type="submit">{esc(_(RESUME_BUTTON))}</button></form>'
        f"<p>{esc(_(RESUME_NOTE))}</p>{own}"
    )
    return _page(view, _(RESUME_TITLE), body, "/fortsett", switch=problem is None)


def delete_page(view: InfoView) -> str:
    """What deleting does, and the button that starts it (the chat asks to confirm)."""
    _ = translator(view.lang)
    body = (
        _paragraphs([_(text) for text in DELETE_TEXT]) + '<form method="post" action="/kommando">'
        f'<input type="hidden" name="csrf" value="{esc(view.csrf)}">'
        '<input type="hidden" name="turn" value="">'
        f'<button type="submit" name="command" value="delete" class="warning">'
        f"{esc(_(DELETE_BUTTON))}</button></form>"
    )
    return _page(view, _(DELETE_TITLE), body, "/slett")


ERRORS = {
    403: (
        N_("Skjemaet var for gammelt"),
        N_(
            "Siden var åpen lenge, eller nettleseren tar ikke imot informasjonskapsler. "
            "Ingenting ble lagret. Prøv igjen fra siden."
        ),
    ),
    404: (N_("Fant ikke siden"), N_("Adressen finnes ikke her.")),
    411: (N_("Skjemaet kom ikke fram"), N_("Prøv igjen fra siden.")),
    413: (
        N_("For mye på en gang"),
        N_("Det du sendte, var for stort. Send en lang tekst som dokument i stedet."),
    ),
    429: (
        N_("For mange svar på kort tid"),
        N_(
            "Det har kommet mange svar fra adressen din på kort tid. Vent litt og prøv igjen. "
            "Det du har svart før, er lagret."
        ),
    ),
    500: (
        N_("Noe gikk galt hos oss"),
        N_("Prøv igjen om litt. Det du har svart før, er lagret."),
    ),
    503: (
        N_("Midlertidig feil"),
        N_(
            "Vi kan ikke lagre noe akkurat nå, så det siste du sendte, er ikke lagret. "
            "Prøv igjen om litt. Det du har svart før, er trygt."
        ),
    ),
}
OPEN_ALONE = N_("Åpne innspill i et eget vindu")


def error_page(view: InfoView, status: int, *, framed: bool = False) -> str:
    """A short page saying what went wrong and how to go on."""
    _ = translator(view.lang)
    title, text = ERRORS.get(status, ERRORS[500])
    body = f"<p>{esc(_(text))}</p>"
    if framed:
        body += f'<p><a href="/" target="_blank" rel="noopener">{esc(_(OPEN_ALONE))}</a></p>'
    return _page(view, _(title), body, "", switch=False)
