-- PBX sites (拠点) of an organization and their extensions (SPEC §8.1). An extension's
-- SIP and web passwords are kept sealed (AES-256-GCM with the server's PBX key): the CSV
-- export must give them back, so they cannot be hashed. An Office Link mobile line is
-- assigned to at most one extension.
CREATE TABLE pbx_sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    domain_name TEXT NOT NULL,
    site_number TEXT NOT NULL,
    -- Gateway ids, comma-separated digits.
    gateway_ids TEXT NOT NULL DEFAULT '',
    park_hold_code TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT pbx_sites_domain_name_key UNIQUE (domain_name)
);
CREATE INDEX pbx_sites_organization_id_idx ON pbx_sites (organization_id);

CREATE TABLE extensions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES pbx_sites (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    sip_user TEXT NOT NULL,
    sip_password_sealed TEXT NOT NULL,
    web_user TEXT NOT NULL,
    web_password_sealed TEXT NOT NULL,
    mobile_line_id INTEGER REFERENCES mobile_lines (id),
    -- Forwarding as the end user set it (unconditional, busy, no answer after a delay,
    -- out of coverage): numbers, or none.
    forward_always TEXT,
    forward_busy TEXT,
    forward_no_answer TEXT,
    forward_no_answer_seconds INTEGER,
    forward_unreachable TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT extensions_number_key UNIQUE (site_id, number),
    CONSTRAINT extensions_sip_user_key UNIQUE (site_id, sip_user)
);
CREATE UNIQUE INDEX extensions_mobile_line_id_key ON extensions (mobile_line_id) WHERE mobile_line_id IS NOT NULL;
