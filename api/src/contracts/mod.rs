//! Contracts of an organization (SPEC §4), with the maintenance emails registered on the
//! support-service certificate (registration is gated on those, SPEC §3.1) and the
//! equipment they cover. Staff create and change them; customers list and read the ones
//! their scope shows ([`routes`]).

mod routes;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{ContractNumber, DisplayName, EmailAddress};
pub use madoguchi_types::contracts::{ContractStatus, EmailHolder, Service};
pub use madoguchi_types::ids::ContractId;

use crate::organizations::{Organization, OrganizationId};
use crate::schema::{contract_emails, contract_equipment, contracts};
use madoguchi_types::contracts::ContractSummary;

pub use routes::routes;

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
    pub equipment: Vec<EquipmentItem>,
}

/// A piece of covered equipment, valid by construction.
#[derive(Debug, Clone)]
pub struct EquipmentItem {
    pub maker: DisplayName,
    pub model: DisplayName,
    pub serial_number: DisplayName,
    /// Empty when unknown.
    pub os_version: Option<DisplayName>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contract_equipment)]
pub struct EquipmentRow {
    pub contract_id: ContractId,
    pub maker: String,
    pub model: String,
    pub serial_number: String,
    pub os_version: String,
}

#[derive(Insertable)]
#[diesel(table_name = contract_equipment)]
struct NewEquipmentRow<'a> {
    contract_id: ContractId,
    position: i32,
    maker: &'a str,
    model: &'a str,
    serial_number: &'a str,
    os_version: &'a str,
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
    replace_emails(conn, contract.id, &new.emails)?;
    replace_equipment(conn, contract.id, &new.equipment)?;
    Ok(contract)
}

/// Replaces the contract's maintenance emails; run it inside a transaction.
pub fn replace_emails(
    conn: &mut DbConn,
    contract: ContractId,
    emails: &[(EmailHolder, EmailAddress)],
) -> QueryResult<()> {
    diesel::delete(contract_emails::table.filter(contract_emails::contract_id.eq(contract))).execute(conn)?;
    let rows: Vec<ContractEmailRow<'_>> = emails
        .iter()
        .map(|(holder, email)| ContractEmailRow {
            contract_id: contract,
            holder: *holder,
            email: email.as_str(),
        })
        .collect();
    if !rows.is_empty() {
        crate::with_inner!(conn, |inner| diesel::insert_into(contract_emails::table)
            .values(&rows)
            .execute(inner))?;
    }
    Ok(())
}

/// Replaces the contract's equipment, keeping the given order; run it inside a transaction.
pub fn replace_equipment(
    conn: &mut DbConn,
    contract: ContractId,
    equipment: &[EquipmentItem],
) -> QueryResult<()> {
    diesel::delete(contract_equipment::table.filter(contract_equipment::contract_id.eq(contract)))
        .execute(conn)?;
    let rows: Vec<NewEquipmentRow<'_>> = equipment
        .iter()
        .zip(0..)
        .map(|(item, position)| NewEquipmentRow {
            contract_id: contract,
            position,
            maker: item.maker.as_str(),
            model: item.model.as_str(),
            serial_number: item.serial_number.as_str(),
            os_version: item.os_version.as_ref().map_or("", DisplayName::as_str),
        })
        .collect();
    // SQLite binds at most 32766 values per statement: 500 rows of 6 stay far below.
    if !rows.is_empty() {
        crate::with_inner!(conn, |inner| diesel::insert_into(contract_equipment::table)
            .values(&rows)
            .execute(inner))?;
    }
    Ok(())
}

/// A contract as lists show it.
pub fn summary(
    contract: Contract,
    organization: &Organization,
    equipment_count: i64,
    today: NaiveDate,
) -> ContractSummary {
    ContractSummary {
        id: contract.id,
        days_left: (contract.ends_on - today).num_days(),
        contract_number: contract.contract_number,
        organization: organization.summary(),
        service: contract.service,
        starts_on: contract.starts_on,
        ends_on: contract.ends_on,
        status: contract.status,
        equipment_count,
        updated_at: contract.updated_at.and_utc(),
    }
}

/// Listed contracts with their equipment counts (one query for the page).
pub fn summaries(
    conn: &mut DbConn,
    rows: Vec<(Contract, Organization)>,
    today: NaiveDate,
) -> QueryResult<Vec<ContractSummary>> {
    let ids: Vec<ContractId> = rows.iter().map(|(contract, _)| contract.id).collect();
    let counts: std::collections::HashMap<ContractId, i64> =
        equipment_counts(conn, &ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|(contract, organization)| {
            let count = counts.get(&contract.id).copied().unwrap_or(0);
            summary(contract, &organization, count, today)
        })
        .collect())
}

/// The maintenance emails of these contracts, in holder then address order.
pub fn emails_of(conn: &mut DbConn, contract: ContractId) -> QueryResult<Vec<(EmailHolder, String)>> {
    contract_emails::table
        .filter(contract_emails::contract_id.eq(contract))
        .order((contract_emails::holder.asc(), contract_emails::email.asc()))
        .select((contract_emails::holder, contract_emails::email))
        .load(conn)
}

/// The equipment of a contract, in the certificate's order.
pub fn equipment_of(conn: &mut DbConn, contract: ContractId) -> QueryResult<Vec<EquipmentRow>> {
    contract_equipment::table
        .filter(contract_equipment::contract_id.eq(contract))
        .order(contract_equipment::position.asc())
        .select(EquipmentRow::as_select())
        .load(conn)
}

/// How many pieces of equipment each of these contracts covers.
pub fn equipment_counts(conn: &mut DbConn, ids: &[ContractId]) -> QueryResult<Vec<(ContractId, i64)>> {
    contract_equipment::table
        .filter(contract_equipment::contract_id.eq_any(ids))
        .group_by(contract_equipment::contract_id)
        .select((contract_equipment::contract_id, diesel::dsl::count_star()))
        .load(conn)
}

/// The contracts of the organization with these numbers, as (number, id).
pub fn ids_by_number(
    conn: &mut DbConn,
    organization: OrganizationId,
    numbers: &[String],
) -> QueryResult<Vec<(String, ContractId)>> {
    contracts::table
        .filter(contracts::organization_id.eq(organization))
        .filter(contracts::contract_number.eq_any(numbers))
        .select((contracts::contract_number, contracts::id))
        .load(conn)
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
