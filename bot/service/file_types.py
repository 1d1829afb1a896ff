"""What an uploaded file really is, judged by its content, and a name safe to pass on.

A file's name is chosen by the sender and proves nothing: a photo renamed ``innspill.pdf`` or a
spreadsheet renamed ``.docx`` must not reach the ministry as a document. We accept PDF, DOCX, ODT
and plain text, recognise them by their bytes, and never decompress a ZIP archive (only its
central directory and, for ODT, a few bytes of the stored ``mimetype`` member), so a zip bomb
costs nothing.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Literal

from bot.conversation.characters import remove_invisible

AcceptedKind = Literal["pdf", "docx", "odt", "txt"]

MIME_TYPES: dict[AcceptedKind, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
}
"""The canonical MIME type of each accepted kind, as the ministry's e-mail carries it."""

MAX_FILE_NAME_BYTES = 120
"""Longest file name we pass on, in UTF-8 bytes: far below every file system's 255."""

_PDF_HEADER = re.compile(rb"%PDF-[0-9]\.[0-9]")
_PDF_HEADER_WINDOW = 1024
"""PDF readers accept the header anywhere in the first 1024 bytes (ISO 32000, annex H)."""
_PDF_TAIL_WINDOW = 2048
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ODT_MIMETYPE = MIME_TYPES["odt"].encode("ascii")
_TEXT_EXTENSIONS = frozenset({"", ".txt", ".text", ".md", ".csv"})
_NOT_PRINTABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_NOT_PRINTABLE = 0.01
"""Share of control characters above which "text" is really binary read as some encoding."""
_UNSAFE_IN_NAME = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_FALLBACK_STEM = "vedlegg"


@dataclass(frozen=True)
class Sniffed:
    """What a file turned out to be."""

    kind: AcceptedKind
    mime_type: str
    """The canonical MIME type for ``kind`` (see ``MIME_TYPES``)."""


def sniff_document(data: bytes, file_name: str) -> Sniffed | None:
    """Recognise an accepted document by its content.

    The name never makes a file acceptable on its own. It is only a supporting hint for text in
    an old 8-bit encoding (Windows-1252), which is less certainly text than valid UTF-8.

    Args:
        data: The whole file as received.
        file_name: The name the sender gave it.

    Returns:
        The kind and MIME type, or ``None`` for anything we do not accept (images, archives,
        spreadsheets, executables, empty files).
    """
    if not data.strip():
        return None
    if data.startswith(_ZIP_LOCAL_HEADER):
        kind = _sniff_zip(data)
    elif _looks_like_pdf(data):
        kind = "pdf"
    elif _looks_like_text(data, file_name):
        kind = "txt"
    else:
        return None
    return None if kind is None else Sniffed(kind=kind, mime_type=MIME_TYPES[kind])


def _looks_like_pdf(data: bytes) -> bool:
    """A PDF header at the start, or a little later after some text and with a PDF ending.

    The second case admits what mail gateways and editors sometimes put in front of a PDF, but
    not a text that merely mentions ``%PDF-1.7`` nor an image with a PDF hidden inside.
    """
    header = _PDF_HEADER.search(data, 0, _PDF_HEADER_WINDOW)
    if header is None:
        return False
    if header.start() == 0:
        return True
    return b"\x00" not in data[: header.start()] and b"%%EOF" in data[-_PDF_TAIL_WINDOW:]


def _sniff_zip(data: bytes) -> AcceptedKind | None:
    """ODT or DOCX judged from the archive's directory; anything else in a ZIP is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if not members:
                return None
            first = members[0]
            if first.filename == "mimetype":
                if first.file_size > len(_ODT_MIMETYPE) or first.compress_size > 256:
                    return None
                with archive.open(first) as member:
                    content = member.read(len(_ODT_MIMETYPE) + 1)
                return "odt" if content == _ODT_MIMETYPE else None
            names = {member.filename for member in members}
    except (
        zipfile.BadZipFile,
        zlib.error,
        struct.error,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ):
        # Damaged, encrypted or using a compression method we cannot read: not a document we
        # could pass on anyway.
        return None
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # A macro-enabled Word file (.docm) renamed .docx.
    return "docx"


def _looks_like_text(data: bytes, file_name: str) -> bool:
    """Plain text: no NUL bytes, readable as UTF-8 (or Windows-1252 when named as text)."""
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if _extension(file_name) not in _TEXT_EXTENSIONS:
            return False
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return False
    if not text.strip() or text.lstrip().startswith("{\\rtf"):
        return False  # Blank, or RTF: text on the outside but a word processor's format.
    not_printable = sum(1 for _ in _NOT_PRINTABLE.finditer(text))
    return not_printable <= _MAX_NOT_PRINTABLE * len(text)


def _extension(file_name: str) -> str:
    """The lower-cased extension of the last path component, with its dot, or ``""``."""
    base = re.split(r"[/\\]", file_name)[-1]
    stem, dot, ext = base.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


def safe_file_name(name: str, kind: AcceptedKind) -> str:
    """A file name that is safe in a mail header, on staff's disks and true to the content.

    Paths, control and invisible formatting characters (which can fake an extension, as
    ``U+202E`` does), line breaks and characters Windows forbids are removed; the name is
    shortened to ``MAX_FILE_NAME_BYTES`` keeping the extension, and ends with the extension of
    the sniffed kind (appended when the name has another one, so nothing is hidden).

    Args:
        name: The name the sender gave the file.
        kind: What the content turned out to be.

    Returns:
        A non-empty name such as ``Innspill fra Harstad kommune.pdf`` or ``vedlegg.pdf``.
    """
    base = re.split(r"[/\\]", name)[-1]
    chars: list[str] = []
    for char in remove_invisible(unicodedata.normalize("NFC", base)):
        category = unicodedata.category(char)
        if category == "Cc" or category.startswith("Z"):  # Includes CR, LF, NUL, U+2028/9.
            chars.append(" ")
        elif not category.startswith("C") or category == "Cf":  # Cf left: inside an emoji
            chars.append(char)
    cleaned = " ".join(_UNSAFE_IN_NAME.sub("_", "".join(chars)).split())

    extension = f".{kind}"
    if cleaned.lower().endswith(extension):
        stem, extension = cleaned[: -len(extension)], cleaned[-len(extension) :]
    else:
        stem = cleaned
    stem = stem.strip(" .")
    if not stem or stem.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        stem = _FALLBACK_STEM

    budget = MAX_FILE_NAME_BYTES - len(extension.encode("utf-8"))
    stem = stem[:budget]
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(" .") or _FALLBACK_STEM
    return stem + extension
