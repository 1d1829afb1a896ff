-- Initial schema. Timestamps are ISO-8601 UTC text with microseconds and "+00:00", so that
-- comparing them as text compares them as times.

-- One row per person and consultation: the whole conversation state as JSON.
CREATE TABLE sessions (
    user_id         TEXT NOT NULL,
    consultation_id TEXT NOT NULL,
    draft_id        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    seq             INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    data            TEXT NOT NULL,
    PRIMARY KEY (user_id, consultation_id)
);
CREATE INDEX sessions_by_status ON sessions (status, updated_at);

-- Front-end updates already applied (e.g. "tg:123456"), so a redelivered update is ignored.
CREATE TABLE processed_updates (
    update_key   TEXT PRIMARY KEY,
    processed_at TEXT NOT NULL
);
CREATE INDEX processed_updates_by_time ON processed_updates (processed_at);

-- Documents as received from the person; kept until their draft is gone and no submission
-- refers to them.
CREATE TABLE attachments (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    draft_id   TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    data       BLOB NOT NULL
);
CREATE INDEX attachments_by_draft ON attachments (draft_id);
CREATE INDEX attachments_by_user ON attachments (user_id);

-- Finished submissions: the JSON copy plus the columns statistics group by.
CREATE TABLE submissions (
    reference            TEXT PRIMARY KEY,
    consultation_id      TEXT NOT NULL,
    user_id              TEXT NOT NULL,
    received_at          TEXT NOT NULL,
    respondent_type      TEXT NOT NULL,
    municipality_number  TEXT,
    county_number        TEXT,
    language             TEXT NOT NULL,
    flow                 TEXT NOT NULL,
    erase_after_delivery INTEGER NOT NULL DEFAULT 0,
    data                 TEXT NOT NULL
);
CREATE INDEX submissions_by_consultation ON submissions (consultation_id, received_at);
CREATE INDEX submissions_by_user ON submissions (user_id);

-- Which stored documents a submission carries; an attachment in use cannot be deleted.
CREATE TABLE submission_attachments (
    reference     TEXT NOT NULL REFERENCES submissions (reference) ON DELETE CASCADE,
    attachment_id TEXT NOT NULL REFERENCES attachments (id) ON DELETE RESTRICT,
    PRIMARY KEY (reference, attachment_id)
);
CREATE INDEX submission_attachments_by_attachment ON submission_attachments (attachment_id);

-- Messages to send: one to the ministry, optionally a receipt, per submission.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('ministry', 'receipt')),
    reference       TEXT NOT NULL REFERENCES submissions (reference) ON DELETE CASCADE,
    recipient       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    lang            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (reference, kind)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
