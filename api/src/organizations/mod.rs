//! Organizations: the tenants. Every customer record belongs to exactly one. Staff create,
//! rename, list and search them; a customer reads its own ([`routes`]).

mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;
pub use madoguchi_types::ids::OrganizationId;

use crate::db::DbConn;
use crate::domain::{CustomerNumber, DisplayName};
use crate::schema::organizations;

pub use routes::routes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: OrganizationId,
    pub customer_number: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Organization {
    /// The organization as other resources name it (accounts, contracts, projects).
    pub fn summary(&self) -> madoguchi_types::accounts::OrganizationSummary {
        madoguchi_types::accounts::OrganizationSummary {
            id: self.id,
            name: self.name.clone(),
            customer_number: self.customer_number.clone(),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organizations)]
struct NewOrganizationRow<'a> {
    customer_number: &'a str,
    name: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConn,
    customer_number: &CustomerNumber,
    name: &DisplayName,
    now: NaiveDateTime,
) -> QueryResult<Organization> {
    diesel::insert_into(organizations::table)
        .values(NewOrganizationRow {
            customer_number: customer_number.as_str(),
            name: name.as_str(),
            created_at: now,
            updated_at: now,
        })
        .returning(organizations::all_columns)
        .get_result(conn)
}

pub fn find_by_customer_number(
    conn: &mut DbConn,
    customer_number: &CustomerNumber,
) -> QueryResult<Option<Organization>> {
    organizations::table
        .filter(organizations::customer_number.eq(customer_number.as_str()))
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, id: OrganizationId) -> QueryResult<Option<Organization>> {
    organizations::table.find(id).get_result(conn).optional()
}

/// Renames the organization; `None` when there is no such organization.
pub fn rename(
    conn: &mut DbConn,
    id: OrganizationId,
    name: &DisplayName,
    now: NaiveDateTime,
) -> QueryResult<Option<Organization>> {
    diesel::update(organizations::table.find(id))
        .set((
            organizations::name.eq(name.as_str()),
            organizations::updated_at.eq(now),
        ))
        .returning(organizations::all_columns)
        .get_result(conn)
        .optional()
}
