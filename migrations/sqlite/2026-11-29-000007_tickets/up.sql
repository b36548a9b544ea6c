-- Tickets (SPEC §6): inquiries and incident reports, their timeline and attachments, and
-- the resumable uploads attachments arrive through.

CREATE TABLE tickets (
    -- Shown as T-000123: unique under concurrent creation because the database issues it.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- Set when contract_number names one of the organization's contracts (else 不明).
    contract_id BIGINT REFERENCES contracts (id) ON DELETE SET NULL,
    reporter_id BIGINT NOT NULL REFERENCES accounts (id),
    assignee_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- inquiry | incident
    kind TEXT NOT NULL,
    -- new | open | in_progress | waiting_for_customer | resolved | closed
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    -- web | email | phone
    channel TEXT NOT NULL,
    product TEXT NOT NULL,
    subject TEXT NOT NULL,
    contract_number TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    model TEXT NOT NULL,
    os_version TEXT NOT NULL,
    -- Validated addresses, lower-case, comma-separated.
    cc TEXT NOT NULL,
    body TEXT NOT NULL,
    estimated_recovery_at TIMESTAMP,
    -- Optimistic concurrency: every change increments it; a change must name the version
    -- it was made on.
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tickets_organization_updated_idx ON tickets (organization_id, updated_at);
CREATE INDEX tickets_status_idx ON tickets (status);
CREATE INDEX tickets_assignee_id_idx ON tickets (assignee_id);
CREATE INDEX tickets_contract_id_idx ON tickets (contract_id);
CREATE INDEX tickets_reporter_id_idx ON tickets (reporter_id);

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- reply | note | progress | status_change | assignment
    kind TEXT NOT NULL,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- A reply by mail from a CC'd address that is no account.
    author_email TEXT,
    channel TEXT NOT NULL,
    -- Staff notes: never shown to customers, never mailed to them.
    internal BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT,
    from_status TEXT,
    to_status TEXT,
    estimated_recovery_at TIMESTAMP,
    assignee_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_events_ticket_id_idx ON ticket_events (ticket_id);

CREATE TABLE ticket_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event_id BIGINT REFERENCES ticket_events (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL CONSTRAINT ticket_attachments_storage_key_key UNIQUE,
    uploaded_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_attachments_ticket_id_idx ON ticket_attachments (ticket_id);

-- A file on its way in: its bytes arrive as parts (one object each), joined into the
-- object at storage_key when the last byte is in. An upload nobody attaches is purged.
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    received_bytes BIGINT NOT NULL DEFAULT 0,
    storage_key TEXT NOT NULL CONSTRAINT uploads_storage_key_key UNIQUE,
    sha256 TEXT,
    completed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX uploads_account_id_idx ON uploads (account_id);
CREATE INDEX uploads_expires_at_idx ON uploads (expires_at);

CREATE TABLE upload_parts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id BIGINT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    start_offset BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    storage_key TEXT NOT NULL CONSTRAINT upload_parts_storage_key_key UNIQUE,
    -- Two requests racing for the same offset: one part wins.
    CONSTRAINT upload_parts_upload_offset_key UNIQUE (upload_id, start_offset)
);

-- Subject and body searchable by any substring of three or more characters (Japanese
-- included), as the knowledge base.
CREATE VIRTUAL TABLE ticket_search USING fts5(
    subject, body, content = 'tickets', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_search (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO ticket_search (ticket_search, rowid, subject, body)
    VALUES ('delete', old.id, old.subject, old.body);
END;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, body ON tickets BEGIN
    INSERT INTO ticket_search (ticket_search, rowid, subject, body)
    VALUES ('delete', old.id, old.subject, old.body);
    INSERT INTO ticket_search (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
