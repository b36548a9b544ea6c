//! Mobile lines (SPEC §7, seed 002): the lines of an organization's Business Mobile
//! contracts, registered up to 15 at a time and not deletable in their first 30 days. The
//! Office Link ones form the pool PBX extensions are assigned to.

pub mod routes;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::ids::{ContractId, MobileLineId, OrganizationId};
use madoguchi_types::mobile::{MINIMUM_DAYS, MobileLine};

pub use routes::routes;

use crate::db::DbConn;
use crate::error::ApiError;
use crate::policy::Scope;
use crate::schema::{contracts, mobile_lines};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mobile_lines)]
pub struct LineRow {
    pub id: MobileLineId,
    pub organization_id: OrganizationId,
    pub contract_id: ContractId,
    pub user_name: String,
    pub mobile_number: String,
    pub international_restricted: bool,
    pub office_link: bool,
    pub registered_on: NaiveDate,
    pub deleted_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl LineRow {
    /// The first day the line may be deleted: the minimum usage period is over.
    pub fn deletable_from(&self) -> NaiveDate {
        self.registered_on + TimeDelta::days(MINIMUM_DAYS)
    }

    pub fn dto(self, contract_number: String) -> MobileLine {
        MobileLine {
            deletable_from: self.deletable_from(),
            id: self.id,
            contract_id: self.contract_id,
            contract_number,
            user_name: self.user_name,
            mobile_number: self.mobile_number,
            international_restricted: self.international_restricted,
            office_link: self.office_link,
            registered_on: self.registered_on,
            deleted_on: self.deleted_on,
            updated_at: DateTime::from_naive_utc_and_offset(self.updated_at, chrono::Utc),
        }
    }
}

/// Lines with their contract's number, as the scope shows them (a project-restricted
/// account: only the lines of its projects' contracts).
macro_rules! visible_lines {
    ($scope:expr) => {{
        let query = mobile_lines::table
            .inner_join(contracts::table)
            .select((LineRow::as_select(), contracts::contract_number))
            .into_boxed();
        $crate::scoped_contracts!(
            query,
            mobile_lines::contract_id,
            mobile_lines::organization_id,
            $scope
        )
    }};
}
pub(crate) use visible_lines;

/// A line the scope shows, deleted or not; another organization's answers 404.
pub fn find_visible(
    conn: &mut DbConn,
    scope: Scope,
    id: MobileLineId,
) -> Result<(LineRow, String), ApiError> {
    visible_lines!(scope)
        .filter(mobile_lines::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// A current (not deleted) line the scope shows: deleted lines are history, not changed.
pub fn find_current(
    conn: &mut DbConn,
    scope: Scope,
    id: MobileLineId,
) -> Result<(LineRow, String), ApiError> {
    match find_visible(conn, scope, id)? {
        (row, _) if row.deleted_on.is_some() => Err(ApiError::NotFound),
        found => Ok(found),
    }
}
