-- Mobile lines of Business Mobile contracts (SPEC §7, seed 002). A deleted line stays as
-- history; a number is registered to one line at a time, and registering it again starts
-- a new minimum usage period.
CREATE TABLE mobile_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    contract_id INTEGER NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    mobile_number TEXT NOT NULL,
    international_restricted BOOLEAN NOT NULL DEFAULT FALSE,
    office_link BOOLEAN NOT NULL DEFAULT FALSE,
    registered_on DATE NOT NULL,
    deleted_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX mobile_lines_mobile_number_key ON mobile_lines (mobile_number) WHERE deleted_on IS NULL;
CREATE INDEX mobile_lines_organization_id_idx ON mobile_lines (organization_id, mobile_number);
CREATE INDEX mobile_lines_contract_id_idx ON mobile_lines (contract_id);
