"""The same conversation in the terminal: a front end for trying the bot without Telegram.

Bot messages are printed; choices are numbered lines like ``  1) Privatperson``. Before reading
each line the prompt ``› `` is printed on its own line, so the chat also works with piped input
(and tests can drive it). ``/vedlegg PATH`` sends a local file as a document.

At a real terminal, lines are read with ``readline`` (arrow keys, editing, history of this
chat), and Ctrl-C ends the chat like the end of input: every answer is saved already, a short
goodbye is printed, and the exit code is 0, without a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TextIO, TypeVar

from bot.app import Runtime
from bot.conversation.capabilities import ChannelCapabilities, DocumentWay
from bot.conversation.commands import OPEN, parse_command
from bot.conversation.events import Reply
from bot.i18n.catalogs import gettext_for
from bot.i18n.languages import Lang
from bot.service.conversations import ConversationService
from bot.service.uploads import IncomingFile

PROMPT = "›"

TERMINAL = ChannelCapabilities(documents=DocumentWay.COMMAND)
"""What the engine must know of the terminal: no message length limit, and a document is
sent with ``/vedlegg FIL``. Passed with every event."""

T = TypeVar("T")

TTY_LINE_LIMIT = 1023 if sys.platform == "darwin" else 4095
"""The longest line a terminal in canonical mode passes on (the rest of the line is dropped):
4095 characters on Linux, 1023 on macOS. A line this long was most likely cut."""


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
        self._line_editing = False

    def _print(self, replies: list[Reply]) -> None:
        for reply in replies:
            self.stdout.write(render(reply) + "\n\n")
        self.stdout.flush()

    async def _greet(self) -> None:
        """Open the chat: a new person starts, someone who comes back continues."""
        handled = await self.service.handle_command(
            self.user_id, OPEN, self.lang or "", language_code=self.lang, channel=TERMINAL
        )
        self._print(handled.replies)

    async def handle_line(self, line: str) -> None:
        """One line typed by the person."""
        command = parse_command(line)
        if command and command[0] == "attach":
            self._print(await self._attach(command[1]))
            return
        if self._was_cut(line):
            self._print([Reply(await self._cut_line_message(len(line)))])
            return
        handled = await self.service.handle_text(
            self.user_id, line, numbered_choices=True, channel=TERMINAL
        )
        self._print(handled.replies)

    def _was_cut(self, line: str) -> bool:
        """A line as long as the terminal allows lost its end (readline has no such limit)."""
        return self.stdin.isatty() and not self._line_editing and len(line) >= TTY_LINE_LIMIT

    async def _cut_line_message(self, length: int) -> str:
        _ = gettext_for(await self.service.language_of(self.user_id)).gettext
        return _(
            "Linjen ble kuttet etter {count} tegn, så jeg har ikke lagret den. "
            "Send en lang tekst som fil i stedet: /vedlegg innspill.txt"
        ).format(count=length)

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
        return (await self.service.handle_files(self.user_id, [file], channel=TERMINAL)).replies

    async def run(self) -> None:
        """Talk until the input ends or Ctrl-C; every answer is saved as it arrives."""
        await self._greet()
        interactive = self.stdin is sys.stdin and self.stdin.isatty() and self.stdout.isatty()
        self._line_editing = interactive and _enable_line_editing()
        saved = _terminal_settings(self.stdin) if interactive else None
        try:
            while True:
                line = await self._read_line()
                if line is None:
                    break
                if line.strip():
                    # A line being handled is finished even if Ctrl-C comes meanwhile.
                    await _finish_even_if_cancelled(self.handle_line(line))
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # handled here: the chat ends normally
            self.stdout.write("\n")
        finally:
            # readline may still be reading in its thread, with the terminal in its own mode.
            _restore_terminal(self.stdin, saved)
        await self._goodbye()

    async def _read_line(self) -> str | None:
        """The next line without its newline, or ``None`` at the end of input."""
        if self._line_editing:
            return await _in_daemon_thread(_input_line, PROMPT + " ")
        # Interactive: type after the prompt. Piped: keep the prompt on a line of its own.
        self.stdout.write(PROMPT + " " + ("" if self.stdin.isatty() else "\n"))
        self.stdout.flush()
        line = await _in_daemon_thread(self.stdin.readline)
        return line.rstrip("\n") if line else None

    async def _goodbye(self) -> None:
        """A goodbye that says what happened: a draft kept, input sent, or nothing stored."""
        lang: Lang = await self.service.language_of(self.user_id)
        _ = gettext_for(lang).gettext
        session = await self.service.session_of(self.user_id)
        if session is not None and session.status == "draft" and session.has_content:
            text = _("Ha det! Svarene dine er lagret, og neste gang fortsetter du der du slapp.")
        elif session is not None and session.status == "submitted" and session.reference:
            text = _("Ha det! Innspillet ditt er sendt (referanse {reference}).").format(
                reference=session.reference
            )
        else:
            text = _("Ha det!")
        self.stdout.write(text + "\n")
        self.stdout.flush()

    async def report_delivery(self, count: int, folder: Path) -> None:
        """How many e-mails this chat left as files, so the person can open them."""
        if count:
            n_ = gettext_for(await self.service.language_of(self.user_id)).ngettext
            text = n_("📨 {n} e-post lagt i {folder}/", "📨 {n} e-poster lagt i {folder}/", count)
            self.stdout.write(text.format(n=count, folder=folder) + "\n")
            self.stdout.flush()


def _enable_line_editing() -> bool:
    """Load ``readline``, so ``input()`` gets arrow keys, editing and history (not on Windows)."""
    try:
        import readline  # noqa: F401  # imported for its effect on input()
    except ImportError:
        return False
    return True


def _terminal_settings(stream: TextIO) -> list[Any] | None:
    try:
        import termios
    except ImportError:
        return None
    try:
        return termios.tcgetattr(stream.fileno())
    except (OSError, termios.error):
        return None


def _restore_terminal(stream: TextIO, saved: list[Any] | None) -> None:
    if saved is None:
        return
    import termios

    with contextlib.suppress(OSError, termios.error):
        termios.tcsetattr(stream.fileno(), termios.TCSADRAIN, saved)


def _input_line(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


async def _in_daemon_thread(function: Callable[..., T], *args: object) -> T:
    """Run a blocking read in a daemon thread.

    ``asyncio.to_thread`` would use the default executor, which ``asyncio.run`` waits for at
    exit: after Ctrl-C the chat would hang until the person pressed Enter.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def read() -> None:
        try:
            result = function(*args)
        except BaseException as error:  # handed to the waiting coroutine
            loop.call_soon_threadsafe(_set_exception, future, error)
        else:
            loop.call_soon_threadsafe(_set_result, future, result)

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
    return await future


def _set_result(future: asyncio.Future[T], result: T) -> None:
    if not future.done():
        future.set_result(result)


def _set_exception(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


async def _finish_even_if_cancelled(work: Coroutine[Any, Any, None]) -> None:
    """Await ``work`` to the end; a cancellation meanwhile is raised only afterwards."""
    task = asyncio.ensure_future(work)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await task
        raise


def _read_file(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


async def run_terminal_chat(runtime: Runtime, user: str, lang: str | None) -> None:
    """Run the chat for ``user`` and deliver any submission before returning."""
    chat = TerminalChat(
        runtime.service, f"cli:{user}", stdin=sys.stdin, stdout=sys.stdout, lang=lang
    )
    await runtime.start_background()
    delivered_before = runtime.worker.delivered
    try:
        await chat.run()
    finally:
        # Stop the loop (a send in flight finishes), then deliver whatever is still due, so a
        # submission made just before the input ended is not left waiting for the next run.
        await runtime.worker.stop()
        await runtime.worker.run_once()
        if runtime.settings.mail_transport == "file":
            delivered = runtime.worker.delivered - delivered_before
            await chat.report_delivery(delivered, runtime.settings.outbox_dir)
