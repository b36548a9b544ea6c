-- Renewal quotes (SPEC §4): a quote is unanswered until the customer orders it (with a
-- purchase-order PDF, kept as a document of its own) or asks for a re-quote (with a
-- comment); staff answer a re-quote with a new quote that supersedes the old one.
-- unanswered | ordered | requote_requested | superseded; NULL for other kinds.
ALTER TABLE documents ADD COLUMN quote_state TEXT;
ALTER TABLE documents ADD COLUMN supersedes_id BIGINT REFERENCES documents (id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN answered_at TIMESTAMP;
ALTER TABLE documents ADD COLUMN answered_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN answer_comment TEXT;
ALTER TABLE documents ADD COLUMN order_document_id BIGINT REFERENCES documents (id) ON DELETE SET NULL;
CREATE INDEX documents_quote_state_idx ON documents (organization_id, quote_state);
