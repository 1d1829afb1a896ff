"""Running the product: settings and their reference, logging, metrics, health, the clock.

Nothing here knows the conversation; everything here is about an installation and the people
who operate it (``innspill health``, one-line errors instead of tracebacks, secrets never logged).
"""
