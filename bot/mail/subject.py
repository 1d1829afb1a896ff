"""Who a submission is from, and the ministry's subject line that names them."""

from __future__ import annotations

from bot.conversation.submission import Submission
from bot.mail.body_text import one_line
from bot.mail.headers import clean_header_text, subject_line


def sender_of(sub: Submission, *, with_place: bool) -> str:
    """Who a submission is from, as a clerk files it: the organisation, else the person.

    ``with_place`` adds the municipality, e.g. ``Harstad Byforening (Harstad)``. The result
    is person-typed text: it reaches a header only through :mod:`bot.mail.headers`.
    """
    person = sub.respondent
    # Shortened here already, so a very long name never pushes the place out of the subject.
    who = clean_header_text(
        one_line(person.organisation or person.name or person.type_label), max_length=60
    )
    place = one_line(person.municipality_name or "")
    if with_place and place and place != who:
        return f"{who} ({place})" if who else place
    return who


def inbox_subject(sub: Submission) -> str:
    """The ministry's subject line, exactly as required, followed by who the input is from.

    Raises:
        ValueError: the consultation's subject or template could split a header.
    """
    return subject_line(
        sub.subject_template,
        subject=sub.subject,
        case_number=sub.case_number,
        title=sub.title,
        sender=sender_of(sub, with_place=True),
    )
