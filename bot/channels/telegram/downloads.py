"""Documents people send: downloaded for the upload pipeline, or why not.

A file over the Bot API's download limit (20 MB, more with a self-hosted server) is never
fetched; a failed download is reported to the conversation as such, so the person is told.
"""

from __future__ import annotations

import logging

from telegram import Bot, Document
from telegram.error import BadRequest, TelegramError

from bot.conversation.events import DocumentProblem
from bot.service.uploads import IncomingFile

log = logging.getLogger(__name__)

FALLBACK_FILE_NAME = "dokument"


async def download(bot: Bot, limit: int, document: Document) -> IncomingFile:
    """Download a document unless it is larger than ``limit`` (the Bot API's: 20 MB)."""
    name = document.file_name or FALLBACK_FILE_NAME
    size = document.file_size or 0
    if size > limit:
        return IncomingFile(name, document.mime_type, size, None, "too_large")
    try:
        file = await bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray(read_timeout=120))
    except BadRequest as error:
        problem: DocumentProblem = (
            "too_large" if "too big" in error.message.lower() else "download_failed"
        )
        log.info("could not download a document: %s", error)
        return IncomingFile(name, document.mime_type, size, None, problem)
    except TelegramError as error:
        log.warning("could not download a document: %s", error)
        return IncomingFile(name, document.mime_type, size, None, "download_failed")
    if len(data) > limit:
        return IncomingFile(name, document.mime_type, len(data), None, "too_large")
    return IncomingFile(name, document.mime_type, len(data), data)
