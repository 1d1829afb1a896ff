"""The conversation engine: pure, synchronous, free of Telegram, SQLite and e-mail.

Everything here is a function of (consultation, session, event). Time and fresh ids come in
with the event, so every path can be tested in microseconds and shared by all front ends.
"""
