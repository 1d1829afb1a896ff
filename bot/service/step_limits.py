"""The engine's limits for one event: the settings, fitted to the draft and to the channel.

The setting limits the whole encoded e-mail; documents grow by a third in base64 and the
answers are in it three times, so the bytes left for documents depend on the draft. What the
channel can do comes with each event: one process may serve Telegram and the web chat.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from bot.conversation.capabilities import ChannelCapabilities
from bot.conversation.context import Limits
from bot.conversation.session import Session
from bot.mail.size import attachment_allowance

_attachment_allowance = lru_cache(maxsize=4096)(attachment_allowance)
"""Asked on every step (a bisection); the same draft asks the same until its text changes."""


def limits_for(
    base: Limits, session: Session, incoming: int, channel: ChannelCapabilities | None
) -> Limits:
    """``base`` with the bytes of documents this draft still has room for, and ``channel``.

    ``incoming``: documents arriving with this event; ``channel`` ``None`` keeps ``base``'s.
    """
    text = "".join(answer.text for answer in session.answers.values())
    allowance = _attachment_allowance(
        base.max_submission_bytes,
        text_bytes=len(text.encode("utf-8")),
        count=len(session.attachments) + max(incoming, 1),
    )
    return replace(
        base,
        max_submission_bytes=allowance,
        channel=base.channel if channel is None else channel,
    )
