"""Storage: sessions, documents, submissions and the outbox in one SQLite file.

Only this package talks SQL; the service layer calls :class:`Store`.
"""

from bot.storage.errors import (
    DuplicateUpdateError,
    SchemaTooNewError,
    StaleSessionError,
    StorageError,
)
from bot.storage.repo import Store
from bot.storage.types import (
    DeletionReport,
    NewAttachment,
    OutboxItem,
    OutboxKind,
    OutboxRow,
    OutboxStatus,
)

__all__ = [
    "DeletionReport",
    "DuplicateUpdateError",
    "NewAttachment",
    "OutboxItem",
    "OutboxKind",
    "OutboxRow",
    "OutboxStatus",
    "SchemaTooNewError",
    "StaleSessionError",
    "StorageError",
    "Store",
]
