"""The same conversation in the terminal: a front end for trying the bot without Telegram.

Bot messages are printed; choices are numbered lines like ``  1) Privatperson``. Before reading
each line the prompt ``› `` is printed on its own line, so the chat also works with piped input
(and tests can drive it). ``/vedlegg PATH`` sends a local file as a document.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from bot.app import Runtime
from bot.engine.commands import OPEN, parse_command
from bot.engine.events import Reply
from bot.i18n import gettext_for
from bot.service import ConversationService, IncomingFile

PROMPT = "›"


def render(reply: Reply) -> str:
    """A reply as terminal text: the message, then its choices as numbered lines."""
    lines = [reply.text]
    for number, choice in enumerate(reply.choices, start=1):
        mark = "" if choice.selected is None else ("[x] " if choice.selected else "[ ] ")
        lines.append(f"  {number}) {mark}{choice.label}")
    return "\n".join(lines)


class TerminalChat:
    """Reads lines, passes them to the service, prints the replies.

    The engine decides what a line means (an answer, a command, or a numbered choice); the
    terminal itself only handles ``/vedlegg PATH``, because reading a local file is I/O.
    """

    def __init__(
        self,
        service: ConversationService,
        user_id: str,
        *,
        stdin: TextIO,
        stdout: TextIO,
        lang: str | None = None,
    ) -> None:
        self.service = service
        self.user_id = user_id
        self.stdin = stdin
        self.stdout = stdout
        self.lang = lang

    def _print(self, replies: list[Reply]) -> None:
        for reply in replies:
            self.stdout.write(render(reply) + "\n\n")
        self.stdout.flush()

    async def _greet(self) -> None:
        """Open the chat: a new person starts, someone who comes back continues."""
        handled = await self.service.handle_command(
            self.user_id, OPEN, self.lang or "", language_code=self.lang
        )
        self._print(handled.replies)

    async def handle_line(self, line: str) -> None:
        """One line typed by the person."""
        command = parse_command(line)
        if command and command[0] == "attach":
            self._print(await self._attach(command[1]))
            return
        handled = await self.service.handle_text(self.user_id, line, numbered_choices=True)
        self._print(handled.replies)

    async def _attach(self, argument: str) -> list[Reply]:
        lang = await self.service.language_of(self.user_id)
        _ = gettext_for(lang).gettext
        if not argument.strip():
            return [Reply(_("Skriv filstien etter /vedlegg, for eksempel /vedlegg innspill.pdf"))]
        path = argument.strip().strip("'\"")
        try:
            data = await asyncio.to_thread(_read_file, path)
        except OSError:
            return [Reply(_("Jeg finner ikke filen «{path}».").format(path=str(path)))]
        name = Path(path).name
        file = IncomingFile(file_name=name, mime_type=None, size=len(data), data=data)
        return (await self.service.handle_files(self.user_id, [file])).replies

    async def run(self) -> None:
        """Talk until the input ends; every answer is saved as it arrives."""
        await self._greet()
        while True:
            # Interactive: type after the prompt. Piped: keep the prompt on a line of its own.
            self.stdout.write(PROMPT + " " + ("" if self.stdin.isatty() else "\n"))
            self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if text.strip():
                await self.handle_line(text)


def _read_file(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


async def run_terminal_chat(runtime: Runtime, user: str, lang: str | None) -> None:
    """Run the chat for ``user`` and deliver any submission before returning."""
    chat = TerminalChat(
        runtime.service, f"cli:{user}", stdin=sys.stdin, stdout=sys.stdout, lang=lang
    )
    await runtime.start_background()
    try:
        await chat.run()
    finally:
        # Stop the loop (a send in flight finishes), then deliver whatever is still due, so a
        # submission made just before the input ended is not left waiting for the next run.
        await runtime.worker.stop()
        report = await runtime.worker.run_once()
        if report.sent and runtime.settings.mail_transport == "file":
            print(f"📨 {report.sent} e-post lagt i {runtime.settings.outbox_dir}/")
