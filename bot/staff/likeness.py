"""«Like innspill» for staff: which submissions form a group, its shared text, who changed what.

:mod:`bot.staff.grouping` finds the groups in plain texts; this module says what a
submission's text is (every answer, the ready text, the documents' text), picks the member
whose text is most typical as the group's shared text, and describes each sender's changes to
it in words a clerk can scan: «byttet «Harstad» med «Narvik»; la til «…»».
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.conversation.kinds import rendered
from bot.conversation.submission import AttachmentInfo, Submission
from bot.staff.grouping import Shingled, group_similar, prepare

MAX_QUOTE = 160
"""Characters of a changed passage quoted; a longer one is cut with «…»."""
MAX_CHANGES = 8
"""Changes listed per sender; more are counted, not quoted."""

DocumentText = Callable[[AttachmentInfo], "str | None"]


def comparable_text(sub: Submission, document_text: DocumentText) -> str:
    """What the sender wrote, in one text: every answer, then each document's text."""
    parts = [text for answer in sub.answers if (text := rendered(answer))]
    parts += [text for attachment in sub.attachments if (text := document_text(attachment))]
    return "\n\n".join(parts)


@dataclass(frozen=True)
class SimilarGroup:
    """Near-identical submissions (oldest first) and the one whose text stands for all."""

    number: int
    members: list[Submission]
    shared: Submission
    changes: dict[str, str] = field(default_factory=dict)
    """Reference → what that sender changed in the shared text, in words."""

    @property
    def references(self) -> set[str]:
        """The members' references."""
        return {sub.reference for sub in self.members}

    @property
    def label(self) -> str:
        """``Gruppe 2`` (as in the «Likhetsgruppe» column)."""
        return f"Gruppe {self.number}"


@dataclass(frozen=True)
class Likeness:
    """Every group, and each grouped submission's group by reference."""

    groups: list[SimilarGroup]
    by_reference: dict[str, SimilarGroup]

    def group_of(self, sub: Submission) -> SimilarGroup | None:
        """The submission's group, or ``None`` when it is like no other."""
        return self.by_reference.get(sub.reference)

    @property
    def grouped(self) -> int:
        """How many submissions are in a group."""
        return sum(len(g.members) for g in self.groups)


def find_likeness(submissions: Sequence[Submission], document_text: DocumentText) -> Likeness:
    """Group the submissions and describe each group (see the module's doc)."""
    texts = [comparable_text(sub, document_text) for sub in submissions]
    groups: list[SimilarGroup] = []
    for number, indices in enumerate(group_similar(texts), start=1):
        members = [submissions[i] for i in indices]
        member_texts = [texts[i] for i in indices]
        shared_at = _most_typical(prepare(member_texts))
        shared_text = member_texts[shared_at]
        changes = {
            sub.reference: describe_changes(shared_text, text)
            for sub, text in zip(members, member_texts, strict=True)
        }
        groups.append(SimilarGroup(number, members, members[shared_at], changes))
    by_reference = {sub.reference: g for g in groups for sub in g.members}
    return Likeness(groups, by_reference)


def _most_typical(prepared: list[Shingled]) -> int:
    """The member with most of the group's common passages and fewest passages of its own."""
    counts = Counter(s for item in prepared for s in item.shingles)
    half = len(prepared) / 2

    def score(item: Shingled) -> int:
        common = sum(1 for s in item.shingles if counts[s] > half)
        return common - (len(item.shingles) - common)

    return max(range(len(prepared)), key=lambda i: (score(prepared[i]), -i))


def describe_changes(shared: str, text: str) -> str:
    """What ``text`` changed in ``shared``, word by word, as a short Norwegian list."""
    old, new = shared.split(), text.split()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    changes: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        before, after = _quote(old[a1:a2]), _quote(new[b1:b2])
        if op == "replace":
            changes.append(f"byttet {before} med {after}")
        elif op == "insert":
            changes.append(f"la til {after}")
        elif op == "delete":
            changes.append(f"tok bort {before}")
    if not changes:
        return "Ingen endringer."
    shown = "; ".join(changes[:MAX_CHANGES])
    more = len(changes) - MAX_CHANGES
    return shown[0].upper() + shown[1:] + (f"; og {more} endringer til." if more > 0 else ".")


def _quote(words: Sequence[str]) -> str:
    text = " ".join(words)
    if len(text) > MAX_QUOTE:
        text = text[: MAX_QUOTE - 1].rstrip() + "…"
    return f"«{text}»"
