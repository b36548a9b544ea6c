//! Organizations (SPEC §2): the customers, each with a customer number. Staff create and
//! rename them; a customer reads its own.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::OrganizationId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: OrganizationId,
    /// お客様番号: `N` and 9 digits.
    pub customer_number: String,
    pub name: String,
    /// Accounts of the organization (any status).
    pub accounts: i64,
    /// Contracts of the organization that are active today.
    pub active_contracts: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A page of organizations, ordered by customer number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OrganizationPage {
    pub items: Vec<Organization>,
    /// Organizations matching the filter in all pages.
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewOrganizationRequest {
    /// `N` and 9 digits (a lower-case `n` is taken as `N`).
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 10, max_length = 10, pattern = "^[Nn][0-9]{9}$")
    )]
    pub customer_number: String,
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub name: String,
}

/// A rename; the customer number never changes (it is on every certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OrganizationUpdate {
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub name: String,
}
