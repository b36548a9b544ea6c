DROP TABLE accounts;
DROP TABLE contract_emails;
DROP TABLE contracts;
DROP TABLE organizations;
