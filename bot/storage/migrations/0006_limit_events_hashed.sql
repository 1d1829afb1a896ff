-- Abuse-limit counts keep the person only as a hash (issue #11): the counts must outlive
-- "/slett" (or deleting would reset the limits), so they may hold nothing personal. Rows
-- written before this held the plain user id; they are dropped (they count for an hour).
DELETE FROM limit_events;
ALTER TABLE limit_events RENAME COLUMN user_id TO person_hash;
