//! Settings in layers: defaults in code, then an optional TOML file, then `MADOGUCHI_*`
//! environment variables (highest). Secrets are `SecretString`s: they never reach a log.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::SecretString;
use serde::Deserialize;

/// Environment variable naming the optional settings file (default `madoguchi.toml`).
pub const CONFIG_FILE_ENV: &str = "MADOGUCHI_CONFIG";
const DEFAULT_CONFIG_FILE: &str = "madoguchi.toml";

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Address to listen on.
    #[serde(default = "defaults::host")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (tests).
    #[serde(default = "defaults::port")]
    pub port: u16,
    /// `postgres://…` for PostgreSQL, `sqlite://path` (or a bare path) for SQLite.
    #[serde(default = "defaults::database_url")]
    pub database_url: SecretString,
    /// Most connections the pool opens.
    #[serde(default = "defaults::database_pool_size")]
    pub database_pool_size: u32,
    /// The built SPA (`cargo xtask web` writes it); served at `/` when present.
    #[serde(default = "defaults::web_dir")]
    pub web_dir: PathBuf,
    /// `pretty` for people, `json` for log collectors.
    #[serde(default)]
    pub log_format: LogFormat,
    /// Log filter in `tracing` syntax; `RUST_LOG` wins when set.
    #[serde(default = "defaults::log")]
    pub log: String,
    /// Seconds in-flight requests get to finish after SIGTERM/SIGINT.
    #[serde(default = "defaults::shutdown_timeout_secs")]
    pub shutdown_timeout_secs: u64,
    /// Number of HTTP worker threads; 0 means one per CPU core.
    #[serde(default)]
    pub workers: usize,
    /// The portal's address as users reach it; links in mails start with it.
    #[serde(default = "defaults::public_url")]
    pub public_url: String,
    /// Signs access tokens (HS256). Set the same value on every instance; when unset, a
    /// random key is generated at start-up (sign-ins then end with a restart).
    #[serde(default)]
    pub jwt_secret: Option<SecretString>,
    /// `smtp://host:port` (or `smtps://user:pass@host`); when unset, mails are written as
    /// `.eml` files into `mail_dir`.
    #[serde(default)]
    pub smtp_url: Option<SecretString>,
    #[serde(default = "defaults::mail_dir")]
    pub mail_dir: PathBuf,
    #[serde(default = "defaults::mail_from")]
    pub mail_from: String,
    /// Whether this instance runs background jobs (mail, recovery, purges). Turn it off
    /// for instances that should only answer requests; at least one instance must run them.
    #[serde(default = "defaults::run_jobs")]
    pub run_jobs: bool,
    /// How often the job worker looks for due jobs, in milliseconds.
    #[serde(default = "defaults::mail_poll_interval_ms")]
    pub mail_poll_interval_ms: u64,
    /// Requests per minute one IP address may make to the sign-in and registration
    /// endpoints, after a burst of `auth_rate_burst`.
    #[serde(default = "defaults::auth_rate_per_minute")]
    pub auth_rate_per_minute: u64,
    #[serde(default = "defaults::auth_rate_burst")]
    pub auth_rate_burst: u32,
    /// Requests per minute one IP address may make to the signed-in steps that check the
    /// current password, and to crash reports, after a burst of `sensitive_rate_burst`.
    #[serde(default = "defaults::sensitive_rate_per_minute")]
    pub sensitive_rate_per_minute: u64,
    #[serde(default = "defaults::sensitive_rate_burst")]
    pub sensitive_rate_burst: u32,
    /// Registrations per maintenance email and hour (whatever the client address).
    #[serde(default = "defaults::registrations_per_target_per_hour")]
    pub registrations_per_target_per_hour: u32,
    /// Most mails one address receives per hour; more are dropped and recorded.
    #[serde(default = "defaults::mail_per_recipient_per_hour")]
    pub mail_per_recipient_per_hour: i64,
    /// Load balancers / reverse proxies (addresses or networks, comma-separated in the
    /// environment) whose `X-Forwarded-For` / `Forwarded` header names the client. Empty:
    /// the peer address is the client.
    #[serde(default, deserialize_with = "list_or_comma_separated")]
    pub trusted_proxies: Vec<String>,
    /// Where uploaded files are kept when no S3 bucket is configured.
    #[serde(default = "defaults::storage_dir")]
    pub storage_dir: PathBuf,
    /// An S3-compatible bucket for uploaded files (several instances share it); unset:
    /// `storage_dir` on this machine.
    #[serde(default)]
    pub s3_bucket: Option<String>,
    /// The S3 endpoint (`http://minio:9000`); unset: AWS.
    #[serde(default)]
    pub s3_endpoint: Option<String>,
    #[serde(default = "defaults::s3_region")]
    pub s3_region: String,
    #[serde(default)]
    pub s3_access_key_id: Option<String>,
    #[serde(default)]
    pub s3_secret_access_key: Option<SecretString>,
    /// Largest document (PDF) upload, in bytes.
    #[serde(default = "defaults::document_max_bytes")]
    pub document_max_bytes: u64,
    /// Largest catalog file (firmware, manual) or knowledge attachment, in bytes.
    #[serde(default = "defaults::file_max_bytes")]
    pub file_max_bytes: u64,
    /// Days of call-detail records kept (SPEC §8.4: 92).
    #[serde(default = "defaults::cdr_retention_days")]
    pub cdr_retention_days: i64,
    /// The bearer token the mail server's pipe or webhook posts replies with
    /// (`POST /api/v1/inbound-mail`); without it, replies by mail are refused.
    #[serde(default)]
    pub inbound_mail_token: Option<SecretString>,
    /// Seals the PBX passwords the CSV export gives back (at least 32 characters, the same
    /// on every instance). Required with PostgreSQL; on SQLite a key is made once beside
    /// the database file when this is unset.
    #[serde(default)]
    pub pbx_secret_key: Option<SecretString>,
}

/// A TOML list, or one comma-separated string (as environment variables give it).
fn list_or_comma_separated<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        One(String),
    }
    Ok(match Raw::deserialize(deserializer)? {
        Raw::List(list) => list,
        Raw::One(text) => text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

mod defaults {
    use std::path::PathBuf;

    use secrecy::SecretString;

    pub fn host() -> String {
        "127.0.0.1".into()
    }
    pub fn port() -> u16 {
        8080
    }
    pub fn database_url() -> SecretString {
        "sqlite://data/madoguchi.db".into()
    }
    pub fn database_pool_size() -> u32 {
        8
    }
    pub fn web_dir() -> PathBuf {
        PathBuf::from("web/dist")
    }
    pub fn log() -> String {
        "info".into()
    }
    pub fn shutdown_timeout_secs() -> u64 {
        30
    }
    pub fn public_url() -> String {
        "http://127.0.0.1:8080".into()
    }
    pub fn mail_dir() -> PathBuf {
        PathBuf::from("data/mail")
    }
    pub fn storage_dir() -> PathBuf {
        PathBuf::from("data/files")
    }
    pub fn s3_region() -> String {
        "us-east-1".into()
    }
    pub fn document_max_bytes() -> u64 {
        50 * 1024 * 1024
    }
    pub fn file_max_bytes() -> u64 {
        1024 * 1024 * 1024
    }
    pub fn cdr_retention_days() -> i64 {
        madoguchi_types::cdrs::RETENTION_DAYS
    }
    pub fn mail_from() -> String {
        "窓口 Madoguchi <no-reply@madoguchi.example.jp>".into()
    }
    pub fn run_jobs() -> bool {
        true
    }
    pub fn mail_poll_interval_ms() -> u64 {
        1000
    }
    pub fn auth_rate_per_minute() -> u64 {
        30
    }
    pub fn auth_rate_burst() -> u32 {
        10
    }
    pub fn sensitive_rate_per_minute() -> u64 {
        20
    }
    pub fn sensitive_rate_burst() -> u32 {
        10
    }
    pub fn registrations_per_target_per_hour() -> u32 {
        10
    }
    pub fn mail_per_recipient_per_hour() -> i64 {
        30
    }
}

#[derive(Debug, thiserror::Error)]
#[error("invalid settings: {0}")]
pub struct SettingsError(#[from] Box<figment::Error>);

impl Settings {
    /// Defaults, then `$MADOGUCHI_CONFIG` (or `./madoguchi.toml` if it exists), then the environment.
    pub fn load() -> Result<Self, SettingsError> {
        let file = std::env::var_os(CONFIG_FILE_ENV)
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        Self::load_from(&file)
    }

    pub fn load_from(file: &Path) -> Result<Self, SettingsError> {
        Figment::new()
            .merge(Toml::file(file))
            .merge(Env::prefixed("MADOGUCHI_").ignore(&["config"]))
            .extract()
            .map_err(|error| SettingsError(Box::new(error)))
    }

    /// Settings with every default, as a starting point for tests.
    pub fn defaults() -> Result<Self, SettingsError> {
        Figment::new()
            .extract()
            .map_err(|error| SettingsError(Box::new(error)))
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn file_overrides_defaults_and_environment_overrides_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "madoguchi.toml",
                "port = 9000\nlog_format = \"json\"\ndatabase_url = \"sqlite://x.db\"",
            )?;
            jail.set_env("MADOGUCHI_PORT", "9100");
            let settings = Settings::load_from(Path::new("madoguchi.toml")).expect("loads");
            assert_eq!(settings.port, 9100);
            assert_eq!(settings.log_format, LogFormat::Json);
            assert_eq!(settings.database_url.expose_secret(), "sqlite://x.db");
            assert_eq!(settings.host, "127.0.0.1");
            Ok(())
        });
    }

    #[test]
    fn database_url_is_redacted_in_debug_output() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("MADOGUCHI_DATABASE_URL", "postgres://app:hunter2@db/madoguchi");
            let settings = Settings::load_from(Path::new("missing.toml")).expect("loads");
            assert!(!format!("{settings:?}").contains("hunter2"));
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_names_the_setting() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("MADOGUCHI_PORT", "eighty");
            let error = Settings::load_from(Path::new("missing.toml")).expect_err("refused");
            assert!(error.to_string().to_lowercase().contains("port"), "{error}");
            Ok(())
        });
    }
}
