-- Contracts grow their covered equipment; projects (案件) group an organization's contracts,
-- and the accounts of a project's customer project group (顧客案件グループ, one per project)
-- are restricted to the projects of their groups (SPEC §2).

-- The equipment a maintenance contract covers, in the certificate's order.
CREATE TABLE contract_equipment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id INTEGER NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    maker TEXT NOT NULL,
    model TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    os_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contract_equipment_contract_id_idx ON contract_equipment (contract_id, position);
CREATE INDEX contract_equipment_serial_number_idx ON contract_equipment (serial_number);
CREATE INDEX contracts_ends_on_idx ON contracts (ends_on);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The project's one customer project group.
    group_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT projects_organization_id_name_key UNIQUE (organization_id, name)
);

CREATE TABLE project_contracts (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    contract_id INTEGER NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, contract_id)
);
CREATE INDEX project_contracts_contract_id_idx ON project_contracts (contract_id);

-- Members of a project's customer project group.
CREATE TABLE project_members (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, account_id)
);
CREATE INDEX project_members_account_id_idx ON project_members (account_id);
