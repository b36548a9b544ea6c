//! What every handler can reach. This module sits below the resources: it imports none of
//! them, and the router that mounts them imports it.

use std::sync::Arc;

use crate::storage::Storage;

use madoguchi_types::DatabaseBackend;

use crate::auth::jwt::JwtKeys;
use crate::clock::Clock;
use crate::db::DbPool;
use crate::net::{TargetLimit, TrustedProxies};

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub backend: DatabaseBackend,
    pub clock: Clock,
    pub jwt: Arc<JwtKeys>,
    /// The portal's address as users reach it, without a trailing slash (for mailed links).
    pub public_url: String,
    /// Whether cookies get the `Secure` flag (HTTPS, or a loopback address browsers treat
    /// as secure).
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` / `Forwarded` header names the client.
    pub trusted_proxies: Arc<TrustedProxies>,
    /// Registrations per maintenance email (against probing which addresses are on
    /// contracts through the registration form).
    pub registration_targets: Arc<TargetLimit>,
    /// Uploaded files (local directory or S3).
    pub storage: Storage,
    /// Largest document upload, in bytes.
    pub document_max_bytes: u64,
    /// Largest catalog file, knowledge attachment or ticket attachment, in bytes.
    pub file_max_bytes: u64,
    /// The token inbound mail is posted with (none: replies by mail are refused).
    pub inbound_mail_token: Option<secrecy::SecretString>,
    /// Seals and opens the PBX passwords.
    pub sealing: Arc<crate::sealing::SealingKey>,
    /// Days of call-detail records kept.
    pub cdr_retention_days: i64,
}

impl AppState {
    /// A link into the SPA (`/reset-password?token=…`).
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url)
    }
}
