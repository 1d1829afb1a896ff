"""The web front end: the same conversation as an accessible web chat, on the same service.

Where each part lives:

- ``server``: the aiohttp application, its middlewares (security headers, size cap, error
  pages) and serving it; ``bot.app`` wires it to the runtime.
- ``routes``: the chat page and its posts (answer, choice, command, upload), thin like
  Telegram's handlers; ``info_routes``: privacy, accessibility, resume code, deletion, health.
- ``channel_state``: what the routes share, and the checks every post passes (size, cookie,
  CSRF token, rate) before it touches anything.
- ``visitors``: the cookie, the person's key, CSRF tokens and resume codes.
- ``throttle``: limits per client address, and the client address behind a trusted proxy.
- ``transcript``: the conversation so far, in memory, as the page shows it.
- ``page_shell``, ``chat_page``, ``info_pages``: the HTML, every typed text escaped.
- ``static_files`` and ``static/``: our own script and style sheet, nothing from elsewhere.
"""
