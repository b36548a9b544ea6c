//! One fresh database per test: a temporary SQLite file, or a PostgreSQL database with a
//! random name (dropped again when the test ends).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};

/// Which backend this test run targets: `MADOGUCHI_TEST_BACKEND` = `sqlite` (default) or
/// `postgres` (then `MADOGUCHI_TEST_POSTGRES_URL` names a server where we may create
/// databases). `cargo xtask test` runs the suite once per backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const BACKEND_ENV: &str = "MADOGUCHI_TEST_BACKEND";
pub const POSTGRES_URL_ENV: &str = "MADOGUCHI_TEST_POSTGRES_URL";

impl Backend {
    pub fn under_test() -> Self {
        match std::env::var(BACKEND_ENV).as_deref() {
            Ok("postgres") => Backend::Postgres,
            Ok("sqlite") | Err(_) => Backend::Sqlite,
            Ok(other) => panic!("{BACKEND_ENV}={other}: expected sqlite or postgres"),
        }
    }

    /// The name the health endpoint reports.
    pub fn health_name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

pub struct TestDatabase {
    pub backend: Backend,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Nothing,
    SqliteDir(#[allow(dead_code)] tempfile::TempDir),
    PostgresDatabase { admin_url: String, name: String },
}

impl TestDatabase {
    /// A new, empty database on the backend under test; the server migrates it.
    pub fn create() -> Self {
        match Backend::under_test() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory for SQLite");
                let url = format!("sqlite://{}", dir.path().join("madoguchi.db").display());
                Self {
                    backend: Backend::Sqlite,
                    url,
                    cleanup: Cleanup::SqliteDir(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = std::env::var(POSTGRES_URL_ENV)
                    .unwrap_or_else(|_| panic!("{BACKEND_ENV}=postgres needs {POSTGRES_URL_ENV}"));
                let name = unique_name();
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|error| panic!("cannot connect to {POSTGRES_URL_ENV}: {error}"));
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create the test database");
                Self {
                    backend: Backend::Postgres,
                    url: with_database(&admin_url, &name),
                    cleanup: Cleanup::PostgresDatabase { admin_url, name },
                }
            }
        }
    }

    /// Another handle on the same database, for a second server (owns nothing: the first
    /// handle drops the database).
    pub fn shared(other: &TestDatabase) -> Self {
        Self {
            backend: other.backend,
            url: other.url.clone(),
            cleanup: Cleanup::Nothing,
        }
    }

    /// Stands in for a database that was handed on (owns nothing, drops nothing).
    pub(crate) fn placeholder() -> Self {
        Self {
            backend: Backend::Sqlite,
            url: String::new(),
            cleanup: Cleanup::Nothing,
        }
    }

    /// The URL to give the server (`MADOGUCHI_DATABASE_URL`).
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// One mail of the outbox table, as the server queued it.
#[derive(Debug, Clone, QueryableByName)]
pub struct QueuedMail {
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub subject: String,
    #[diesel(sql_type = Text)]
    pub body: String,
    /// The `Cc` addresses as a JSON array (`[]` when none).
    #[diesel(sql_type = Text)]
    pub cc: String,
}

impl TestDatabase {
    /// Every mail the server queued (its `mail` jobs), oldest first, read straight from its
    /// database. The recipient comes from the payload: the job's `recipient` column is set
    /// only on mails the hourly limit counts.
    pub fn outbox(&self) -> Vec<QueuedMail> {
        let query = match self.backend {
            Backend::Sqlite => {
                "SELECT json_extract(payload, '$.to') AS recipient, json_extract(payload, '$.subject') AS subject, json_extract(payload, '$.body') AS body, coalesce(json_extract(payload, '$.cc'), '[]') AS cc \
                 FROM jobs WHERE kind = 'mail' ORDER BY id"
            }
            Backend::Postgres => {
                "SELECT payload::json ->> 'to' AS recipient, payload::json ->> 'subject' AS subject, payload::json ->> 'body' AS body, coalesce(payload::json ->> 'cc', '[]') AS cc \
                 FROM jobs WHERE kind = 'mail' ORDER BY id"
            }
        };
        self.query(query)
    }

    /// Rows of a raw query (test fixtures and checks).
    pub fn query<T: QueryableByName<diesel::pg::Pg> + QueryableByName<diesel::sqlite::Sqlite> + 'static>(
        &self,
        sql: &str,
    ) -> Vec<T> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn =
                    SqliteConnection::establish(self.sqlite_path()).expect("open the SQLite database");
                diesel::sql_query(sql).load(&mut conn).expect("query")
            }
            Backend::Postgres => {
                let mut conn = PgConnection::establish(&self.url).expect("connect to PostgreSQL");
                diesel::sql_query(sql).load(&mut conn).expect("query")
            }
        }
    }

    /// Runs statements (test fixtures).
    pub fn execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => SqliteConnection::establish(self.sqlite_path())
                .expect("open the SQLite database")
                .batch_execute(sql)
                .expect("execute"),
            Backend::Postgres => PgConnection::establish(&self.url)
                .expect("connect to PostgreSQL")
                .batch_execute(sql)
                .expect("execute"),
        }
    }

    fn sqlite_path(&self) -> &str {
        self.url.trim_start_matches("sqlite://")
    }

    /// The newest queued mail to `to` whose subject contains `subject`.
    pub fn last_mail(&self, to: &str, subject: &str) -> Option<QueuedMail> {
        self.outbox()
            .into_iter()
            .rev()
            .find(|mail| mail.recipient == to && mail.subject.contains(subject))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::PostgresDatabase { admin_url, name } = &self.cleanup {
            // FORCE ends the connections a still-running server may hold (PostgreSQL 13+).
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!(
        "madoguchi_test_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Replaces the database name in a PostgreSQL URL, keeping any `?parameters`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(base, query)| (base, Some(query)));
    let authority_start = base.find("://").map_or(0, |index| index + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |index| authority_start + index);
    let mut result = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        result.push('?');
        result.push_str(query);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(with_database("postgres://u:p@h:1", "t1"), "postgres://u:p@h:1/t1");
        assert_eq!(
            with_database("postgresql://h/db?sslmode=disable", "t1"),
            "postgresql://h/t1?sslmode=disable"
        );
    }
}
