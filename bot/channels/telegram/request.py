"""python-telegram-bot's HTTP layer on aiohttp: one pooled session, kept-alive connections.

PTB's default ``HTTPXRequest`` spends a large share of the bot's CPU in httpx/httpcore (27 %
in a profile under load). aiohttp's client does the same job with less Python per request
(``bench/request_cpu.py`` measures both). Requests are sent the way PTB's own class sends
them: form fields, multipart when files are attached, so any Bot API server accepts them.

Only PTB's public API is used: ``BaseRequest``, ``RequestData``'s documented properties and
the error classes. A failure says whether the request can have reached Telegram: only one that
surely did not (:class:`NotSent`) may be repeated without the risk of a person getting the
same message twice, since the Bot API has no idempotency key.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

import aiohttp
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)


class NotSent(NetworkError):
    """The request never reached the server (no connection, or none free): safe to repeat."""


class Unanswered(NetworkError):
    """The request went out but no answer came (the connection broke): it may have arrived."""


def _seconds(value: object, default: float | None) -> float | None:
    """A timeout PTB passed: a number, ``None`` (no limit), or its "use the default" marker."""
    if value is None or isinstance(value, int | float):
        return value
    return default


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` on one ``aiohttp.ClientSession`` with a bounded connection pool.

    aiohttp has no write timeout of its own; ``write_timeout`` is accepted for PTB's sake and
    bounds nothing (the read timeout still ends a stalled request).
    """

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        """Set the pool size and default timeouts (seconds), as ``HTTPXRequest`` takes them."""
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout; PTB adds the long-poll timeout to it for ``getUpdates``."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (inside the running event loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, keepalive_timeout=60)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one HTTP request; PTB turns the status and body into a result or an error."""
        return await self._send(
            method,
            url,
            _body(request_data),
            read=_seconds(read_timeout, self._read_timeout),
            connect=_seconds(connect_timeout, self._connect_timeout),
            pool=_seconds(pool_timeout, self._pool_timeout),
        )

    async def call_raw(self, url: str, fields: dict[str, str], *, read_timeout: float) -> Any:
        """A Bot API call whose result comes back as Telegram's JSON, not decoded into objects.

        For ``getUpdates``: an update is decoded when its turn comes, so neither a flood nor
        one malformed update holds up the batch. Errors are raised as PTB raises them.
        """
        status, body = await self._send(
            "POST",
            url,
            fields,
            read=read_timeout,
            connect=self._connect_timeout,
            pool=self._pool_timeout,
        )
        try:
            payload: Any = json.loads(body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise NetworkError(f"the Bot API answered HTTP {status} without JSON")
        if HTTPStatus.OK <= status <= 299 and payload.get("ok"):
            return payload.get("result")
        raise _error(status, payload)

    async def _send(
        self,
        method: str,
        url: str,
        data: aiohttp.FormData | dict[str, str] | None,
        *,
        read: float | None,
        connect: float | None,
        pool: float | None,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(
            # ``connect`` covers the wait for a free pooled connection plus connecting.
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:  # before TimeoutError: it is one
            raise NotSent("aiohttp: no connection in time") from error
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # The URL carries the bot token: never let it into the message.
            detail = f"aiohttp.{error.__class__.__name__}: {str(error).replace(url, '<URL>')}"
            if isinstance(error, aiohttp.ClientConnectorError):
                raise NotSent(detail) from error
            raise Unanswered(detail) from error


def _error(status: int, payload: dict[str, Any]) -> Exception:
    """What PTB raises for a refused ``getUpdates`` (see ``BaseRequest``'s own mapping)."""
    description = str(payload.get("description") or f"HTTP {status}")
    parameters = payload.get("parameters")
    if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), int):
        return RetryAfter(parameters["retry_after"])
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.NOT_FOUND):
        return InvalidToken(description)
    if status == HTTPStatus.CONFLICT:
        return Conflict(description)
    return NetworkError(f"{description} ({status})")


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields, or a multipart form when files are attached (as PTB's httpx class does)."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data if request_data.contains_files else None
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
