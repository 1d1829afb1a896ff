"""The canonical bot: the same consultation built the usual python-telegram-bot way.

``ConversationHandler`` + ``PicklePersistence``, shaped like python-telegram-bot's
``examples/persistentconversationbot.py``, so the benchmark has a reference to compare with.
"""
