"""A local stand-in for Telegram's Bot API, split by role.

``server`` is the HTTP server and its Bot API methods, ``user`` the person driving a chat
(``send``, ``click``, ``last_reply``), ``wire`` the JSON going back and forth.
"""

from tests.channels.telegram.fake_bot_api.server import ApiCall, FakeBotApi, WebhookDelivery
from tests.channels.telegram.fake_bot_api.user import FakeUser
from tests.channels.telegram.fake_bot_api.wire import BotMessage, Button

__all__ = ["ApiCall", "BotMessage", "Button", "FakeBotApi", "FakeUser", "WebhookDelivery"]
