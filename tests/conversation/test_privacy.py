"""The personal-data check shown before sending: it warns on real personal data, not on numbers."""

from __future__ import annotations

import pytest
from stdnum.no import fodselsnummer

from bot.conversation.personal_data import Finding, find_personal_data


def _synthetic_id(first_nine: str) -> str:
    """Add valid check digits to nine made-up digits (no real person's number in the tests)."""
    first = fodselsnummer.calc_check_digit1(first_nine)
    assert len(first) == 1, "pick other digits: this serial has no valid check digit"
    with_first = first_nine + first
    second = fodselsnummer.calc_check_digit2(with_first)
    assert len(second) == 1, "pick other digits: this serial has no valid check digit"
    return with_first + second


# Born 15 January 1990, serial 100: a synthetic number.
NATIONAL_ID = _synthetic_id("150190100")
# D-number: the day is raised by 40 (55 instead of 15).
D_NUMBER = _synthetic_id("550190101")


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_synthetic_numbers_are_valid() -> None:
    assert fodselsnummer.is_valid(NATIONAL_ID)
    assert fodselsnummer.is_valid(D_NUMBER)
    assert not fodselsnummer.is_valid(_wrong_check_digit(NATIONAL_ID))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # National identity numbers, as people write them.
        (f"Fødselsnummeret mitt er {NATIONAL_ID}.", [Finding("national_id", "150190*****")]),
        (
            f"Naboen har nr. {NATIONAL_ID[:6]} {NATIONAL_ID[6:]}",
            [Finding("national_id", "150190 *****")],
        ),
        (f"{NATIONAL_ID[:6]}-{NATIONAL_ID[6:]}", [Finding("national_id", "150190-*****")]),
        (f"D-nummer {D_NUMBER}", [Finding("national_id", "550190*****")]),
        # Phone numbers in the usual Norwegian formats.
        ("Ring meg på 91234567", [Finding("phone", "912*****")]),
        ("Ring meg på 912 34 567.", [Finding("phone", "912 ** ***")]),
        ("Telefon: 91 23 45 67", [Finding("phone", "91 2* ** **")]),
        ("Kontakt: +47 912 34 567", [Finding("phone", "+47 912 ** ***")]),
        ("Kontakt: 0047 91234567", [Finding("phone", "0047 912*****")]),
        ("Kontakt: +4791234567", [Finding("phone", "+47912*****")]),
        ("Sentralbord (+47) 22 24 90 90", [Finding("phone", "(+47) 22 2* ** **")]),
        ("Ring 412\u00a034\u00a0567 etter kl. 16", [Finding("phone", "412\u00a0**\u00a0***")]),
        # Other people's e-mail addresses.
        ("Skriv til ola.nordmann@example.no", [Finding("email", "o***@example.no")]),
        (
            "Kari (kari+innspill@eksempel.kommune.no) vet mer.",
            [Finding("email", "k***@eksempel.kommune.no")],
        ),
        ("Spør Åse på åse@example.no.", [Finding("email", "å***@example.no")]),
    ],
)
def test_personal_data_is_found_and_masked(text: str, expected: list[Finding]) -> None:
    assert find_personal_data(text) == expected


def test_findings_keep_order_and_each_number_is_named_once() -> None:
    text = (
        "Leder: Ola, tlf 912 34 567, ola@example.no. "
        f"Ola har fødselsnummer {NATIONAL_ID}. "
        "Ring Ola på +47 91234567 eller skriv til OLA@example.no, eller ring Kari på 22 33 44 55."
    )
    assert find_personal_data(text) == [
        Finding("phone", "912 ** ***"),
        Finding("email", "o***@example.no"),
        Finding("national_id", "150190*****"),
        Finding("phone", "22 3* ** **"),
    ]


def test_own_email_is_not_a_finding_whatever_its_case() -> None:
    text = "Svar gjerne til Kari.Nordmann@Example.no eller til leder@example.no."
    findings = find_personal_data(text, own_email="kari.nordmann@example.NO")
    assert findings == [Finding("email", "l***@example.no")]


@pytest.mark.parametrize(
    "address",
    [
        "postmottak@kmd.dep.no",
        "Postmottak@harstad.kommune.no",
        "post@eksempel.no",
        "postkasse@eksempel.no",
        "firmapost@eksempel.no",
        "kontakt@eksempel.no",
        "info@eksempel.no",
        "servicetorget@tromso.kommune.no",
    ],
)
def test_shared_mailboxes_of_public_bodies_are_not_personal(address: str) -> None:
    assert find_personal_data(f"Send kopi til {address}.") == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            f"Feil kontrollsiffer: {_wrong_check_digit(NATIONAL_ID)}", id="wrong-check-digit"
        ),
        pytest.param("Tilfeldige siffer 12345678901 i en tabell.", id="eleven-random-digits"),
        pytest.param("I 2021 og 2022 vokste byen, mer enn på 1990-tallet.", id="years"),
        pytest.param("Prosjektet kostet 25 000 000 kr.", id="amount-kr-after"),
        pytest.param("Tilskuddet var kr 12 500 000 i fjor.", id="amount-kr-before"),
        pytest.param("Vi fikk 1 000 000 kroner.", id="amount-million"),
        pytest.param("Rammen er 25 000 000 for hele perioden.", id="amount-grouped"),
        pytest.param("Budsjettet er 25000000 kr.", id="amount-compact-kr"),
        pytest.param("Budsjettet er NOK 45000000.", id="amount-nok"),
        pytest.param("Rammen er 25000000 for hele perioden.", id="amount-compact-round"),
        pytest.param("Ledigheten falt med 12,5 % og 3 prosent.", id="percentages"),
        pytest.param("Møtet var 01.03.2021 og 1. mars 2021.", id="dates"),
        pytest.param("Vedtak av 20210301 gjelder.", id="compact-date"),
        pytest.param("Viser til sak 20/6204 og 2020/12345.", id="case-numbers"),
        pytest.param("Org.nr. 974 760 673 og 974760673.", id="org-numbers"),
        pytest.param("Adresse: Storgata 1, 9405 Harstad.", id="postal-code"),
        pytest.param("Kommunenummer 5402 (Tromsø) og 1804.", id="municipality-number"),
        pytest.param("Byen har 24 000 innbyggere og 1 234 567 i regionen.", id="population"),
        pytest.param("Regionen har 24000000 kvadratmeter næringsareal.", id="area"),
        pytest.param("Kontonummer 1234 56 78901 og referanse 123456789012.", id="long-runs"),
        pytest.param("Løpenummer 1912345678 i registeret.", id="phone-inside-longer-run"),
        pytest.param("Se 1 912 34 567 i tabellen.", id="phone-shape-inside-grouped-number"),
        pytest.param("Les mer på https://www.regjeringen.no/id/91234567/", id="url"),
        pytest.param("Hovedtall: 12,5 millioner, 3 400 arbeidsplasser.", id="statistics"),
    ],
)
def test_ordinary_consultation_text_gives_no_warning(text: str) -> None:
    assert find_personal_data(text) == []


def test_a_whole_ordinary_submission_gives_no_warning() -> None:
    text = (
        "Harstad kommune (org.nr. 974 760 673) viser til brev av 01.03.2021 i sak 20/6204. "
        "Kommunen har 24 800 innbyggere, og folketallet har økt med 2,1 prosent siden 2015. "
        "I 2021 brukte vi 25 000 000 kr på sentrumsutvikling, og staten bidro med kr 12 500 000. "
        "Regionen, med kommunene 5402 og 5503, trenger 1 000 000 kroner til et næringsfond. "
        "Vedtatt i kommunestyret 17. juni 2021. Postadresse: Postboks 1, 9479 Harstad. "
        "Spørsmål kan sendes til postmottak@harstad.kommune.no."
    )
    assert find_personal_data(text, own_email="radgiver@harstad.kommune.no") == []


def test_empty_text_has_no_findings() -> None:
    assert find_personal_data("") == []
