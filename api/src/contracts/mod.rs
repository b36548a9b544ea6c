//! Contracts of an organization, with the maintenance emails registered on the
//! support-service certificate (registration is gated on those, SPEC §3.1).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{ContractNumber, EmailAddress};
use crate::organizations::OrganizationId;
use crate::schema::{contract_emails, contracts};

/// The services a contract can be for (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    ProductMaintenance,
    ManagedService,
    HardwareMaintenance,
    SoftwareMaintenance,
    OfficeLink,
    BusinessMobile,
    CxSupport,
}

impl Service {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProductMaintenance => "product_maintenance",
            Self::ManagedService => "managed_service",
            Self::HardwareMaintenance => "hardware_maintenance",
            Self::SoftwareMaintenance => "software_maintenance",
            Self::OfficeLink => "office_link",
            Self::BusinessMobile => "business_mobile",
            Self::CxSupport => "cx_support",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractStatus {
    Active,
    Expired,
    Cancelled,
}

impl ContractStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
        }
    }
}

/// Whose email it is on the support-service certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailHolder {
    SalesAgent,
    Operator,
    EndUser,
}

impl EmailHolder {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SalesAgent => "sales_agent",
            Self::Operator => "operator",
            Self::EndUser => "end_user",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contracts)]
pub struct Contract {
    pub id: i64,
    pub organization_id: i64,
    pub contract_number: String,
    pub service: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A contract to create, valid by construction.
#[derive(Debug)]
pub struct NewContract {
    pub organization: OrganizationId,
    pub number: ContractNumber,
    pub service: Service,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: ContractStatus,
    pub emails: Vec<(EmailHolder, EmailAddress)>,
}

#[derive(Insertable)]
#[diesel(table_name = contracts)]
struct ContractRow<'a> {
    organization_id: i64,
    contract_number: &'a str,
    service: &'a str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    status: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = contract_emails)]
struct ContractEmailRow<'a> {
    contract_id: i64,
    holder: &'a str,
    email: &'a str,
}

/// Inserts the contract and its emails; run it inside a transaction.
pub fn insert(conn: &mut DbConn, new: &NewContract, now: NaiveDateTime) -> QueryResult<Contract> {
    let contract: Contract = diesel::insert_into(contracts::table)
        .values(ContractRow {
            organization_id: new.organization.0,
            contract_number: new.number.as_str(),
            service: new.service.as_str(),
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            status: new.status.as_str(),
            created_at: now,
            updated_at: now,
        })
        .returning(contracts::all_columns)
        .get_result(conn)?;
    // One row at a time: multi-row inserts do not go through the two-backend connection.
    for (holder, email) in &new.emails {
        diesel::insert_into(contract_emails::table)
            .values(ContractEmailRow {
                contract_id: contract.id,
                holder: holder.as_str(),
                email: email.as_str(),
            })
            .execute(conn)?;
    }
    Ok(contract)
}
