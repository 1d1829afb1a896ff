-- Receipts sent per address per day (issue #11): a receipt goes to an address nobody has
-- confirmed, so the number per address and day is limited. Counted here, not in memory, so a
-- restart does not reset the limit. The address is stored only as a SHA-256 hash of its
-- lower-cased form: the counter must not become a second copy of people's addresses.
CREATE TABLE receipt_counts (
    address_hash TEXT NOT NULL,
    day          TEXT NOT NULL,  -- UTC date, YYYY-MM-DD
    count        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (address_hash, day)
);
