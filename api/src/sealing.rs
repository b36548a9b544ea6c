//! Secrets the server must be able to give back — an extension's SIP and web passwords,
//! which the CSV export returns — sealed with AES-256-GCM under the PBX key: a fresh
//! 96-bit nonce per value, stored as base64 of nonce and ciphertext. The key never leaves
//! this module and never reaches a log.
//!
//! The key comes from `MADOGUCHI_PBX_SECRET_KEY` (at least 32 characters; every instance
//! sharing a database needs the same). On a PostgreSQL deployment it is required: the
//! server refuses to start without it. On the SQLite default (one machine) a random key is
//! made once and kept beside the database file, so that a first run needs nothing.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::db::DatabaseUrl;

/// Fewest characters of a configured key.
const KEY_MIN: usize = 32;
const NONCE_BYTES: usize = 12;
const KEY_FILE: &str = "pbx-secret.key";

#[derive(Clone)]
pub struct SealingKey(Aes256Gcm);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SealingError {
    #[error("MADOGUCHI_PBX_SECRET_KEY must have at least {KEY_MIN} characters")]
    TooShort,
    #[error(
        "MADOGUCHI_PBX_SECRET_KEY is required with PostgreSQL: every instance must share the key that seals the PBX passwords"
    )]
    Missing,
    #[error("the PBX key file {0}: {1}")]
    KeyFile(String, std::io::Error),
    #[error("a sealed value cannot be opened with this key (another MADOGUCHI_PBX_SECRET_KEY?)")]
    Unreadable,
}

impl SealingKey {
    /// A key from configured text (its SHA-256 is the AES key).
    pub fn from_secret(secret: &str) -> Result<Self, SealingError> {
        if secret.chars().count() < KEY_MIN {
            return Err(SealingError::TooShort);
        }
        let digest = Sha256::digest(secret.as_bytes());
        Aes256Gcm::new_from_slice(&digest)
            .map(Self)
            .map_err(|_| SealingError::TooShort)
    }

    /// The configured key; else, on SQLite, the key kept beside the database (made on the
    /// first start); else refused.
    pub fn load(configured: Option<&SecretString>, database: &DatabaseUrl) -> Result<Self, SealingError> {
        if let Some(secret) = configured {
            return Self::from_secret(secret.expose_secret());
        }
        match database {
            DatabaseUrl::Postgres(_) => Err(SealingError::Missing),
            DatabaseUrl::Sqlite(path) => {
                let dir = path
                    .parent()
                    .filter(|dir| !dir.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                Self::from_file(&dir.join(KEY_FILE))
            }
        }
    }

    fn from_file(path: &Path) -> Result<Self, SealingError> {
        let failed = |error| SealingError::KeyFile(path.display().to_string(), error);
        match std::fs::read_to_string(path) {
            Ok(secret) => Self::from_secret(secret.trim()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let secret = crate::secrets::random_token();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(failed)?;
                }
                write_private(path, &secret).map_err(failed)?;
                tracing::info!(path = %path.display(), "made the PBX key for this SQLite database");
                Self::from_secret(&secret)
            }
            Err(error) => Err(failed(error)),
        }
    }

    pub fn seal(&self, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        // The operating system's generator failing is not recoverable.
        #[allow(clippy::expect_used)]
        getrandom::fill(&mut nonce).expect("the OS random number generator is available");
        // Encrypting a short text in memory cannot fail.
        #[allow(clippy::expect_used)]
        let ciphertext = self
            .0
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("AES-GCM encrypts");
        let mut sealed = nonce.to_vec();
        sealed.extend(ciphertext);
        STANDARD.encode(sealed)
    }

    pub fn open(&self, sealed: &str) -> Result<String, SealingError> {
        let bytes = STANDARD.decode(sealed).map_err(|_| SealingError::Unreadable)?;
        if bytes.len() < NONCE_BYTES {
            return Err(SealingError::Unreadable);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .0
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| SealingError::Unreadable)?;
        String::from_utf8(plain).map_err(|_| SealingError::Unreadable)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(secret.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, secret: &str) -> std::io::Result<()> {
    std::fs::write(path, secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_their_key_only() {
        let key = SealingKey::from_secret("a-pbx-key-of-at-least-thirty-two-characters").expect("key");
        let sealed = key.seal("Abcd1234");
        assert_ne!(sealed, key.seal("Abcd1234"), "a fresh nonce each time");
        assert!(!sealed.contains("Abcd1234"));
        assert_eq!(key.open(&sealed).expect("opens"), "Abcd1234");
        let other = SealingKey::from_secret("another-pbx-key-of-at-least-thirty-two-chars").expect("key");
        assert!(other.open(&sealed).is_err());
        assert!(key.open("not base64!").is_err());
        assert!(matches!(
            SealingKey::from_secret("short"),
            Err(SealingError::TooShort)
        ));
    }

    #[test]
    fn postgres_needs_a_configured_key_and_sqlite_keeps_one_beside_its_file() {
        let postgres = DatabaseUrl::Postgres("postgres://localhost/madoguchi".to_owned().into());
        assert!(matches!(
            SealingKey::load(None, &postgres),
            Err(SealingError::Missing)
        ));
        let dir = tempfile::tempdir().expect("dir");
        let sqlite = DatabaseUrl::Sqlite(dir.path().join("madoguchi.db"));
        let first = SealingKey::load(None, &sqlite).expect("made");
        let again = SealingKey::load(None, &sqlite).expect("read");
        assert_eq!(again.open(&first.seal("secret1")).expect("same key"), "secret1");
    }
}
