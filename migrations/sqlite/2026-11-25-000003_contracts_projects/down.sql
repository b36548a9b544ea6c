DROP TABLE project_members;
DROP TABLE project_contracts;
DROP TABLE projects;
DROP INDEX contracts_ends_on_idx;
DROP TABLE contract_equipment;
