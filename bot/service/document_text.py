"""Plain text from an uploaded document, so the personal-data check can read it too.

Uploads come from strangers: a file may be broken, huge or hostile. Every reader here is
bounded (pages, paragraphs, characters) and never raises; a file it cannot read gives None,
and the caller then treats the document as unread rather than as clean.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

log = logging.getLogger(__name__)

MAX_CHARS = 200_000
"""Enough for a long submission (about 60 pages); the rest is not read."""
MAX_PDF_PAGES = 100
MAX_XML_PART = 10_000_000
"""Largest unpacked XML part of a DOCX/ODT we parse; a 60-page text is about 1 MB."""
MAX_UNPACKED = 60_000_000
"""Largest DOCX/ODT, unpacked, we open (the libraries load every part, images too)."""

_TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def extract_text(data: bytes, kind: str) -> str | None:
    """The document's text (at most MAX_CHARS), or None when it cannot be read.

    Args:
        data: the file as uploaded.
        kind: "txt", "pdf", "docx" or "odt" (a file suffix or MIME subtype is fine too).
    """
    reader = _READERS.get(_normalise(kind))
    if reader is None:
        return None
    try:
        text = reader(data)
    except Exception as exc:  # A broken upload must not break the conversation.
        log.info("could not read a %s document: %s", kind, type(exc).__name__)
        return None
    return None if text is None else text[:MAX_CHARS]


def _normalise(kind: str) -> str:
    kind = kind.lower().strip().rsplit("/", 1)[-1].lstrip(".")
    return {
        "plain": "txt",
        "text": "txt",
        "vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "vnd.oasis.opendocument.text": "odt",
    }.get(kind, kind)


def _txt(data: bytes) -> str:
    """UTF-8 first (with or without BOM); then Windows' and ISO's Western European sets."""
    data = data[: MAX_CHARS * 4]
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", errors="replace")  # Unreachable: latin-1 maps every byte.


def _pdf(data: bytes) -> str | None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # Many PDFs are "encrypted" with an empty password just to set permissions; others need
    # a password we do not have, and are unread rather than clean.
    if reader.is_encrypted and not reader.decrypt(""):
        return None
    pages = range(min(len(reader.pages), MAX_PDF_PAGES))
    return _joined(reader.pages[i].extract_text() or "" for i in pages)


def _docx(data: bytes) -> str | None:
    if not _zip_is_safe(data):
        return None
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return _joined(parts)


def _odt(data: bytes) -> str | None:
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


def _joined(parts: Iterable[str]) -> str:
    """Parts joined by newlines, stopping once MAX_CHARS is reached."""
    out: list[str] = []
    size = 0
    for part in parts:
        out.append(part)
        size += len(part) + 1
        if size >= MAX_CHARS:
            break
    return "\n".join(out)


_READERS: dict[str, Callable[[bytes], str | None]] = {
    "txt": _txt,
    "pdf": _pdf,
    "docx": _docx,
    "odt": _odt,
}
