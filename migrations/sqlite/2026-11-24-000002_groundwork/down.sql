DROP INDEX audit_events_created_at_idx;
UPDATE audit_events SET detail = COALESCE(json_extract(detail, '$.note'), '');
ALTER TABLE account_links DROP COLUMN email;
ALTER TABLE accounts DROP COLUMN pending_email;
DROP INDEX sessions_public_id_key;
ALTER TABLE sessions DROP COLUMN public_id;

CREATE TABLE outbox_mails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_mails_pending_idx ON outbox_mails (sent_at, next_attempt_at);
INSERT INTO outbox_mails (recipient, subject, body, created_at, attempts, next_attempt_at, sent_at, last_error)
SELECT json_extract(payload, '$.to'), json_extract(payload, '$.subject'), json_extract(payload, '$.body'),
       created_at, attempts, run_after, finished_at, last_error
FROM jobs WHERE kind = 'mail';
DROP TABLE jobs;
