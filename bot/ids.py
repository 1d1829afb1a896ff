"""Random ids: drafts (which become reference numbers) and stored attachments."""

from __future__ import annotations

import secrets

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id(length: int = 10) -> str:
    """A random id in Crockford base32 (no I, L, O, U): easy to read aloud and retype."""
    return "".join(secrets.choice(_CROCKFORD) for _ in range(length))
