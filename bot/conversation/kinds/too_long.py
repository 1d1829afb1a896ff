"""Text that would make an answer longer than its limit: kept up to the limit, and said so.

Keeping is kinder than refusing. A person who pastes 50,000 characters has usually pasted a
whole document, and most of what matters is in its first pages; refusing it all would leave
the question unanswered after their longest effort, and a message about it is easy to miss.
So the text is kept up to the limit, cut where a reader pauses (a paragraph, else a sentence),
and the person is told how much was kept, where it now ends, and how to send the rest as a
document in their channel. Only when the answer is already full is nothing kept, and then the
message says so in as many words.
"""

from __future__ import annotations

import re

from bot.conversation.attaching import send_the_rest
from bot.conversation.context import Ctx
from bot.i18n.formats import format_count

_SENTENCE_END = re.compile(r"[.!?…][\"»”')\]]*\s|\n")
"""The end of a sentence (its punctuation, closing quotes or brackets, then a space), or of
a line (lists and headings end without a full stop)."""

QUOTED = 50
"""How many characters of the text are quoted to say where it was cut."""


def fit(text: str, room: int) -> str:
    """The longest start of ``text`` within ``room`` characters that ends where a reader pauses.

    A paragraph's end is best, then a sentence's, then a space; only a text without any of
    them in reach is cut inside a word. A pause in the first half of the room is passed over
    for the next kind: cutting 30,000 characters back to 200 because the only blank line came
    early would throw away more than it keeps whole.
    """
    if len(text) <= room:
        return text
    if room <= 0:
        return ""
    enough = room // 2
    paragraph = text.rfind("\n\n", 0, room + 2)
    if paragraph >= enough:
        return text[:paragraph].rstrip()
    sentence = max((m.end() for m in _SENTENCE_END.finditer(text, 0, room + 1)), default=0) - 1
    if sentence >= enough:
        return text[:sentence].rstrip()
    space = text.rfind(" ", 0, room + 1)
    if space >= enough:
        return text[:space].rstrip()
    return text[:room]


def say_cut(ctx: Ctx, kept: str, total: int) -> None:
    """Tell how much of a message was kept, where the answer now ends, and what to do next."""
    ctx.say(
        ctx._(
            "Meldingen var for lang. Et svar kan ha opptil {limit} tegn, så jeg lagret de "
            "første {kept} av {total} tegn. Svaret slutter nå med «…{end}»."
        ).format(
            limit=format_count(ctx.limits.max_answer_chars, ctx.s.lang),
            kept=format_count(len(kept), ctx.s.lang),
            total=format_count(total, ctx.s.lang),
            end=_tail(kept),
        )
        + " "
        + send_the_rest(ctx)
    )


def say_full(ctx: Ctx, refused: str) -> None:
    """Tell that nothing of a message was kept, because the answer is full."""
    ctx.say(
        ctx._(
            "Svaret er fullt, for et svar kan ha opptil {limit} tegn. Jeg har ikke lagret "
            "noe av meldingen som begynner med «{start}…»."
        ).format(
            limit=format_count(ctx.limits.max_answer_chars, ctx.s.lang),
            start=_head(refused),
        )
        + " "
        + send_the_rest(ctx)
    )


def _tail(text: str) -> str:
    """The last words of ``text``, on one line."""
    tail = " ".join(text[-QUOTED:].split())
    if len(text) > QUOTED and " " in tail:
        tail = tail.split(" ", 1)[1]
    return tail


def _head(text: str) -> str:
    """The first words of ``text``, on one line."""
    head = " ".join(text[:QUOTED].split())
    if len(text) > QUOTED and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head
