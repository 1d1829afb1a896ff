"""Errors storage raises that callers are expected to handle."""

from __future__ import annotations


class StorageError(Exception):
    """Base class for storage errors callers may want to catch."""


class StaleSessionError(StorageError):
    """The stored session changed since it was loaded; saving would lose an update."""


class DuplicateUpdateError(StorageError):
    """The front-end update was applied already (e.g. redelivered after a restart)."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of the bot than this one."""
