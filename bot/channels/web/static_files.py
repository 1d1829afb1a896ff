"""Our own script and style sheet, served from memory under versioned addresses.

Nothing is loaded from another host. Each file's address carries a hash of its content
(``/static/chat.js?v=…``), so browsers may keep it for a year and still get a new version
the moment it changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.channels.web.page_shell import Assets

FILES = {"chat.js": "text/javascript", "chat.css": "text/css"}
"""The files under ``static/`` and their types; nothing else is served from there."""
YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class StaticFile:
    """One file's bytes, type and content hash."""

    body: bytes
    content_type: str
    version: str


def load_static() -> dict[str, StaticFile]:
    """Read every file once, at start-up."""
    folder = resources.files("bot.channels.web") / "static"
    loaded = {}
    for name, content_type in FILES.items():
        body = (folder / name).read_bytes()
        loaded[name] = StaticFile(body, content_type, hashlib.sha256(body).hexdigest()[:12])
    return loaded


def assets_of(files: dict[str, StaticFile]) -> Assets:
    """The versioned addresses pages link to."""
    return Assets(
        script=f"/static/chat.js?v={files['chat.js'].version}",
        style=f"/static/chat.css?v={files['chat.css'].version}",
    )


def static_handler(files: dict[str, StaticFile]) -> Handler:
    """``GET /static/{name}``: a known file, cached for a year when its version matches."""

    async def serve(request: web.Request) -> web.StreamResponse:
        found = files.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound()
        etag = f'"{found.version}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        fresh = request.query.get("v") == found.version
        cache = f"public, max-age={YEAR}, immutable" if fresh else "no-cache"
        return web.Response(
            body=found.body,
            content_type=found.content_type,
            charset="utf-8",
            headers={"ETag": etag, "Cache-Control": cache},
        )

    return serve
