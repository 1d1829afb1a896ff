-- Timed and one-off staff or reminder messages already sent, so a restart neither skips nor
-- repeats one. The key names the job and its occasion, e.g. 'digest:2026-12-01' or
-- 'card:SMB-ABC123'; a row is written before the message is sent and removed if sending fails.
CREATE TABLE jobs_sent (
    key TEXT PRIMARY KEY,
    sent_at TEXT NOT NULL
) STRICT;
