"""Invisible characters in what people type: removed without a trace, except inside emoji.

Text copied from web pages carries zero-width spaces and other format characters
(``O\u200bla`` looks like «Ola»); turned into spaces they split names («O la Nordmann»), so
they are removed instead. Bidirectional controls (which can make ``fdp.exe`` read as
``exe.pdf``) are removed too. A zero-width joiner, a variation selector and tag characters
*inside an emoji sequence* are kept: «👨‍👩‍👧» is one emoji only with its joiners. One rule for
names, organisation names, answers and file names.
"""

from __future__ import annotations

import unicodedata

ZERO_WIDTH_JOINER = "\u200d"
_TAG_RANGE = range(0xE0020, 0xE0080)
"""Tag characters: invisible, but part of subdivision flags such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿."""
_BLACK_FLAG = "\U0001f3f4"
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)
"""Skin tones: they follow an emoji and may stand before a joiner."""


def _is_pictograph(char: str) -> bool:
    """A character that can take part in an emoji sequence (a pictograph or symbol)."""
    point = ord(char)
    return (
        point >= 0x1F000
        or 0x2190 <= point <= 0x2BFF  # arrows, technical and miscellaneous symbols, dingbats
        or unicodedata.category(char) == "So"
    )


def _emoji_before(text: str, index: int) -> bool:
    """Whether an emoji ends right before ``index`` (skipping selectors and skin tones)."""
    position = index - 1
    while position >= 0 and (
        text[position] in "\ufe0e\ufe0f" or ord(text[position]) in _EMOJI_MODIFIERS
    ):
        position -= 1
    return position >= 0 and _is_pictograph(text[position])


def _keep(text: str, index: int) -> bool:
    """Whether the format character at ``index`` belongs to an emoji sequence."""
    char = text[index]
    if char == ZERO_WIDTH_JOINER:
        after = text[index + 1] if index + 1 < len(text) else ""
        return _emoji_before(text, index) and bool(after) and _is_pictograph(after)
    if ord(char) in _TAG_RANGE:
        start = index
        while start > 0 and ord(text[start - 1]) in _TAG_RANGE:
            start -= 1
        return start > 0 and text[start - 1] == _BLACK_FLAG
    return False


def remove_invisible(text: str) -> str:
    """``text`` without format characters (category Cf) outside emoji sequences.

    Nothing takes their place: a zero-width space between letters joins the letters again.
    Control characters and line breaks are left to the caller, which knows whether a line
    break belongs in the value.
    """
    if text.isascii():
        return text
    return "".join(
        char
        for index, char in enumerate(text)
        if unicodedata.category(char) != "Cf" or _keep(text, index)
    )
