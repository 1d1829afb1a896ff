-- Issue #21: what staff read when it is many.
--
-- The text read from an uploaded document at upload (for the personal-data check) is kept
-- with the document, so staff can read it in the compilation and the export. It lives in the
-- attachment's own row, so it is deleted exactly when the document is: with the submission
-- (`/slett`), or with an abandoned draft. `text_state` says whether the text is whole, cut at
-- the reading limit, absent (a scanned PDF) or unreadable; NULL for documents stored before.
ALTER TABLE attachments ADD COLUMN text_content TEXT;
ALTER TABLE attachments ADD COLUMN text_state TEXT;
ALTER TABLE attachments ADD COLUMN sha256 TEXT;

-- A delivered submission its sender deleted: the ministry's mailbox still has it, so staff
-- totals must too. Only the reference, when it came and by which channel stay; nothing of
-- its content, nor who sent it.
CREATE TABLE erased_submissions (
    reference       TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    channel         TEXT NOT NULL
);
CREATE INDEX erased_submissions_by_consultation ON erased_submissions (consultation_id, received_at);
