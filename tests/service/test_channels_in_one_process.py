"""One service serves several channels at once: each event carries its own channel's
capabilities, so Telegram's limits and words never reach a person on another channel."""

from __future__ import annotations

from bot.channels.telegram.render import MAX_MESSAGE_CHARS, TELEGRAM
from bot.channels.terminal import TERMINAL
from bot.consultation.model import Consultation
from bot.conversation.capabilities import ANY_CHANNEL, ChannelCapabilities, DocumentWay
from bot.service.conversations import ConversationService
from bot.storage import Store
from tests.conversation.talk import ServiceTalk

WEB = ChannelCapabilities(documents=DocumentWay.CHOOSE_FILE)
"""What a web chat would pass (no message limit, a file field)."""

LONG_TEXT = "Vi trenger flere boliger for unge i sentrum av byen. " * 70  # about 3,700 characters
SEND_PROMPT = "Når du trykker «Send inn»"


async def test_each_person_hears_their_own_channels_way_to_send_a_document(
    consultation: Consultation, store: Store
) -> None:
    service = ConversationService(consultation, store)
    people = {
        "send det som fil med 📎": ServiceTalk(service, "tg:1", channel=TELEGRAM),
        "skriv /vedlegg og filstien": ServiceTalk(service, "cli:kari", channel=TERMINAL),
        "eller velg en fil": ServiceTalk(service, "web:abc", channel=WEB),
    }
    # Step by step, in turn: one process, three channels, interleaved.
    for say in ("/start rask", None, "Kari Nordmann", "Harstad"):
        for talk in people.values():
            await (talk.send(say) if say else talk.press("r.type", "privatperson"))
    for way, talk in people.items():
        assert way in talk.text
        assert [w for w in people if w in talk.text] == [way], "only its own channel's way"
    assert service.limits.channel == ANY_CHANNEL, "nothing is set on the shared service"


async def test_a_channels_message_limit_applies_only_to_its_own_people(
    consultation: Consultation, store: Store
) -> None:
    service = ConversationService(consultation, store)
    web = ServiceTalk(service, "web:abc", channel=WEB)
    telegram = ServiceTalk(service, "tg:2", channel=TELEGRAM)
    for talk in (web, telegram):
        for say in ("/start rask", None, "Kari Nordmann", "Harstad", LONG_TEXT):
            await (talk.send(say) if say else talk.press("r.type", "privatperson"))
    web_summary = next(r for r in web.replies if "📋 Oppsummering" in r.text)
    assert SEND_PROMPT in web_summary.text, "no limit on the web: one message"
    telegram_summary = next(r for r in telegram.replies if "📋 Oppsummering" in r.text)
    assert SEND_PROMPT not in telegram_summary.text, "Telegram's 4096: the prompt comes apart"
    assert len(telegram_summary.text) <= MAX_MESSAGE_CHARS
    assert any(SEND_PROMPT in r.text for r in telegram.replies)
