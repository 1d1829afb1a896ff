"""Who is who on the web: a random token in a cookie, the person's key, CSRF tokens, resume codes.

A visitor's cookie holds 32 random bytes. Everything else is derived from it, so nothing is
stored for a person who only looks: their key is ``web:`` and a hash of the token (the token
itself, the credential, is never stored or logged), the CSRF token of their forms is an HMAC
of it, and so is their resume code. Only a device that joined with a resume code has a row
(:class:`bot.storage.web_visitors.WebVisitors`), mapping its token's hash to the person.

Resume codes are 10 characters from 31 that cannot be mistaken for each other (no 0/O, 1/I/L):
about 2^49 codes. Wrong guesses are limited per client address and in all (see
:mod:`bot.channels.web.throttle`), so guessing any one of even 100,000 people's codes takes
longer than a consultation lasts by many orders of magnitude.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from bot.service.user_keys import web_user_key
from bot.storage.web_visitors import WebVisitors

COOKIE = "innspill"
TOKEN_BYTES = 32
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
"""32 bytes in URL-safe base64 without padding."""

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_KNOWN_DEVICES = 20_000
"""Tokens whose person is remembered in memory (a miss costs one database read)."""


def new_token() -> str:
    """A fresh visitor token for a cookie."""
    return base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).rstrip(b"=").decode()


def valid_token(value: str | None) -> str | None:
    """The token if ``value`` looks like one we made, else ``None`` (a new visitor)."""
    return value if value is not None and _TOKEN.match(value) else None


def _mac(token: str, purpose: bytes) -> bytes:
    return hmac.new(token.encode(), purpose, hashlib.sha256).digest()


def token_hash(token: str) -> str:
    """What is stored for a second device: a hash, never the token."""
    return hashlib.sha256(b"innspill-web-device:" + token.encode()).hexdigest()


def own_key(token: str) -> str:
    """The person a token stands for when it is their first device."""
    digest = hashlib.sha256(b"innspill-web-person:" + token.encode()).digest()
    return web_user_key(base64.b32encode(digest).decode()[:26].lower())


def csrf_token(token: str) -> str:
    """The CSRF token of this visitor's forms: only a page the visitor loaded has it."""
    return base64.urlsafe_b64encode(_mac(token, b"csrf")[:18]).decode()


def csrf_matches(token: str, sent: str | None) -> bool:
    """Whether a posted form carries this visitor's CSRF token (in constant time)."""
    return sent is not None and hmac.compare_digest(csrf_token(token), sent)


def resume_code(token: str) -> str:
    """The visitor's resume code, ``XXXXX-XXXXX``."""
    number = int.from_bytes(_mac(token, b"resume")[:10])
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    code = "".join(chars)
    return f"{code[:5]}-{code[5:]}"


def normal_code(typed: str) -> str | None:
    """A typed resume code as we store it, or ``None`` when it cannot be one.

    Case, spaces and dashes do not matter, so people may type it as they read it.
    """
    cleaned = re.sub(r"[\s\-–]", "", typed).upper()
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return f"{cleaned[:5]}-{cleaned[5:]}"


def code_hash(code: str) -> str:
    """What is stored of a resume code."""
    return hashlib.sha256(b"innspill-web-resume:" + code.encode()).hexdigest()


@dataclass(frozen=True)
class Visitor:
    """One browser: its token (from the cookie or new) and the person it acts as."""

    token: str
    user_key: str
    new: bool
    """No valid cookie came with the request: the response sets one."""

    @cached_property
    def csrf(self) -> str:
        """The CSRF token to put in this visitor's forms."""
        return csrf_token(self.token)

    @cached_property
    def resume_code(self) -> str:
        """The code this visitor can type on another device."""
        return resume_code(self.token)


class VisitorBook:
    """Finds the person behind a token, and joins devices by resume code."""

    def __init__(self, store: WebVisitors) -> None:
        """Use the store's web visitor tables."""
        self._store = store
        self._owners: OrderedDict[str, str] = OrderedDict()
        self._registered: set[str] = set()

    async def visitor(self, cookie: str | None) -> Visitor:
        """The visitor a request's cookie names, or a new one."""
        token = valid_token(cookie)
        if token is None:
            token = new_token()
            return Visitor(token, own_key(token), new=True)
        owner = self._owners.get(token)
        if owner is None:
            owner = await self._store.device_owner(token_hash(token)) or own_key(token)
            self._owners[token] = owner
            if len(self._owners) > _KNOWN_DEVICES:
                self._owners.popitem(last=False)
        else:
            self._owners.move_to_end(token)
        return Visitor(token, owner, new=False)

    async def register_code(self, visitor: Visitor, at: datetime) -> None:
        """Make the visitor's resume code work (once per process and visitor)."""
        if visitor.token in self._registered:
            return
        await self._store.register_code(code_hash(visitor.resume_code), visitor.user_key, at)
        self._registered.add(visitor.token)
        if len(self._registered) > _KNOWN_DEVICES:
            self._registered.clear()  # re-registering is a harmless INSERT OR IGNORE

    def has_code(self, visitor: Visitor) -> bool:
        """Whether the visitor's resume code was registered by this process."""
        return visitor.token in self._registered

    async def join(self, visitor: Visitor, typed: str, at: datetime) -> str | None:
        """Let this device continue as the owner of ``typed``; the owner's key, or ``None``."""
        code = normal_code(typed)
        if code is None:
            return None
        owner = await self._store.code_owner(code_hash(code))
        if owner is None:
            return None
        await self._store.add_device(token_hash(visitor.token), owner, at)
        self._owners[visitor.token] = owner
        self._registered.discard(visitor.token)
        return owner

    def forget(self, user_key: str) -> None:
        """The person's data was deleted (their device rows with it): forget them here too."""
        for token in [t for t, owner in self._owners.items() if owner == user_key]:
            del self._owners[token]
            self._registered.discard(token)
