"""A browser without JavaScript, for tests that read like a person: open, press, type, upload.

It keeps cookies, posts forms the way a browser does (hidden fields, the pressed button's
name and value) and follows the redirect to the page, so a test sees exactly what a person
without JavaScript sees.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from tests.channels.web.page_reader import Page, read_page


class PlainBrowser:
    """One browser (one cookie jar) on the web chat."""

    def __init__(self, client: TestClient[Any, Any], *, headers: dict[str, str] | None = None):
        self.client = client
        self.headers = headers or {}
        self.page = Page()
        self.html = ""
        self.status = 0
        self.response_headers: dict[str, str] = {}

    async def open(self, path: str = "/") -> Page:
        """Load a page."""
        async with self.client.get(path, headers=self.headers) as response:
            await self._read(response)
        return self.page

    async def _read(self, response: aiohttp.ClientResponse) -> None:
        self.status = response.status
        self.response_headers = dict(response.headers)
        self.html = await response.text()
        self.page = read_page(self.html)

    async def submit(self, action: str, fields: dict[str, Any], *, multipart: bool = False) -> Page:
        """Post a form of the current page (its hidden fields added) and follow the redirect."""
        form = self.page.form(action)
        data: dict[str, Any] = {**form.hidden, **fields}
        body: Any = data
        if multipart:
            body = aiohttp.FormData()
            for name, value in data.items():
                if isinstance(value, tuple):
                    file_name, content, content_type = value
                    body.add_field(name, content, filename=file_name, content_type=content_type)
                else:
                    body.add_field(name, value)
        async with self.client.post(action, data=body, headers=self.headers) as response:
            await self._read(response)
        return self.page

    async def press(self, label: str) -> Page:
        """Press the button whose label contains ``label``."""
        form, button = self.page.button(label)
        return await self.submit(form.action, {button.name: button.value})

    async def type(self, text: str) -> Page:
        """Write ``text`` in the answer field and press «Send»."""
        return await self.submit("/svar", {"tekst": text})

    async def upload(self, file_name: str, content: bytes, content_type: str) -> Page:
        """Choose one file and press «Last opp»."""
        return await self.submit(
            "/vedlegg", {"dokument": (file_name, content, content_type)}, multipart=True
        )

    @property
    def cookie(self) -> str | None:
        """The value of the visitor cookie, if the browser has one."""
        for cookie in self.client.session.cookie_jar:
            if cookie.key == "innspill":
                return cookie.value
        return None
