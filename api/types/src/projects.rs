//! Projects (案件) and their customer project groups (顧客案件グループ), SPEC §2: a project
//! groups contracts of one organization; the accounts of its one group see only the
//! contracts (and what hangs on them) of their groups' projects.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::{OrganizationSummary, Role};
use crate::ids::{AccountId, ContractId, OrganizationId, ProjectId};

/// Most contracts on one project.
pub const MAX_CONTRACTS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProjectSummary {
    pub id: ProjectId,
    pub organization: OrganizationSummary,
    /// 案件名
    pub name: String,
    /// 顧客案件グループ名
    pub group_name: String,
    pub contracts: i64,
    pub members: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProjectContract {
    pub id: ContractId,
    pub contract_number: String,
}

/// An account in the project's customer project group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProjectMember {
    pub id: AccountId,
    pub login_id: String,
    pub full_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: ProjectId,
    pub organization: OrganizationSummary,
    pub name: String,
    pub group_name: String,
    /// Contracts of the project, by number.
    pub contracts: Vec<ProjectContract>,
    /// Members of its customer project group, by login ID.
    pub members: Vec<ProjectMember>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProjectPage {
    pub items: Vec<ProjectSummary>,
    pub total: i64,
}

/// A new project with its customer project group (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewProjectRequest {
    pub organization_id: OrganizationId,
    /// 案件名, unique in the organization.
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub name: String,
    /// 顧客案件グループ名
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub group_name: String,
    /// Contract numbers of the organization (保守契約番号, several allowed).
    #[cfg_attr(feature = "schema", schema(max_items = 200))]
    pub contract_numbers: Vec<String>,
}

/// Changes to a project (staff); absent fields stay, `contract_numbers` replaces the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProjectUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(max_items = 200))]
    pub contract_numbers: Option<Vec<String>>,
}
