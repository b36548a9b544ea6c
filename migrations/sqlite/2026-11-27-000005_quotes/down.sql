DROP INDEX documents_quote_state_idx;
ALTER TABLE documents DROP COLUMN order_document_id;
ALTER TABLE documents DROP COLUMN answer_comment;
ALTER TABLE documents DROP COLUMN answered_by;
ALTER TABLE documents DROP COLUMN answered_at;
ALTER TABLE documents DROP COLUMN supersedes_id;
ALTER TABLE documents DROP COLUMN quote_state;
