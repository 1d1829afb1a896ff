"""Person-typed text made safe for an e-mail body: line breaks normalised, controls dropped."""

from __future__ import annotations

import re

_BODY_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BODY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean_body_text(value: str) -> str:
    """Normalise line breaks to newlines and drop control characters; keep everything else."""
    text = _BODY_BREAKS.sub("\n", value)
    return _BODY_CONTROLS.sub("", text).replace("\t", "    ").strip()


def one_line(value: str) -> str:
    """A value shown on a ``Label: value`` line (names, organisation, …)."""
    return " ".join(clean_body_text(value).split())
