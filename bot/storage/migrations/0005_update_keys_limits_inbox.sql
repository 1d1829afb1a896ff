-- Update keys are "<source>:<update id>" (Telegram: "tg:<bot id>:<update id>"). The newest id
-- recorded per source tells a redelivered update (at or just below it) from a new sequence
-- (far below it: Telegram picks a new starting id after a week without updates). Old keys
-- "tg:<update id>" are renamed to the bot's source when the bot first starts with its id.
CREATE TABLE update_sequences (
    source TEXT PRIMARY KEY,
    newest INTEGER NOT NULL
);

-- One row per limited action (a submission, an uploaded document), so abuse limits survive a
-- restart. Rows hold no content and are purged after a day.
CREATE TABLE limit_events (
    user_id TEXT NOT NULL,
    kind    TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX limit_events_by_user ON limit_events (user_id, kind, at);

-- Updates fetched from Telegram and not yet handled. The bot confirms an update to Telegram
-- once it is stored here (so one person's flood cannot hold back everyone else's updates),
-- and handles what is left here first after a restart. A row is forgotten once every update
-- up to it is handled; a handled update is recognised again by its key in processed_updates.
CREATE TABLE inbox (
    source      TEXT NOT NULL,
    update_id   INTEGER NOT NULL,
    data        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (source, update_id)
);
