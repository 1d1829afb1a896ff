"""How big the ministry's e-mail gets once encoded, for the size limit (issue #11).

Mail servers limit the size of the message as sent, not of the documents on disk: base64
turns every 3 bytes of a document into 4 characters plus a line break every 76, so a 19 MB
upload becomes a 26 MB e-mail, over the common 25 MB relay limit. These pure functions give an
upper bound of the encoded size, and its inverse: how many bytes of documents still fit.
"""

from __future__ import annotations

from collections.abc import Sequence

BASE64_LINE = 76
"""Characters per base64 line in a MIME part (RFC 2045), each followed by CRLF."""
MESSAGE_OVERHEAD = 16 * 1024
"""Headers, MIME boundaries, the fixed texts and the respondent's details (names are short)."""
PART_OVERHEAD = 512
"""One attachment's part headers: type, disposition with an encoded file name, boundary."""
TEXT_FACTOR = 13
"""Encoded bytes per byte of answer text, at worst: the plain text in quoted-printable (3x),
the HTML alternative escaped then quoted-printable (6x), the JSON copy escaped then base64
(under 3x), and soft line breaks. Ordinary text takes far less; this is a bound."""


def base64_size(size: int) -> int:
    """Bytes a document of ``size`` bytes takes in base64 with CRLF-ended 76-character lines."""
    chars = 4 * ((size + 2) // 3)
    lines = (chars + BASE64_LINE - 1) // BASE64_LINE
    return chars + 2 * lines


def encoded_mail_size(attachment_sizes: Sequence[int], *, text_bytes: int = 0) -> int:
    """An upper bound of the encoded ministry e-mail for documents of these sizes.

    Args:
        attachment_sizes: The size in bytes of each document, as stored.
        text_bytes: UTF-8 bytes of everything the person wrote (answers, names).
    """
    documents = sum(base64_size(size) + PART_OVERHEAD for size in attachment_sizes)
    return MESSAGE_OVERHEAD + TEXT_FACTOR * text_bytes + documents


def attachment_allowance(max_mail_bytes: int, *, text_bytes: int = 0, count: int = 1) -> int:
    """The most bytes of documents, in ``count`` files, whose e-mail stays within the limit.

    The inverse of :func:`encoded_mail_size`, found by bisection (the size only grows with
    the documents). Zero when even the text alone would not fit.
    """
    count = max(count, 1)

    def fits(total: int) -> bool:
        # Splitting the bytes over several files costs at most one base64 group per file.
        return (
            encoded_mail_size([total], text_bytes=text_bytes) + (count - 1) * (PART_OVERHEAD + 8)
            <= max_mail_bytes
        )

    if not fits(0):
        return 0
    low, high = 0, max_mail_bytes
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
