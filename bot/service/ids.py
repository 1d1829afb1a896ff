"""Random ids: drafts (which become reference numbers) and stored attachments."""

from __future__ import annotations

import secrets

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id(length: int = 10) -> str:
    """A random id in Crockford base32 (no I, L, O, U): easy to read aloud and retype."""
    # 256 is a multiple of 32, so each random byte's low five bits pick a letter uniformly;
    # one call for all of them (this runs on every step, for a possible new draft).
    return "".join(_CROCKFORD[byte & 31] for byte in secrets.token_bytes(length))
