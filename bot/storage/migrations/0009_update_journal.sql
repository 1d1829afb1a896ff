-- One journal of updates instead of three records of them (the inbox of fetched updates, the
-- keys of applied ones and the newest id per source). One row per update key
-- ("<source>:<update id>"; Telegram's source is "tg:<bot id>"), in one of four states:
--   fetched      stored before Telegram may forget it; data holds the update until handled
--   handled      its step was committed (or it needed none); data is gone
--   owed         handled, but the bot stopped before its reply arrived; reply holds it
--   quarantined  could not be decoded or handled; error says how, never what it said
CREATE TABLE update_journal (
    update_key TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    update_id  INTEGER,
    state      TEXT NOT NULL
               CHECK (state IN ('fetched', 'handled', 'owed', 'quarantined')),
    data       TEXT,
    reply      TEXT,
    error      TEXT,
    tries      INTEGER NOT NULL DEFAULT 0,
    at         TEXT NOT NULL
);
CREATE INDEX update_journal_by_source ON update_journal (source, update_id);
CREATE INDEX update_journal_by_time ON update_journal (at);
-- The few rows still to hand over, found without reading a month of handled ones.
CREATE INDEX update_journal_fetched ON update_journal (source, update_id) WHERE state = 'fetched';

-- Keys already applied stay applied: a redelivery after the upgrade is still recognised.
INSERT INTO update_journal (update_key, source, update_id, state, at)
SELECT update_key,
       CASE WHEN rtrim(update_key, '0123456789') GLOB '?*:'
                 AND length(rtrim(update_key, '0123456789')) < length(update_key)
            THEN substr(update_key, 1, length(rtrim(update_key, '0123456789')) - 1)
            ELSE update_key END,
       CASE WHEN rtrim(update_key, '0123456789') GLOB '?*:'
                 AND length(rtrim(update_key, '0123456789')) < length(update_key)
            THEN CAST(substr(update_key, length(rtrim(update_key, '0123456789')) + 1) AS INTEGER)
            END,
       'handled',
       processed_at
FROM processed_updates;

-- Updates fetched but not applied yet are handed over after the upgrade, as after a restart.
INSERT OR IGNORE INTO update_journal (update_key, source, update_id, state, data, at)
SELECT source || ':' || update_id, source, update_id, 'fetched', data, received_at
FROM inbox;

DROP TABLE inbox;
DROP TABLE processed_updates;
DROP TABLE update_sequences;
