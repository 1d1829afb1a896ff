"""Uploaded files, read before the conversation sees them: what they are, and their text.

Which documents a draft takes is the engine's rule; what a file's bytes are (its type by
content, a safe name, the text for the personal-data check) is read here, off the event loop,
because parsing a stranger's PDF is neither pure nor quick.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.conversation.events import DocumentProblem, IncomingDocument
from bot.service.document_text import DocumentText, read_document
from bot.service.file_types import Sniffed, safe_file_name, sniff_document


@dataclass(frozen=True)
class IncomingFile:
    """A file as a front end received it; ``data`` is ``None`` when it was not downloaded."""

    file_name: str
    mime_type: str | None
    size: int
    data: bytes | None
    problem: DocumentProblem | None = None


@dataclass(frozen=True)
class Accepted:
    """A file whose content is a document we take; stored with the step that accepts it."""

    id: str
    file_name: str
    sniffed: Sniffed
    data: bytes
    text: DocumentText
    """Kept with the document, so staff can read it without opening the file."""
    sha256: str
    """Lets staff (and the JSON export) tell the document apart from any other copy."""


def _read(data: bytes, kind: str) -> tuple[DocumentText, str]:
    """The text and the checksum, in one trip off the event loop."""
    return read_document(data, kind), hashlib.sha256(data).hexdigest()


async def read_uploads(
    files: Sequence[IncomingFile], make_id: Callable[[], str]
) -> tuple[list[IncomingDocument], list[Accepted]]:
    """What the engine is told about each file, and the files to store with the step."""
    documents: list[IncomingDocument] = []
    accepted: list[Accepted] = []
    for file in files:
        data = file.data if file.problem is None else None
        sniffed = sniff_document(data, file.file_name) if data is not None else None
        if data is None or sniffed is None:
            problem = file.problem or ("download_failed" if data is None else "unsupported_type")
            documents.append(
                IncomingDocument(
                    file_name=file.file_name,
                    mime_type=file.mime_type or "application/octet-stream",
                    size=len(data) if data is not None else file.size,
                    problem=problem,
                )
            )
            continue
        text, sha256 = await asyncio.to_thread(_read, data, sniffed.kind)
        name = safe_file_name(file.file_name, sniffed.kind)
        kept = Accepted(make_id(), name, sniffed, data, text, sha256)
        accepted.append(kept)
        documents.append(
            IncomingDocument(
                file_name=kept.file_name,
                mime_type=sniffed.mime_type,
                size=len(data),
                attachment_id=kept.id,
                text="" if text.state == "empty" else text.text,
            )
        )
    return documents, accepted
