//! `POST /api/v1/client-errors`: the SPA reports its own crashes, so that they reach the
//! server's log (with the request id) instead of dying in a user's browser console.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ClientErrorReport {
    /// The panic or error message (1–2000 characters).
    pub message: String,
    /// Source location (`file:line:column`), if known (≤ 500 characters).
    #[serde(default)]
    pub location: Option<String>,
    /// The page's path when it happened (≤ 500 characters).
    #[serde(default)]
    pub page: Option<String>,
}
