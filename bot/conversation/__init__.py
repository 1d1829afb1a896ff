"""The conversation engine: pure, synchronous, free of Telegram, SQLite and e-mail.

Everything here is a function of (consultation, session, event). Time and fresh ids come in
with the event, so every path can be tested in microseconds and shared by all front ends.
``tests/conversation/test_purity.py`` reads this package's source and fails on I/O or a clock.

Where each rule lives:

- ``machine``: ``step()``; dispatches each kind of event to its module, nothing else.
- ``text``: typed text (answers, respondent details, typed choices) and edited messages.
- ``choices``: a picked choice, one handler per step; refuses buttons from older messages.
- ``sending``: the summary, send (missing answers, personal data), edit menu, confirmations.
- ``commands``: command names in three languages, parsing, and one handler per command.
- ``info``: help, privacy and status (commands that tell rather than change).
- ``documents``: which documents join the draft, and why others did not.
- ``unsupported``: stickers, photos, voice notes and the like.
- ``navigation``: go to a step, go on, go back, start over.
- ``flow``: the order of steps, derived from the consultation and the person's choices.
- ``prompts``: the choices offered at each step, and short step names.
- ``screens``: what is said at each step: questions, welcome, summary.
- ``names``: typed step ids (``Step``, ``AnswerStep``) and choice ids (``Pick``).
- ``session``: the stored conversation state, its format version and migrations.
- ``events``: events in, replies and effects out; ``context``: one step's working state.
- ``model``, ``loader``, ``consultation_problems``, ``toml_lines``: the consultation file.
- ``municipalities``, ``place_names``: the municipality register and name matching.
- ``values``, ``privacy``, ``matching``: parsing small values, spotting personal data, typed
  choices; ``build``, ``submission``: what is sent to the ministry.
"""
