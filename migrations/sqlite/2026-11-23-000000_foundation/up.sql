-- Organizations (tenants), their contracts with the registered maintenance emails, and
-- accounts (provider staff have no organization).
-- Timestamps are UTC, written by the application (never DEFAULT CURRENT_TIMESTAMP), so that both
-- backends store and compare them alike.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_number TEXT NOT NULL CONSTRAINT organizations_customer_number_key UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE contracts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    contract_number TEXT NOT NULL CONSTRAINT contracts_contract_number_key UNIQUE,
    service TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT contracts_dates_check CHECK (ends_on >= starts_on)
);
CREATE INDEX contracts_organization_id_idx ON contracts (organization_id);

-- The maintenance emails of the support-service certificate (sales agent / operator /
-- end user); registration is gated on them. Stored lower-case.
CREATE TABLE contract_emails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id INTEGER NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    holder TEXT NOT NULL,
    email TEXT NOT NULL,
    CONSTRAINT contract_emails_contract_id_email_key UNIQUE (contract_id, email)
);
CREATE INDEX contract_emails_email_idx ON contract_emails (email);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    login_id TEXT NOT NULL CONSTRAINT accounts_login_id_key UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT accounts_staff_have_no_organization CHECK ((role = 'staff') = (organization_id IS NULL))
);
CREATE INDEX accounts_organization_id_idx ON accounts (organization_id);
