"""Updates served again after a restart, and SIGTERM while a backlog waits."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

from tests.channels.telegram.fake_bot_api import BotMessage
from tests.reliability.conftest import Rig
from tests.reliability.driver import Person, count_in_mail, wait_for
from tests.reliability.harness import HANDLED, applied, database, processed_keys, until
from tests.reliability.results import Row, record, size

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

STOP_GRACE = 10.0
"""Docker's default stop grace (`docker stop` waits this long before SIGKILL)."""


def chat_updates(rig: Rig, chat_id: int) -> list[int]:
    """Ids of every update a chat produced, oldest first."""
    ids = []
    for update_id, update in sorted(rig.api._sent_updates.items()):
        body = update.get("message") or update.get("callback_query") or {}
        chat = body.get("chat") or body.get("message", {}).get("chat") or {}
        if chat.get("id") == chat_id:
            ids.append(update_id)
    return ids


async def serve_again(rig: Rig, update_ids: list[int]) -> None:
    """Stop the bot, put the updates back as unconfirmed, start it: Telegram's redelivery."""
    await rig.bot.terminate(STOP_GRACE)
    for update_id in reversed(update_ids):
        await rig.api.requeue(update_id)
    await rig.bot.start()
    await rig.api.wait_until_delivered(timeout=30)


STATUS = ("Du har svart på", "Du har ikke begynt", "Innspillet ditt er sendt (")
"""How the answer to /status begins, whatever the person's state."""


def is_status(o: BotMessage) -> bool:
    """Whether a bot message is the answer to /status."""
    return any(o.text.startswith(s) for s in STATUS)


async def marker(rig: Rig, person: Person) -> bool:
    """Send /status; True once it is answered (every earlier update of the chat is handled)."""
    mark = person.user.mark()
    await person.user.send("/status")
    return await wait_for(rig.api, person.user, mark, is_status, 20) is not None


async def test_redelivered_updates_are_applied_once(rig: Rig) -> None:
    await rig.bot.start()
    kari = Person(rig.api, rig.api.user(7001), tag="D0001")
    while "tema" not in kari.acked:
        assert await kari.step()
        assert kari.actions < 60, f"stuck at {kari.where!r}"
    mark = kari.user.mark()
    before = chat_updates(rig, kari.user.chat_id)
    await serve_again(rig, before)
    answered = await marker(rig, kari)
    # Everything before the marker's answer answered a redelivery (or told the person off).
    since = kari.user.replies_since(mark)
    duplicated = next((i for i, o in enumerate(since) if is_status(o)), len(since))
    lost = copies = 0
    if answered:
        while kari.actions < 120 and await kari.step():
            pass
        with contextlib.suppress(AssertionError):  # no e-mail: every answer counts as lost
            await until(lambda: bool(rig.smtp.ministry_mail(kari.reference or "-")), 20, "mail")
        body = "\n".join(a.text for a in rig.smtp.ministry_mail(kari.reference or "-"))
        lost, copies = count_in_mail(kari, body)
    row = record(
        Row.judged(
            "redelivery of every update of a draft after a restart",
            len(before),
            lost + (not answered),
            duplicated + copies,
            f"{len(before)} updates served again; {duplicated} answered again; "
            f"{copies} answers twice in the e-mail; the next message after the restart "
            + ("was answered" if answered else "got no answer within 20 s")
            + ("" if kari.reference else f"; stuck at {kari.where!r}"),
            ok=kari.reference is not None,
        )
    )
    assert row.passed, row


async def test_a_redelivered_deletion_is_not_applied_again(rig: Rig) -> None:
    await rig.bot.start()
    ola = Person(rig.api, rig.api.user(7002), tag="D0002")
    while "name" not in ola.acked:
        assert await ola.step()
        assert ola.actions < 60, f"stuck at {ola.where!r}"
    mark = ola.user.mark()
    await ola.user.send("/slett")
    await wait_for(rig.api, ola.user, mark, lambda o: "Ja, slett alt" in o.labels, 15)
    mark = ola.user.mark()
    await ola.user.click("Ja, slett alt")
    await wait_for(rig.api, ola.user, mark, lambda o: o.kind == "sent", 15)
    confirm = chat_updates(rig, ola.user.chat_id)[-1]
    await serve_again(rig, [confirm])
    await marker(rig, ola)
    with database(rig.db_path) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM sessions WHERE user_id = ?", (f"tg:{ola.user.id}",)
        ).fetchone()[0]
    # /status itself may open a session again; count only what the redelivery left.
    with database(rig.db_path) as conn:
        keys = {r[0] for r in conn.execute(HANDLED)}
    recorded = applied(confirm, keys)
    row = record(
        Row.judged(
            "redelivered «Ja, slett alt»",
            1,
            None,
            0 if recorded else 1,
            f"deletion's update key recorded: {'yes' if recorded else 'no'}; "
            f"session rows for the person afterwards: {rows} (the /status marker opens one)",
        )
    )
    assert row.passed, row


async def test_sigterm_with_a_backlog_loses_nothing(rig: Rig) -> None:
    people = size(ci=10, full=10)
    each = 5
    await rig.bot.start()
    users = [rig.api.user(8000 + i) for i in range(people)]
    sent: list[int] = []
    for round_ in range(each):
        for user in users:
            await user.send(f"Hei {round_}")
            sent.append(rig.api.last_update_id())
    await wait_for(rig.api, users[-1], 0, lambda o: True, 20)  # the bot is at work
    drained = await rig.bot.terminate(STOP_GRACE)
    handled_before = sum(applied(u, processed_keys(rig.db_path)) for u in sent)
    began = time.monotonic()
    await rig.bot.start()
    with contextlib.suppress(AssertionError):
        await until(
            lambda: all(applied(u, processed_keys(rig.db_path)) for u in sent),
            30,
            "every update applied",
        )
    keys = processed_keys(rig.db_path)
    lost = sum(not applied(u, keys) for u in sent)
    row = record(
        Row.judged(
            f"SIGTERM with a {len(sent)}-message backlog ({STOP_GRACE:.0f} s grace, then restart)",
            len(sent),
            lost,
            None,
            f"stopped on its own in {drained:.1f} s"
            if drained is not None
            else f"still busy after {STOP_GRACE:.0f} s, killed"
            + f"; {handled_before} handled before the stop; rest after restart "
            f"within {time.monotonic() - began:.0f} s",
        )
    )
    assert row.passed, row


async def test_zz_no_secret_in_any_log_and_no_sentinel_after_deletion(rig: Rig) -> None:
    from tests.channels.telegram.conftest import TOKEN
    from tests.reliability.conftest import LOGS

    sentinel = "SENTINEL-7f3a9c2e"
    await rig.bot.start()
    per = Person(rig.api, rig.api.user(7100), tag="S0001")
    per.tag = sentinel
    while "name" not in per.acked:
        assert await per.step()
        assert per.actions < 60, f"stuck at {per.where!r}"
    mark = per.user.mark()
    await per.user.send("/slett")
    await wait_for(rig.api, per.user, mark, lambda o: "Ja, slett alt" in o.labels, 15)
    mark = per.user.mark()
    await per.user.click("Ja, slett alt")
    await wait_for(rig.api, per.user, mark, lambda o: o.kind == "sent", 15)
    await asyncio.sleep(0)
    files = [p for p in rig.db_path.parent.iterdir() if p.name.startswith(rig.db_path.name)]
    found = sum(p.read_bytes().count(sentinel.encode()) for p in files)
    record(
        Row.judged(
            "sentinel bytes in the database and WAL right after /slett",
            len(files),
            None,
            None,
            f"{found} occurrences in {', '.join(sorted(p.name for p in files))}",
            ok=found == 0,
        )
    )
    await rig.bot.terminate(STOP_GRACE)
    lines = occurrences = personal = 0
    for log in LOGS:
        if log.exists():
            text = log.read_text(encoding="utf-8", errors="replace")
            lines += text.count("\n")
            occurrences += text.count(TOKEN) + text.count(TOKEN.split(":", 1)[1])
            personal += text.count(sentinel)
    words = record(
        Row.judged(
            "a person's name and answers in every log line of this run",
            len([p for p in LOGS if p.exists()]),
            None,
            None,
            f"{personal} occurrences of the name and answers of {per.user.id} "
            f"in {lines} lines (LOG_LEVEL=DEBUG)",
            ok=personal == 0,
        )
    )
    row = record(
        Row.judged(
            "bot token in every log line of this run",
            len([p for p in LOGS if p.exists()]),
            None,
            None,
            f"{occurrences} occurrences in {lines} lines (DEBUG level)",
            ok=occurrences == 0,
        )
    )
    assert row.passed, row
    assert words.passed, words
    assert found == 0, f"{found} sentinel occurrences after /slett"
