DROP TABLE cdr_grants;
DROP TABLE cdr_answer_failures;
DROP TABLE cdr_secrets;
DROP TABLE call_records;
