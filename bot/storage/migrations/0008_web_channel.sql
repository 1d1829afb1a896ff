-- The web chat (issue #20). A submission records the channel it came in by, so staff see
-- "via nettsiden" and statistics can count channels. Older rows get it from the person's
-- key: "tg:" is Telegram, "cli:" the terminal chat, "web:" the web chat.
ALTER TABLE submissions ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram';
UPDATE submissions SET channel = CASE
    WHEN user_id LIKE 'cli:%' THEN 'terminal'
    WHEN user_id LIKE 'web:%' THEN 'web'
    ELSE 'telegram' END;
UPDATE submissions SET data = json_set(data, '$.channel', channel)
    WHERE json_extract(data, '$.channel') IS NULL;

-- A web visitor is a random token in a cookie; the person's key is derived from it
-- ("web:" + a hash), so nothing needs storing for the device a person starts on. A second
-- device joins with the person's resume code: its token's hash is stored here with the key.
-- Only hashes of tokens and codes are kept, never the tokens or codes themselves.
CREATE TABLE web_devices (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX web_devices_by_user ON web_devices (user_id);

-- Resume codes: a hash of the short code shown on the page, and whose it is.
CREATE TABLE web_resume_codes (
    code_hash  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX web_resume_codes_by_user ON web_resume_codes (user_id);
