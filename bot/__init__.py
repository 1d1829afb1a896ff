"""innspill: a Telegram bot that collects input to public consultations."""

__version__ = "0.1.0"
