-- Quotes, contracts, invoices and purchase orders (PDF) attached to a contract. The file is
-- in the storage (local directory or S3) under `storage_key`; the organization is the
-- contract's, kept here so that scoping needs no join.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    contract_id INTEGER NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    -- quote | contract | invoice | purchase_order
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    issued_on DATE NOT NULL,
    -- Yen, tax included; none for documents without an amount.
    amount_yen BIGINT,
    file_name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL CONSTRAINT documents_storage_key_key UNIQUE,
    uploaded_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX documents_contract_id_idx ON documents (contract_id);
CREATE INDEX documents_organization_id_issued_on_idx ON documents (organization_id, issued_on);
