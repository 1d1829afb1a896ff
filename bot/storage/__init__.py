"""Storage: sessions, documents, submissions and the outbox in one SQLite file.

Only this package talks SQL; the service sees it through :class:`SessionStore`, the outbox
worker through its own ``OutboxStore``, and staff commands call :class:`Store` directly.
"""

from bot.storage.errors import (
    DuplicateUpdateError,
    SchemaTooNewError,
    StaleSessionError,
    StorageError,
)
from bot.storage.protocols import SessionStore
from bot.storage.repo import Store
from bot.storage.types import (
    DeletionReport,
    NewAttachment,
    OutboxItem,
    OutboxKind,
    OutboxRecord,
    OutboxStatus,
)

__all__ = [
    "DeletionReport",
    "DuplicateUpdateError",
    "NewAttachment",
    "OutboxItem",
    "OutboxKind",
    "OutboxRecord",
    "OutboxStatus",
    "SchemaTooNewError",
    "SessionStore",
    "StaleSessionError",
    "StorageError",
    "Store",
]
