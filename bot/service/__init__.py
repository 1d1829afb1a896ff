"""The application service: one event in, the engine stepped, everything saved, replies out.

Every channel (Telegram, the web chat, the terminal) calls :mod:`bot.service.conversations`;
beside it live what a step needs from outside the engine: abuse limits, per-person locks,
uploads (file types, their text), fresh ids and what a submission puts in the outbox.
"""
