-- Staff acknowledge a failed e-mail (`innspill outbox ack ID`) once they have dealt with it, so
-- `innspill health` stops reporting it. A message that fails again needs a new acknowledgement.
ALTER TABLE outbox ADD COLUMN acknowledged_at TEXT;

CREATE TRIGGER outbox_failure_needs_acknowledgement
AFTER UPDATE OF status ON outbox
WHEN NEW.status = 'failed' AND OLD.status <> 'failed'
BEGIN
    UPDATE outbox SET acknowledged_at = NULL WHERE id = NEW.id;
END;
