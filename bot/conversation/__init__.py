"""The conversation engine: pure, synchronous, free of Telegram, SQLite, e-mail and the clock.

Everything here is a function of (consultation, session, event). Time and fresh ids come in
with the event, and what the person's channel can do comes with it (``ChannelCapabilities``:
how long a message may be, how a document is sent), so every path can be tested in
microseconds and shared by all channels.
``tests/conversation/test_purity.py`` reads this package's source and fails on I/O or a clock;
what would be read lazily (catalogs, babel's data, the municipality register) is loaded when
the runtime opens, for every channel, and the test refuses file reads inside ``step()``.

One event through ``machine.step()``: the session is copied and fitted to the file
(``flow.repair``), then the event goes to its module (``typed_text``, ``choices``,
``commands``, ``documents``, ``unsupported``), which hands it to the current step's object
(``ctx.here``, from ``steps.registry``). The step changes the session, says what to say
(``ctx.say``) and moves on through ``navigation`` (``goto``, ``advance``), which shows the
next step. Effects (submit, delete, forget attachments) go back to the service.

Where each rule lives:

- ``steps/``: one object per step, one module per family (``welcome``, ``respondent``,
  ``themes``, ``answers``, ``quick``, ``summary``, ``sending``, ``confirmations``, ``done``);
  each owns its text, its choices, how it reads typed text and a picked choice, whether it
  is done, may be skipped, and what "back" means there. ``steps/registry``: the one table
  from a step id to its object.
- ``kinds/``: question kinds (free text today): a kind's prompt, choices, parsing, and how
  its answer is rendered in the summary, the e-mail, the exports and the compilation.
- ``machine``: ``step()``; dispatches each kind of event, nothing else.
- ``typed_text``: what every step shares about typed text (empty text, a part continuing an
  earlier answer, a choice typed by number or label) and edited messages.
- ``choices``: a picked choice is taken only at the step that still offers it.
- ``commands``: the ``Command`` enum, the names people type, one handler per command.
- ``info``: help, privacy and status (commands that tell rather than change).
- ``documents``: which documents join the draft, and why others did not.
- ``unsupported``: stickers, photos, voice notes and the like.
- ``navigation``: show a step, go to it, go on, start over, come back from a confirmation.
- ``flow``: the order of steps, derived from the consultation and the person's choices.
- ``deadline_notice``: the deadline as people read it; the rule itself is
  ``bot.consultation.deadline`` (``ctx.closed`` asks it).
- ``names``: typed step ids (``Step``, ``AnswerStep``) and choice ids (``Pick``).
- ``session``: the stored conversation state, its format version and migrations.
- ``events``: events in, replies and effects out; ``context``: one step's working state
  (``Ctx``) and the limits the engine keeps (``Limits``); ``capabilities``: what
  the person's channel can do (``ChannelCapabilities``, passed by the channel per event).
- ``values``, ``personal_data``, ``matching``: parsing small values, spotting personal data,
  typed choices; ``build``, ``submission``: what is sent to the ministry.
"""
