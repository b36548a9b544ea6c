-- CX サポート sign-ups (seed 000 §1-4): the form waits here until its mailed link is
-- opened (24 hours); only then do the organization, the subscriber's account and the
-- subscription exist. One per OPID, as subscriptions are.
CREATE TABLE analytics_signups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    opid TEXT NOT NULL,
    -- The CXサポートID the subscriber will sign in with, generated at sign-up.
    analytics_id TEXT NOT NULL,
    contractor_name TEXT NOT NULL,
    industry TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    an_number TEXT NOT NULL,
    dn_number TEXT NOT NULL,
    plan TEXT NOT NULL,
    billing_phone TEXT,
    billing_number TEXT,
    department TEXT NOT NULL,
    contact_person TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    sales_code TEXT NOT NULL,
    lang TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- Set when the link was opened (a second opening answers "used"); the password hash
    -- is cleared then, as the account holds it.
    confirmed_at TIMESTAMP,
    CONSTRAINT analytics_signups_token_hash_key UNIQUE (token_hash),
    CONSTRAINT analytics_signups_opid_key UNIQUE (opid)
);

-- What a sign-up told about the subscriber; staff-created subscriptions have none. The
-- billing fields are required on the standard plan.
ALTER TABLE analytics_subscriptions ADD COLUMN industry TEXT;
ALTER TABLE analytics_subscriptions ADD COLUMN contact_phone TEXT;
ALTER TABLE analytics_subscriptions ADD COLUMN department TEXT;
ALTER TABLE analytics_subscriptions ADD COLUMN contact_person TEXT;
ALTER TABLE analytics_subscriptions ADD COLUMN sales_code TEXT;
ALTER TABLE analytics_subscriptions ADD COLUMN billing_phone TEXT;
ALTER TABLE analytics_subscriptions ADD COLUMN billing_number TEXT;
