-- Call-detail records of a site (通信履歴, SPEC §8.4, seed 003 §6.3–6.5) and the secret
-- question that guards them. Times are the PBX's local (Japan) time, as the seed's files
-- show them; `call_day` is the day of the call attempt, the unit of files and retention.
-- On SQLite one table indexed by site and time; retention deletes the rows of old days.
CREATE TABLE call_records (
    site_id INTEGER NOT NULL REFERENCES pbx_sites (id) ON DELETE CASCADE,
    call_day DATE NOT NULL,
    -- The sender's record id, or a digest of the call's natural key: a batch sent twice
    -- adds nothing.
    record_key TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    ended_at TIMESTAMP,
    connected BOOLEAN NOT NULL,
    requested_service TEXT NOT NULL,
    received_number TEXT NOT NULL,
    caller TEXT NOT NULL,
    callee TEXT NOT NULL,
    forwarding_party TEXT NOT NULL,
    disconnect_type TEXT NOT NULL,
    disconnecting_party TEXT NOT NULL,
    cause_code TEXT NOT NULL,
    PRIMARY KEY (site_id, call_day, record_key)
);
CREATE INDEX call_records_site_time_idx ON call_records (site_id, call_day, attempted_at);

-- 秘密の質問: the answer is kept as an Argon2id hash.
CREATE TABLE cdr_secrets (
    site_id INTEGER PRIMARY KEY REFERENCES pbx_sites (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer_hash TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Wrong answers per account and site: five lock the account out of the question for a
-- while (counted in the database, so that every instance sees them).
CREATE TABLE cdr_answer_failures (
    site_id INTEGER NOT NULL REFERENCES pbx_sites (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, account_id)
);

-- A grant to read a site's records, given for a right answer: only its digest is kept.
CREATE TABLE cdr_grants (
    token_hash TEXT PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES pbx_sites (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL
);
