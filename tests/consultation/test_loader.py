"""A consultation is a file: a new one loads with the same code, a broken one is explained."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.consultation.loader import ConsultationError, check_consultation, load_consultation
from bot.consultation.model import Consultation
from tests.conftest import EXAMPLE

# A small valid consultation in bokmål and nynorsk; each test breaks one thing in it.
VALID = """\
id = "test"
languages = ["nb", "nn"]
ministry = { nb = "Testdepartementet", nn = "Testdepartementet" }
ministry_short = "TD"
case_number = "25/1"
title = { nb = "En test", nn = "Ein test" }
recipient = "post@test.dep.no"
subject = "25/1 – Innspill til en test"
deadline = 2025-12-31
reference_prefix = "TST"

[intro]
nb = "Hei."
nn = "Hei."

[publication_notice]
nb = "Innspill er offentlige."
nn = "Innspel er offentlege."

[respondent]
[[respondent.types]]
id = "privat"
label = { nb = "Privatperson", nn = "Privatperson" }

[[themes]]
id = "vei"
title = { nb = "Vei", nn = "Veg" }
prompt = { nb = "Hva trengs?", nn = "Kva trengst?" }
help = { nb = "Veier.", nn = "Vegar." }

[[themes]]
id = "buss"
title = { nb = "Buss", nn = "Buss" }
prompt = { nb = "Hva trengs?", nn = "Kva trengst?" }
help = { nb = "Busser.", nn = "Bussar." }

[[questions]]
id = "q1"
text = { nb = "Hvorfor?", nn = "Kvifor?" }
help = { nb = "Skriv fritt.", nn = "Skriv fritt." }

[[questions]]
id = "q2"
text = { nb = "Hvordan?", nn = "Korleis?" }
help = { nb = "Skriv fritt.", nn = "Skriv fritt." }

[[questions]]
id = "q3"
text = { nb = "Hva ellers?", nn = "Kva elles?" }
help = { nb = "Skriv fritt.", nn = "Skriv fritt." }
"""


def write(tmp_path: Path, text: str, name: str = "consultation.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    """Write VALID with the ``count``-th occurrence of ``old`` replaced by ``new``."""
    head, *rest = VALID.split(old)
    assert len(rest) >= count, f"{old!r} occurs {len(rest)} times"
    text = old.join([head, *rest[: count - 1]]) + new + old.join(rest[count - 1 :])
    return write(tmp_path, text)


def line_of(path: Path, snippet: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``snippet``."""
    hits = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if snippet in line]
    return hits[occurrence - 1]


def only_problem(path: Path) -> str:
    problems = check_consultation(path)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_file_has_no_problems(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    assert check_consultation(path) == []
    assert load_consultation(path).question("q3").text["nn"] == "Kva elles?"


def test_example_consultation_loads_with_the_same_code() -> None:
    consultation = load_consultation(EXAMPLE)
    assert isinstance(consultation, Consultation)
    assert consultation.id == "bussruter"
    assert consultation.ministry["nb"] == "Samferdselsdepartementet"
    assert consultation.languages == ["nb", "en"]
    assert consultation.recipient == "postmottak@sd.dep.no"
    assert consultation.deadline == date(2025, 6, 30)
    assert consultation.quick_path is False
    assert [t.id for t in consultation.themes] == ["rute", "pris"]
    assert [q.optional for q in consultation.questions] == [False, True]
    assert "nn" not in consultation.intro
    assert check_consultation(EXAMPLE) == []


def test_accepts_a_string_path(tmp_path: Path) -> None:
    assert load_consultation(str(write(tmp_path, VALID))).id == "test"


def test_missing_file_is_a_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    assert check_consultation(path) == [f"{path}: file not found"]
    with pytest.raises(ConsultationError) as caught:
        load_consultation(path)
    assert caught.value.problems == [f"{path}: file not found"]


def test_toml_syntax_error_gives_file_line_and_column(tmp_path: Path) -> None:
    path = broken(tmp_path, 'case_number = "25/1"', "case_number 25/1")
    problem = only_problem(path)
    assert problem.startswith(f"{path}:5:")
    assert "TOML syntax error" in problem


def test_unclosed_string_points_at_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, 'nn = "Kvifor?" }', 'nn = "Kvifor? }')
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(path, 'Kvifor?')}:")


def test_missing_nynorsk_text_names_path_and_line(tmp_path: Path) -> None:
    path = broken(tmp_path, ', nn = "Korleis?"', "")
    problem = only_problem(path)
    line = line_of(path, 'text = { nb = "Hvordan?"')
    assert problem == (
        f"{path}:{line}: questions[1].text.nn: "
        "the Nynorsk (nn) text is missing or empty; every declared language needs it"
    )


def test_every_missing_text_is_listed_on_its_own(tmp_path: Path) -> None:
    text = VALID.replace('nn = "Ein test"', 'nn = " "').replace(', nn = "Bussar."', "")
    problems = check_consultation(write(tmp_path, text))
    assert [p.split(": ")[1] for p in problems] == ["title.nn", "themes[1].help.nn"]


def test_missing_text_in_a_top_level_table_points_at_the_table(tmp_path: Path) -> None:
    path = broken(tmp_path, 'nn = "Innspel er offentlege."\n', "")
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(path, '[publication_notice]')}: ")
    assert "publication_notice.nn" in problem


def test_bad_recipient_email(tmp_path: Path) -> None:
    path = broken(tmp_path, '"post@test.dep.no"', '"post.test.dep.no"')
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(path, 'recipient =')}: recipient: ")
    assert "email address" in problem
    assert "post.test.dep.no" in problem


def test_duplicate_theme_id_points_at_the_second_one(tmp_path: Path) -> None:
    path = broken(tmp_path, 'id = "buss"', 'id = "vei"')
    problem = only_problem(path)
    line = line_of(path, 'id = "vei"', 2)
    assert problem == (
        f'{path}:{line}: themes[1].id: the id "vei" is used more than once; each id must be unique'
    )


def test_subject_with_a_newline_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, '"25/1 – Innspill til en test"', '"25/1\\nBcc: x@example.com"')
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(path, 'subject =')}: subject: ")
    assert "single line" in problem


def test_misspelt_key_is_called_unknown(tmp_path: Path) -> None:
    path = broken(tmp_path, "deadline =", "dedline =")
    problems = check_consultation(path)
    line = line_of(path, "dedline")
    assert f"{path}: deadline: required, but missing" in problems
    assert any(p.startswith(f"{path}:{line}: dedline: unknown key") for p in problems)


def test_plain_string_where_languages_are_needed(tmp_path: Path) -> None:
    path = broken(tmp_path, 'title = { nb = "En test", nn = "Ein test" }', 'title = "En test"')
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(path, 'title =')}: title: ")
    assert "table of languages" in problem


def test_unknown_language_key(tmp_path: Path) -> None:
    path = broken(tmp_path, 'help = { nb = "Busser."', 'help = { se = "Busser.", nb = "Busser."')
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(path, 'se = ')}: themes[1].help.se: ")
    assert "not a language" in problem


def test_bad_id_in_a_nested_table_array(tmp_path: Path) -> None:
    path = broken(tmp_path, 'id = "privat"', 'id = "Privat Person"')
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(path, 'Privat Person')}: respondent.types[0].id: ")
    assert "short id" in problem


def test_error_lists_every_problem(tmp_path: Path) -> None:
    text = VALID.replace('"TST"', '"tst"').replace("2025-12-31", '"snart"')
    path = write(tmp_path, text)
    with pytest.raises(ConsultationError) as caught:
        load_consultation(path)
    problems = caught.value.problems
    assert [p.split(": ")[1] for p in problems] == ["deadline", "reference_prefix"]
    assert str(caught.value).splitlines()[1:] == problems


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.toml"
    path.write_bytes(VALID.replace("Innspill", "Innspill æ").encode("cp1252"))
    assert "not UTF-8" in only_problem(path)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(VALID.encode("utf-8-sig"))
    assert check_consultation(path) == []


def test_the_time_a_text_names_must_be_the_files_estimated_minutes(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        'reference_prefix = "TST"\n',
        'reference_prefix = "TST"\nestimated_minutes = 10\n',
    )
    path = write(
        tmp_path, path.read_text("utf-8").replace('nb = "Hei."', 'nb = "Det tar fem minutter."')
    )
    problem = only_problem(path)
    assert "estimated_minutes is 10" in problem
    assert "intro.nb says 'fem minutter'" in problem
    agreeing = write(tmp_path, path.read_text("utf-8").replace("fem minutter", "10 minutter"))
    assert check_consultation(agreeing) == []


@pytest.mark.parametrize("minutes", ["0", "-5", '"ti"', "1000"])
def test_estimated_minutes_is_a_sensible_whole_number(tmp_path: Path, minutes: str) -> None:
    path = broken(
        tmp_path,
        'reference_prefix = "TST"\n',
        f'reference_prefix = "TST"\nestimated_minutes = {minutes}\n',
    )
    assert "estimated_minutes" in only_problem(path)
