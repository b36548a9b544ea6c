//! One connection type over SQLite (the default, embedded) and PostgreSQL (production),
//! chosen by the database URL; an r2d2 pool of it; migrations embedded per backend.
//!
//! Query functions are plain `fn(&mut DbConn, …) -> QueryResult<…>`; handlers run them off
//! the async workers with [`run`].
//!
//! Look rows up by a unique key with `.get_result()`, not `.first()`: on SQLite diesel does
//! not cache the prepared statement of a query with `LIMIT`, and preparing a three-table
//! join on every request cost ~14× its execution (measured: 183 µs against 13 µs).

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use madoguchi_types::DatabaseBackend;
use secrecy::{ExposeSecret, SecretString};

use crate::error::ApiError;

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs `$body` with `$conn` bound to the inner, concrete connection, compiled once per
/// backend: for what the two-backend connection cannot express (multi-row inserts,
/// `FOR UPDATE SKIP LOCKED`).
#[macro_export]
macro_rules! with_inner {
    ($conn:expr, |$inner:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Pg($inner) => $body,
            $crate::db::DbConn::Sqlite($inner) => $body,
        }
    };
}

pub type DbPool = r2d2::Pool<ConnectionManager>;

/// A pooled connection and when it was last known to work. Checking every connection on
/// every checkout costs a round trip to PostgreSQL per request; a connection used within
/// [`TRUSTED_FOR`] is handed out without it.
pub struct PoolConn {
    conn: DbConn,
    checked_at: std::time::Instant,
}

/// How long a connection that worked is trusted without a check.
const TRUSTED_FOR: Duration = Duration::from_secs(15);

impl std::ops::Deref for PoolConn {
    type Target = DbConn;

    fn deref(&self) -> &DbConn {
        &self.conn
    }
}

impl std::ops::DerefMut for PoolConn {
    fn deref_mut(&mut self) -> &mut DbConn {
        // Handed out for use: it counts as working until the next checkout proves otherwise.
        self.checked_at = std::time::Instant::now();
        &mut self.conn
    }
}

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Where the database is, parsed from the configured URL.
#[derive(Clone)]
pub enum DatabaseUrl {
    Postgres(SecretString),
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    /// `postgres://…`/`postgresql://…` is PostgreSQL; `sqlite://path`, `sqlite:path` or a bare
    /// path is a SQLite file.
    pub fn parse(url: &SecretString) -> Result<Self, DbError> {
        let raw = url.expose_secret().trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.into()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path.is_empty() || path.contains("://") {
            return Err(DbError::UnsupportedUrl);
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> DatabaseBackend {
        match self {
            Self::Postgres(_) => DatabaseBackend::Postgres,
            Self::Sqlite(_) => DatabaseBackend::Sqlite,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database URL must start with postgres:// or sqlite:// (or be a file path)")]
    UnsupportedUrl,
    #[error("cannot create the SQLite directory {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] ConnectionError),
    #[error("cannot prepare the connection: {0}")]
    Setup(#[from] diesel::result::Error),
    #[error("cannot open the connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
}

/// An r2d2 manager that opens the backend the URL names and reports its real connection
/// errors (the stock manager for a `MultiConnection` opens any non-Postgres string as SQLite).
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Result<Self, DbError> {
        if let DatabaseUrl::Sqlite(path) = &url
            && let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        Ok(Self { url })
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = PoolConn;
    type Error = DbError;

    fn connect(&self) -> Result<PoolConn, DbError> {
        Ok(PoolConn {
            conn: self.open()?,
            checked_at: std::time::Instant::now(),
        })
    }

    /// Pings a connection that has been idle longer than [`TRUSTED_FOR`].
    fn is_valid(&self, conn: &mut PoolConn) -> Result<(), DbError> {
        if conn.checked_at.elapsed() < TRUSTED_FOR {
            return Ok(());
        }
        conn.conn.batch_execute("SELECT 1").map_err(DbError::from)?;
        conn.checked_at = std::time::Instant::now();
        Ok(())
    }

    fn has_broken(&self, conn: &mut PoolConn) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.conn.is_broken()
    }
}

impl ConnectionManager {
    fn open(&self) -> Result<DbConn, DbError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => Ok(DbConn::Pg(PgConnection::establish(url.expose_secret())?)),
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers work while one writer commits; the busy timeout makes a
                // second writer wait instead of failing at once; SQLite leaves foreign keys
                // off unless asked, per connection.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

/// Opens the pool and applies pending migrations.
pub fn connect(url: &SecretString, max_size: u32) -> Result<DbPool, DbError> {
    let url = DatabaseUrl::parse(url)?;
    let pool = r2d2::Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .build(ConnectionManager::new(url)?)?;
    let mut conn = pool.get()?;
    run_migrations(&mut conn)?;
    Ok(pool)
}

/// Applies the embedded migrations of the connection's backend.
///
/// On PostgreSQL several API instances may start at once against one database: an advisory
/// lock makes them take turns, so each migration runs exactly once.
pub fn run_migrations(conn: &mut DbConn) -> Result<(), DbError> {
    const MIGRATION_LOCK: i64 = 0x6d61_646f_6775_6368; // "madoguch"
    let migration_error =
        |error: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(error.to_string());
    match conn {
        DbConn::Pg(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let applied = pg
                .run_pending_migrations(PG_MIGRATIONS)
                .map(|_| ())
                .map_err(migration_error);
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            applied
        }
        DbConn::Sqlite(sqlite) => sqlite
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|_| ())
            .map_err(migration_error),
    }
}

/// Runs blocking database work on actix's blocking thread pool with a pooled connection,
/// inside the caller's tracing span (so that its log lines keep the request id).
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool.get().map_err(ApiError::database_unavailable)?;
        work(&mut conn)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Runs blocking work that needs no connection (password hashing) off the async workers,
/// inside the caller's tracing span.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        work()
    })
    .await
    .map_err(ApiError::internal)
}

/// Runs `work` in one transaction on a pooled connection (off the async workers).
pub async fn transaction<T, F>(pool: &DbPool, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
{
    run(pool, move |conn| write_transaction(conn, work)).await
}

/// A transaction meant to write. On SQLite it begins `IMMEDIATE`: it takes the write lock
/// first (waiting up to the busy timeout), instead of reading and then failing at once with
/// `SQLITE_BUSY` because another connection committed in between. Nested calls become
/// savepoints, as with `Connection::transaction`.
pub fn write_transaction<T>(
    conn: &mut DbConn,
    work: impl FnOnce(&mut DbConn) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};

    let DbConn::Sqlite(sqlite) = conn else {
        return conn.transaction(work);
    };
    let depth = AnsiTransactionManager::transaction_manager_status_mut(sqlite).transaction_depth()?;
    if depth.is_some() {
        return conn.transaction(work);
    }
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    match work(conn) {
        Ok(value) => match <DbConn as Connection>::TransactionManager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(error) => {
                let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
                Err(error.into())
            }
        },
        Err(error) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_picks_the_backend_by_scheme() {
        let parse = |raw: &str| DatabaseUrl::parse(&SecretString::from(raw)).map(|url| url.backend());
        assert_eq!(parse("postgres://u@h/db").ok(), Some(DatabaseBackend::Postgres));
        assert_eq!(parse("postgresql://u@h/db").ok(), Some(DatabaseBackend::Postgres));
        assert_eq!(parse("sqlite://data/m.db").ok(), Some(DatabaseBackend::Sqlite));
        assert_eq!(parse("data/m.db").ok(), Some(DatabaseBackend::Sqlite));
        assert!(matches!(parse("mysql://u@h/db"), Err(DbError::UnsupportedUrl)));
        assert!(matches!(parse(""), Err(DbError::UnsupportedUrl)));
    }

    #[test]
    fn sqlite_write_transactions_commit_roll_back_and_nest() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = SecretString::from(format!("sqlite://{}/t.db", dir.path().display()));
        let pool = connect(&url, 2).expect("pool");
        let mut conn = pool.get().expect("connection");
        conn.batch_execute("CREATE TABLE t (v INTEGER)").expect("table");
        let count = |conn: &mut DbConn| {
            #[derive(QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            diesel::sql_query("SELECT COUNT(*) AS n FROM t")
                .get_result::<Count>(conn)
                .expect("count")
                .n
        };
        write_transaction(&mut conn, |conn| {
            conn.batch_execute("INSERT INTO t VALUES (1)")?;
            // A nested failure rolls back to its savepoint only.
            let inner: Result<(), ApiError> = write_transaction(conn, |conn| {
                conn.batch_execute("INSERT INTO t VALUES (2)")?;
                Err(ApiError::NotFound)
            });
            assert!(inner.is_err());
            Ok(())
        })
        .expect("committed");
        assert_eq!(count(&mut conn), 1);
        let failed: Result<(), ApiError> = write_transaction(&mut conn, |conn| {
            conn.batch_execute("INSERT INTO t VALUES (3)")?;
            Err(ApiError::NotFound)
        });
        assert!(failed.is_err());
        assert_eq!(count(&mut conn), 1, "rolled back");
    }

    /// Read-then-write transactions from several connections at once: deferred ones fail
    /// with SQLITE_BUSY when another commits in between; immediate ones wait their turn.
    #[test]
    fn concurrent_sqlite_write_transactions_wait_instead_of_failing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = SecretString::from(format!("sqlite://{}/t.db", dir.path().display()));
        let pool = connect(&url, 8).expect("pool");
        pool.get()
            .expect("connection")
            .batch_execute("CREATE TABLE counter (v INTEGER); INSERT INTO counter VALUES (0);")
            .expect("table");
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let pool = pool.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().expect("connection");
                    for _ in 0..25 {
                        write_transaction(&mut conn, |conn| {
                            conn.batch_execute("SELECT v FROM counter")?;
                            // Widens the window in which another connection commits.
                            std::thread::sleep(std::time::Duration::from_millis(1));
                            conn.batch_execute("UPDATE counter SET v = v + 1")?;
                            Ok(())
                        })
                        .expect("no SQLITE_BUSY");
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("thread");
        }
        #[derive(QueryableByName)]
        struct Value {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            v: i32,
        }
        let total = diesel::sql_query("SELECT v FROM counter")
            .get_result::<Value>(&mut **pool.get().expect("connection"))
            .expect("value")
            .v;
        assert_eq!(total, 150);
    }

    #[test]
    fn sqlite_connections_have_wal_foreign_keys_and_busy_timeout() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = SecretString::from(format!("sqlite://{}/nested/t.db", dir.path().display()));
        let pool = connect(&url, 2).expect("pool");
        let mut conn = pool.get().expect("connection");
        #[derive(QueryableByName)]
        struct Pragma {
            #[diesel(sql_type = diesel::sql_types::Text)]
            value: String,
        }
        let mut pragma = |name: &str, column: &str| {
            diesel::sql_query(format!(
                "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
            ))
            .get_result::<Pragma>(&mut **conn)
            .expect("pragma")
            .value
        };
        assert_eq!(pragma("journal_mode", "journal_mode"), "wal");
        assert_eq!(pragma("foreign_keys", "foreign_keys"), "1");
        assert_eq!(pragma("busy_timeout", "timeout"), "5000");
    }
}
