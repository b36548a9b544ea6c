//! Contracts of an organization, with the maintenance emails registered on the
//! support-service certificate (registration is gated on those, SPEC §3.1).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{ContractNumber, EmailAddress};
pub use madoguchi_types::contracts::{ContractStatus, EmailHolder, Service};
pub use madoguchi_types::ids::ContractId;

use crate::organizations::OrganizationId;
use crate::schema::{contract_emails, contracts};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contracts)]
pub struct Contract {
    pub id: ContractId,
    pub organization_id: OrganizationId,
    pub contract_number: String,
    pub service: Service,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: ContractStatus,
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
    organization_id: OrganizationId,
    contract_number: &'a str,
    service: Service,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    status: ContractStatus,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = contract_emails)]
struct ContractEmailRow<'a> {
    contract_id: ContractId,
    holder: EmailHolder,
    email: &'a str,
}

/// Inserts the contract and its emails; run it inside a transaction.
pub fn insert(conn: &mut DbConn, new: &NewContract, now: NaiveDateTime) -> QueryResult<Contract> {
    let contract: Contract = diesel::insert_into(contracts::table)
        .values(ContractRow {
            organization_id: new.organization,
            contract_number: new.number.as_str(),
            service: new.service,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            status: new.status,
            created_at: now,
            updated_at: now,
        })
        .returning(contracts::all_columns)
        .get_result(conn)?;
    let rows: Vec<ContractEmailRow<'_>> = new
        .emails
        .iter()
        .map(|(holder, email)| ContractEmailRow {
            contract_id: contract.id,
            holder: *holder,
            email: email.as_str(),
        })
        .collect();
    crate::with_inner!(conn, |inner| diesel::insert_into(contract_emails::table)
        .values(&rows)
        .execute(inner))?;
    Ok(contract)
}

/// The organization of an active contract (status active, `today` within its dates) that
/// registers this maintenance email.
pub fn organization_registering(
    conn: &mut DbConn,
    email: &EmailAddress,
    today: NaiveDate,
) -> QueryResult<Option<OrganizationId>> {
    contracts::table
        .inner_join(contract_emails::table)
        .filter(contract_emails::email.eq(email.as_str()))
        .filter(contracts::status.eq(ContractStatus::Active))
        .filter(contracts::starts_on.le(today))
        .filter(contracts::ends_on.ge(today))
        .select(contracts::organization_id)
        .order(contracts::id.asc())
        .first(conn)
        .optional()
}

/// The maintenance emails registered on the organization's active contracts.
pub fn maintenance_emails(
    conn: &mut DbConn,
    organization: OrganizationId,
    today: NaiveDate,
) -> QueryResult<Vec<String>> {
    contracts::table
        .inner_join(contract_emails::table)
        .filter(contracts::organization_id.eq(organization))
        .filter(contracts::status.eq(ContractStatus::Active))
        .filter(contracts::starts_on.le(today))
        .filter(contracts::ends_on.ge(today))
        .select(contract_emails::email)
        .load(conn)
}

/// How many contracts of each of these organizations are active on `today`.
pub fn active_counts(
    conn: &mut DbConn,
    organizations: &[OrganizationId],
    today: NaiveDate,
) -> QueryResult<Vec<(OrganizationId, i64)>> {
    contracts::table
        .filter(contracts::organization_id.eq_any(organizations))
        .filter(contracts::status.eq(ContractStatus::Active))
        .filter(contracts::starts_on.le(today))
        .filter(contracts::ends_on.ge(today))
        .group_by(contracts::organization_id)
        .select((contracts::organization_id, diesel::dsl::count_star()))
        .load(conn)
}
