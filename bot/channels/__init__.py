"""The channels people use: each turns its input into engine events and renders the replies.

``telegram`` (the Bot API), ``terminal`` (the same chat in a terminal). A channel holds no
flow logic: it calls :mod:`bot.service.conversations` and shows what comes back.
"""
