//! Contracts (SPEC §4): the services, statuses and certificate holders.

crate::text_enum! {
    /// The services a contract can be for.
    pub enum Service {
        ProductMaintenance = "product_maintenance",
        ManagedService = "managed_service",
        HardwareMaintenance = "hardware_maintenance",
        SoftwareMaintenance = "software_maintenance",
        OfficeLink = "office_link",
        BusinessMobile = "business_mobile",
        CxSupport = "cx_support",
    }
}

crate::text_enum! {
    pub enum ContractStatus {
        Active = "active",
        Expired = "expired",
        Cancelled = "cancelled",
    }
}

crate::text_enum! {
    /// Whose email it is on the support-service certificate.
    pub enum EmailHolder {
        SalesAgent = "sales_agent",
        Operator = "operator",
        EndUser = "end_user",
    }
}

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::OrganizationSummary;
use crate::ids::{ContractId, OrganizationId};

/// A maintenance email registered on the support-service certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ContractEmail {
    pub holder: EmailHolder,
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 3, max_length = 254, format = "email")
    )]
    pub email: String,
}

/// A piece of equipment the contract covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Equipment {
    /// メーカー
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub maker: String,
    /// 機種 (model)
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub model: String,
    /// シリアル番号
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub serial_number: String,
    /// OS バージョン; empty when unknown.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 100))]
    pub os_version: String,
}

/// A contract as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ContractSummary {
    pub id: ContractId,
    /// 契約番号, e.g. `ABC1234567`.
    pub contract_number: String,
    pub organization: OrganizationSummary,
    pub service: Service,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: ContractStatus,
    /// Days from today (Japan) to the end date; negative once it has ended.
    pub days_left: i64,
    /// Pieces of equipment covered.
    pub equipment_count: i64,
    pub updated_at: DateTime<Utc>,
}

/// One contract with its emails, equipment and projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Contract {
    #[serde(flatten)]
    pub summary: ContractSummary,
    pub emails: Vec<ContractEmail>,
    pub equipment: Vec<Equipment>,
    /// The projects (案件) the contract belongs to.
    pub projects: Vec<ContractProject>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ContractProject {
    pub id: crate::ids::ProjectId,
    pub name: String,
}

/// A page of contracts, soonest end first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ContractPage {
    pub items: Vec<ContractSummary>,
    /// Contracts matching the filter in all pages.
    pub total: i64,
}

/// Most maintenance emails on one contract.
pub const MAX_EMAILS: usize = 20;
/// Most pieces of equipment on one contract.
pub const MAX_EQUIPMENT: usize = 500;

/// A new contract (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewContractRequest {
    pub organization_id: OrganizationId,
    /// 4–20 letters, digits or `-`; stored upper-case.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 4, max_length = 20, pattern = "^[A-Za-z0-9-]{4,20}$")
    )]
    pub contract_number: String,
    pub service: Service,
    pub starts_on: NaiveDate,
    /// On or after `starts_on`.
    pub ends_on: NaiveDate,
    pub status: ContractStatus,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_items = 20))]
    pub emails: Vec<ContractEmail>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_items = 500))]
    pub equipment: Vec<Equipment>,
}

/// Changes to a contract (staff); absent fields stay. `emails` and `equipment` replace
/// the whole list. The number and organization never change (they are on the certificate).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ContractUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ContractStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(max_items = 20))]
    pub emails: Option<Vec<ContractEmail>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(max_items = 500))]
    pub equipment: Option<Vec<Equipment>>,
}
