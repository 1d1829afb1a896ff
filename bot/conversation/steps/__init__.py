"""The steps of the conversation, one object per step, one module per family of steps.

- ``base``: what every step does unless it says otherwise (``BaseStep``, ``Confirmation``).
- ``welcome``: the welcome, «Velkommen tilbake» (resume a draft) and the language.
- ``respondent``: who is answering: type, organisation, organisation number, board date, name,
  municipality and its pick list, e-mail.
- ``themes``: the choice of themes.
- ``answers``: the answer to a theme or a question (a question's kind reads it).
- ``quick``: the quick path's text and documents.
- ``summary``: the summary and the edit menu; ``sending``: the checks before sending, the
  personal-data question and the submission.
- ``confirmations``: /avbryt and /slett, each asked first; ``done``: after sending.
- ``registry``: the one table from a step id to its object.
"""
