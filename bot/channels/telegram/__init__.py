"""The Telegram front end: updates in, service calls, replies rendered as Bot API calls."""

import os

# python-telegram-bot 22 warns (PTBDeprecationWarning) every time it builds a RetryAfter or
# reads a duration while the old int-seconds behaviour is active; opting in to the future
# ``datetime.timedelta`` behaviour now keeps 429 handling quiet and forward compatible.
# Nothing in this package reads those attributes as ints.
os.environ.setdefault("PTB_TIMEDELTA", "1")
