"""A person in the web chat, for the kill scenario: a browser without JavaScript over HTTP.

It walks the guided path from whatever the page shows (after a crash: «Velkommen tilbake»
and the current question), giving every answer a new tagged text. An answer counts as
acknowledged only when the server answered its post with the page that says «Lagret» or
«Lagt til»; a post cut off by a kill is not acknowledged, and the person carries on from
the page the restarted server shows.
"""

from __future__ import annotations

import asyncio
import html
import re

import aiohttp

_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
_BUTTON = re.compile(
    r'<button type="submit" name="(\w+)" value="([^"]*)"([^>]*)>(.*?)</button>', re.S
)
_CURRENT = re.compile(r'<li class="msg bot current"[^>]*>(.*?)</li>', re.S)
_NEW = re.compile(r'<li class="msg bot[^"]*"[^>]*data-new>(.*?)</li>', re.S)
_TAG = re.compile(r"<[^>]+>")
_REFERENCE = re.compile(r"Referansenummer: (SMB-[A-Z0-9-]+)")


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


class WebVisitor:
    """One browser (one cookie) in the web chat."""

    def __init__(self, url: str, tag: str) -> None:
        self.url = url
        self.tag = tag
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=aiohttp.ClientTimeout(total=10)
        )
        self.page = ""
        self.acknowledged: list[str] = []
        self.reference: str | None = None
        self.actions = 0
        self.tries = 0
        self.themes = 0

    async def close(self) -> None:
        """Close the browser."""
        await self.session.close()

    @property
    def question(self) -> str:
        current = _CURRENT.search(self.page)
        return _text(current.group(1)) if current else ""

    def _buttons(self) -> list[tuple[str, dict[str, str], str, str]]:
        found = []
        for action, body in _FORM.findall(self.page):
            hidden = dict(_HIDDEN.findall(body))
            for name, value, attributes, label in _BUTTON.findall(body):
                found.append((action, {**hidden, name: value}, _text(label).strip(), attributes))
        return found

    async def _load(self, method: str, path: str, data: dict[str, str] | None = None) -> bool:
        """One request (following a redirect); False when the server was not there."""
        try:
            async with self.session.request(method, self.url + path, data=data) as answer:
                if answer.status != 200:
                    return False
                self.page = await answer.text()
                return True
        except (aiohttp.ClientError, TimeoutError, ConnectionError):
            return False

    async def open(self) -> bool:
        """Load the chat (after a crash: what the restarted server shows)."""
        return await self._load("GET", "/")

    async def _press(self, label: str) -> bool:
        for action, fields, shown, _attributes in self._buttons():
            if label in shown:
                return await self._load("POST", action, fields)
        raise AssertionError(f"{self.tag}: no button {label!r} at {self.question[:80]!r}")

    async def _type(self, text: str, *, tracked: bool) -> bool:
        hidden = dict(_HIDDEN.findall(self.page))
        done = await self._load("POST", "/svar", {**hidden, "tekst": text})
        new = " ".join(_text(m) for m in _NEW.findall(self.page)) if done else ""
        if done and tracked and ("Lagret" in new or "Lagt til" in new):
            self.acknowledged.append(text)
        return done

    async def step(self) -> bool:
        """One action from the page as it is; False once the submission is sent.

        A request cut off by a kill is not an error: the person reloads the page until the
        server is back, and goes on from what it shows.
        """
        if self.reference is not None:
            return False
        if not self.page and not await self.open():
            await asyncio.sleep(0.1)
            return True
        self.actions += 1
        question = self.question
        sent = _REFERENCE.search(question)
        if sent:
            self.reference = sent.group(1)
            return False
        if not await self._act(question):
            self.page = ""  # reload once the server answers again
            await asyncio.sleep(0.1)
        return True

    async def _act(self, question: str) -> bool:
        self.tries += 1
        answer = f"Svar [{self.tag}-{self.tries}] om bedre busser."
        if "Fortsett der jeg var" in self.page:
            return await self._press("Fortsett der jeg var")
        if "Hvordan vil du svare" in question:
            return await self._press("Svar på spørsmålene")
        if "Hvem svarer du for" in question:
            return await self._press("Privatperson")
        if "Hva heter du" in question:
            return await self._type(f"Kari {self.tag}", tracked=False)
        if "Hvilken kommune" in question:
            return await self._type("Harstad", tracked=False)
        if "e-post" in question and "Nei takk" in self.page:
            return await self._press("Nei takk")
        if "Hvilke tema" in question:
            themes = [b for b in self._buttons() if b[0] == "/valg"]
            pressed = sum('aria-pressed="true"' in b[3] for b in themes)
            if pressed >= 2:
                return await self._press("Ferdig")
            unpressed = [b[2] for b in themes if 'aria-pressed="false"' in b[3]]
            return await self._press(unpressed[0].lstrip("☐ "))
        if "Send inn" in self.page and "Oppsummering" in question:
            return await self._press("Send inn")
        if "Hopp over resten" in self.page and "Spørsmål 2" in question:
            return await self._press("Hopp over resten")
        return await self._type(answer, tracked=True)
