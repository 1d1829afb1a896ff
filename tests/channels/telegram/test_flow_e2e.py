"""Few taps and few Bot API calls per submission, /start that never skips ahead, and replies
that only ever go to the person's own chat: measured on the real bot against the fake server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable

import pytest

from bot.app import Runtime
from bot.channels.telegram.updates import user_key
from tests.channels.telegram.fake_bot_api import FakeBotApi, FakeUser
from tests.channels.telegram.fake_bot_api.wire import CallbackQuery

pytestmark = pytest.mark.slow

GUIDED = "Svar på spørsmålene (ca. 10 min)"
SEND = "✅ Send inn"
MAX_CALLS_PER_ACTION = 1.0
MAX_ACTIONS = 15


class Tally:
    """A person's actions, and the Bot API calls the bot made in their chat for them."""

    def __init__(self, api: FakeBotApi, user: FakeUser) -> None:
        self.api, self.user, self.actions = api, user, 0

    async def __call__(self, action: Awaitable[object], reply: str | None = None) -> None:
        """Do one action and wait for the reply to it (containing ``reply``)."""
        self.actions += 1
        await action
        await self.user.wait_for_reply(reply)

    def calls(self) -> Counter[str]:
        """Chat-addressed calls by method (answering a button press is not one)."""
        chat = str(self.user.chat_id)
        return Counter(c.method for c in self.api.calls if str(c.params.get("chat_id")) == chat)


async def guided_to_questions(act: Tally, kari: FakeUser) -> None:
    """/start to the first question, with two themes answered: eleven actions."""
    await act(kari.send("/start"), "Hvordan vil du svare?")
    await act(kari.click(GUIDED), "Hvem svarer du for?")
    await act(kari.click("Privatperson"), "Hva heter du?")
    await act(kari.send("Kari Nordmann"), "Hvilken kommune")
    await act(kari.send("Harstad"), "kvittering på e-post")
    await act(kari.click("Nei takk"), "Hvilke tema")
    await act(kari.click("Tilgjengelighet"), "✅")
    await act(kari.click("Tjenester"), "✅")
    await act(kari.click("Ferdig ➡️"), "Tema 1 av 2")
    await act(kari.send("Flere bussavganger om kvelden."), "Lagret ✅\n\nTema 2 av 2")
    await act(kari.send("Legevakt i byen hele døgnet."), "Lagret ✅\n\nSpørsmål 1 av 6")


async def test_a_two_theme_guided_submission_takes_few_taps_and_one_call_per_tap(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(3001)
    act = Tally(api, kari)
    await guided_to_questions(act, kari)
    await act(kari.click("⏭ Hopp over resten og se oppsummeringen"), "Når du trykker «Send inn»")
    await act(kari.click(SEND), "Referansenummer")
    await api.settle(kari.chat_id)

    calls = act.calls()
    per_action = sum(calls.values()) / act.actions
    print(
        f"\n2 themes, questions skipped: {act.actions} actions, {dict(calls)}, "
        f"{per_action:.2f} calls/action"
    )
    assert act.actions <= MAX_ACTIONS
    assert per_action <= MAX_CALLS_PER_ACTION, calls
    outputs = api.outputs(kari.chat_id)
    assert not any("Neste" in o.text for o in outputs), "no «Neste» to tap after an answer"
    assert "→ ✅ Send inn\n\nTakk!" in outputs[-1].text
    (submitted,) = await bot.store.list_submissions()
    answers = {a.key: a for a in submitted.answers}
    assert answers["t.tilgjengelighet"].answer == "Flere bussavganger om kvelden."
    assert answers["t.tjenester"].answer == "Legevakt i byen hele døgnet."
    assert all(answers[f"q.q{n}"].skipped for n in range(1, 7))


async def test_answering_every_question_stays_at_one_call_per_action(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(3002)
    act = Tally(api, kari)
    await guided_to_questions(act, kari)
    for n in range(1, 7):
        after = f"Spørsmål {n + 1} av 6" if n < 6 else "Når du trykker «Send inn»"
        await act(kari.send(f"Mitt svar på spørsmål {n}."), after)
    await act(kari.click(SEND), "Referansenummer")
    await api.settle(kari.chat_id)

    calls = act.calls()
    per_action = sum(calls.values()) / act.actions
    print(
        f"\n2 themes, 6 questions answered: {act.actions} actions, {dict(calls)}, "
        f"{per_action:.2f} calls/action"
    )
    assert per_action <= MAX_CALLS_PER_ACTION, calls


async def test_a_long_text_split_by_the_app_stays_one_answer(api: FakeBotApi, bot: Runtime) -> None:
    kari = api.user(3003)
    act = Tally(api, kari)
    await guided_to_questions(act, kari)
    # Three messages sent at once (as an app splits a long text): all before the bot's reply.
    await kari.send("Første del.")
    await kari.send("Andre del.")
    await kari.send("Tredje del.")
    await kari.wait_for_reply("Svaret har nå 3 deler")
    await api.settle(kari.chat_id)
    session = await bot.service.session_of(user_key(3003))
    assert session is not None
    assert session.answers["q.q1"].text == "Første del.\n\nAndre del.\n\nTredje del."
    assert session.step == "q.q2"
    assert "q.q2" not in session.answers


async def test_start_twice_then_continue_lands_on_the_same_question(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari = api.user(3004)
    act = Tally(api, kari)
    await guided_to_questions(act, kari)
    await act(kari.click("Hopp over"), "Spørsmål 2 av 6")
    await act(kari.send("/start"), "Du var her: Spørsmål 2.")
    await act(kari.send("/start"), "Du var her: Spørsmål 2.")
    await act(kari.click("Fortsett der jeg var"), "Spørsmål 2 av 6")
    await api.settle(kari.chat_id)
    session = await bot.service.session_of(user_key(3004))
    assert session is not None
    assert session.step == "q.q2"
    assert not any("Oppsummering" in o.text for o in api.outputs(kari.chat_id))


async def test_a_button_pressed_in_someone_elses_chat_is_ignored(
    api: FakeBotApi, bot: Runtime
) -> None:
    kari, ola = api.user(3005), api.user(3006)
    await ola.send("/start")
    await ola.wait_for_reply("Hvordan vil du svare?")
    await kari.send("/start")
    welcome = await kari.wait_for_reply("Hvordan vil du svare?")
    await api.settle(kari.chat_id)
    before_kari, before_ola = len(api.outputs(kari.chat_id)), len(api.outputs(ola.chat_id))
    # A forged update: Ola "presses" Kari's button, in Kari's chat.
    button = welcome.button(GUIDED)
    assert button is not None
    query_id = "CBQ-forged"
    api._callbacks[query_id] = CallbackQuery(query_id, kari.chat_id)
    await api._enqueue(
        {
            "callback_query": {
                "id": query_id,
                "from": ola.user,
                "chat_instance": f"CI-{kari.chat_id}",
                "data": button.callback_data,
                "message": dict(api._chats[kari.chat_id].raw_messages[welcome.message_id]),
            }
        }
    )
    await api.settle(kari.chat_id)
    assert len(api.outputs(kari.chat_id)) == before_kari, "nothing shown in Kari's chat"
    assert len(api.outputs(ola.chat_id)) == before_ola, "nor Kari's draft in Ola's"
    for person in (3005, 3006):
        session = await bot.service.session_of(user_key(person))
        assert session is not None
        assert session.step == "start", "neither draft moved"
