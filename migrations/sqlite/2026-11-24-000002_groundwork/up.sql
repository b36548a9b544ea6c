-- Groundwork for the domain resources: a durable job queue (the mail outbox becomes one kind
-- of job), non-guessable session ids in access tokens, contact-email changes that wait for
-- the new address to confirm, and audit details as structured JSON.

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    -- JSON; its shape depends on the kind.
    payload TEXT NOT NULL,
    -- queued | running | done | failed
    state TEXT NOT NULL,
    -- Who may read the job through the API (staff read all).
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    -- Not before this time (first run, or the retry after a failed attempt).
    run_after TIMESTAMP NOT NULL,
    -- A running job belongs to the worker that claimed it until then; a crashed worker's
    -- job becomes due again when its lease ends.
    lease_until TIMESTAMP,
    worker TEXT,
    progress_done INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER,
    result TEXT,
    last_error TEXT,
    problem TEXT,
    -- Mail jobs: the recipient, for the per-recipient hourly limit.
    recipient TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_due_idx ON jobs (state, run_after);
CREATE INDEX jobs_recipient_idx ON jobs (recipient, created_at);

INSERT INTO jobs (kind, payload, state, max_attempts, attempts, run_after, last_error, recipient, created_at, finished_at)
SELECT 'mail',
       json_object('to', recipient, 'subject', subject, 'body', body),
       CASE WHEN sent_at IS NULL THEN 'queued' ELSE 'done' END,
       12, attempts, next_attempt_at, last_error, recipient, created_at, sent_at
FROM outbox_mails;
DROP TABLE outbox_mails;

-- Access tokens name the session by this random id, not by its sequential key.
ALTER TABLE sessions ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE sessions SET public_id = 'legacy-' || id;
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (public_id);

-- A new contact email waiting for its confirmation link.
ALTER TABLE accounts ADD COLUMN pending_email TEXT;
-- The address a `confirm_email` link confirms.
ALTER TABLE account_links ADD COLUMN email TEXT;

UPDATE audit_events SET detail = CASE WHEN detail = '' THEN '{}' ELSE json_object('note', detail) END;
CREATE INDEX audit_events_created_at_idx ON audit_events (created_at);
