"""``python -m bench.uncapped``: ``innspill run`` with the flood limiter's rates lifted.

The benchmark runs the bot this way to measure the code, not the limiter; the capped figure is
measured separately with plain ``innspill run``. The limiter's rates are not settings yet, so
this is the one place that knows how to lift them: the per-chat pace via ``TelegramOptions``
and the overall 30 calls/s by dropping ``AIORateLimiter``'s base limiter.
"""

from __future__ import annotations

import asyncio
from typing import Any

import bot.telegram.app as telegram_app
from bot.logging_setup import configure_logging
from bot.settings import Settings
from bot.telegram.app import TelegramOptions, run_telegram
from bot.telegram.ratelimit import PatientRateLimiter

LIFTED = TelegramOptions(chat_burst=1_000_000, chat_period=1.0)


class _UncappedLimiter(PatientRateLimiter):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if hasattr(self, "_base_limiter"):
            self._base_limiter = None


def main() -> None:
    """Run the bot from the environment, as ``innspill run`` does, without rate caps."""
    setattr(telegram_app, "PatientRateLimiter", _UncappedLimiter)  # noqa: B010
    settings = Settings()
    configure_logging(settings, quiet=False)
    asyncio.run(run_telegram(settings, options=LIFTED))


if __name__ == "__main__":
    main()
