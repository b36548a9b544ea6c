-- Accounts and authentication (SPEC §3): registration data, lockout, 2-step auth, sessions
-- with rotating refresh tokens, single-use links, one-time passwords, API tokens, the mail
-- outbox and the audit log. Secrets (tokens, codes) are stored as SHA-256 hashes only.

ALTER TABLE accounts ADD COLUMN company_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN maintenance_email TEXT;
ALTER TABLE accounts ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until TIMESTAMP;
ALTER TABLE accounts ADD COLUMN otp_email TEXT;
ALTER TABLE accounts ADD COLUMN pbx_admin BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN analytics BOOLEAN NOT NULL DEFAULT FALSE;
-- Language of the account's mails: 'ja' or 'en'.
ALTER TABLE accounts ADD COLUMN preferred_lang TEXT NOT NULL DEFAULT 'ja';
CREATE INDEX accounts_email_idx ON accounts (email);

-- Email confirmation, password reset and set-password links: single use, expiring.
CREATE TABLE account_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT account_links_token_hash_key UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX account_links_account_id_idx ON account_links (account_id);

-- One-time passwords sent by email: sign-in's second step, and verifying a new OTP email.
CREATE TABLE otp_challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    challenge_hash TEXT NOT NULL CONSTRAINT otp_challenges_challenge_hash_key UNIQUE,
    code_hash TEXT NOT NULL,
    email TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX otp_challenges_account_id_idx ON otp_challenges (account_id);

-- A signed-in session (one per sign-in). Access tokens name it; revoking it ends them at
-- once. Its refresh tokens rotate: each is used once, and a reused one revokes the session.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_account_id_idx ON sessions (account_id);

CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL CONSTRAINT refresh_tokens_token_hash_key UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

-- Personal API tokens for scripts.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_account_id_idx ON api_tokens (account_id);

-- Mail to send, written in the same transaction as the change it reports (outbox); a
-- worker delivers it and retries with backoff.
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

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    actor_account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    subject_account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_organization_id_idx ON audit_events (organization_id, created_at);
