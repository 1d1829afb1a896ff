"""A consultation as data: the TOML model, its loader, problems with line numbers, places.

One file in ``conversations/`` is one consultation; another ministry's needs no code. The
deadline rule (when input is late, when a consultation is closed) and the official register
of municipalities live here too, since both are facts about the consultation, not the chat.
"""
