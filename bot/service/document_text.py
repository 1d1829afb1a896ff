"""Plain text from an uploaded document, for the personal-data check and for staff.

Uploads come from strangers: a file may be broken, huge or hostile. Every reader here is
bounded (pages, paragraphs, characters) and never raises; a file it cannot read gives None,
and the caller then treats the document as unread rather than as clean.

The same text is kept with the attachment (:func:`read_document`), so staff read what an
organisation uploaded in the compilation and the export. It is cut where reading stops:
after :data:`MAX_CHARS` characters or :data:`MAX_PDF_PAGES` pages, and the state says so.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

log = logging.getLogger(__name__)

MAX_CHARS = 200_000
"""Enough for a long submission (about 60 pages); the rest is not read."""
MAX_PDF_PAGES = 100
MAX_XML_PART = 10_000_000
"""Largest unpacked XML part of a DOCX/ODT we parse; a 60-page text is about 1 MB."""
MAX_UNPACKED = 60_000_000
"""Largest DOCX/ODT, unpacked, we open (the libraries load every part, images too)."""

_TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

TextState = Literal["read", "cut", "empty", "unreadable"]
"""What reading gave: all the text, the text up to a limit, no text at all (a scanned PDF,
a document of only pictures), or nothing because the file could not be read."""


@dataclass(frozen=True)
class DocumentText:
    """A document's text (``None`` unless some was found) and how reading went."""

    text: str | None
    state: TextState


def read_document(data: bytes, kind: str) -> DocumentText:
    """The document's text (at most MAX_CHARS) and whether it is whole, cut, empty or unread.

    Args:
        data: the file as uploaded.
        kind: "txt", "pdf", "docx" or "odt" (a file suffix or MIME subtype is fine too).
    """
    reader = _READERS.get(_normalise(kind))
    if reader is None:
        return DocumentText(None, "unreadable")
    try:
        found = reader(data)
    except Exception as exc:  # A broken upload must not break the conversation.
        log.info("could not read a %s document: %s", kind, type(exc).__name__)
        return DocumentText(None, "unreadable")
    if found is None:
        return DocumentText(None, "unreadable")
    text, cut = found
    if not text.strip():
        return DocumentText(None, "empty")
    cut = cut or len(text) > MAX_CHARS
    return DocumentText(text[:MAX_CHARS], "cut" if cut else "read")


def extract_text(data: bytes, kind: str) -> str | None:
    """The document's text (at most MAX_CHARS), or None when it cannot be read.

    A document without text (a scanned PDF) gives ``""``: read, and nothing in it.
    """
    found = read_document(data, kind)
    return "" if found.state == "empty" else found.text


def _normalise(kind: str) -> str:
    kind = kind.lower().strip().rsplit("/", 1)[-1].lstrip(".")
    return {
        "plain": "txt",
        "text": "txt",
        "vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "vnd.oasis.opendocument.text": "odt",
    }.get(kind, kind)


Found = tuple[str, bool] | None
"""A reader's result: the text and whether it stopped at a limit; None if unreadable."""


def _txt(data: bytes) -> Found:
    """UTF-8 first (with or without BOM); then Windows' and ISO's Western European sets."""
    cut = len(data) > MAX_CHARS * 4
    data = data[: MAX_CHARS * 4]
    # A cut may split the last UTF-8 character: try without its last bytes before giving up.
    tails = (0, 1, 2, 3) if cut else (0,)
    for encoding in _TEXT_ENCODINGS:
        for tail in tails:
            try:
                return data[: len(data) - tail].decode(encoding), cut
            except UnicodeDecodeError:
                continue
    return data.decode("latin-1", errors="replace"), cut  # Unreachable: latin-1 maps every byte.


def _pdf(data: bytes) -> Found:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # Many PDFs are "encrypted" with an empty password just to set permissions; others need
    # a password we do not have, and are unread rather than clean.
    if reader.is_encrypted and not reader.decrypt(""):
        return None
    pages = range(min(len(reader.pages), MAX_PDF_PAGES))
    text, cut = _joined(reader.pages[i].extract_text() or "" for i in pages)
    return text, cut or len(reader.pages) > MAX_PDF_PAGES


def _docx(data: bytes) -> Found:
    if not _zip_is_safe(data):
        return None
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return _joined(parts)


def _odt(data: bytes) -> Found:
    if not _zip_is_safe(data):
        return None
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    paragraphs = {(TEXTNS, "p"), (TEXTNS, "h")}

    def walk(node: Any) -> Iterator[str]:
        """Headings and paragraphs in reading order, also inside lists, tables and frames."""
        for child in getattr(node, "childNodes", ()):
            if getattr(child, "qname", None) in paragraphs:
                yield teletype.extractText(child)
            else:
                yield from walk(child)

    return _joined(walk(load(io.BytesIO(data)).text))


def _zip_is_safe(data: bytes) -> bool:
    """A DOCX or ODT is a zip: refuse a zip bomb before a library unpacks it into memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        return False
    return all(part.file_size <= MAX_XML_PART for part in parts if part.filename.endswith(".xml"))


def _joined(parts: Iterable[str]) -> tuple[str, bool]:
    """Parts joined by newlines, stopping once MAX_CHARS is reached (and saying so)."""
    out: list[str] = []
    size = 0
    for part in parts:
        out.append(part)
        size += len(part) + 1
        if size > MAX_CHARS:
            return "\n".join(out), True
    return "\n".join(out), False


_READERS: dict[str, Callable[[bytes], Found]] = {
    "txt": _txt,
    "pdf": _pdf,
    "docx": _docx,
    "odt": _odt,
}
