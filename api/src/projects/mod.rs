//! Projects (案件) and their customer project groups (顧客案件グループ), SPEC §2. A project
//! groups contracts of one organization and has exactly one group; an account may be in
//! many groups. An account in at least one group is restricted to its groups' projects'
//! contracts: [`contracts_of_member`] is that restriction, applied by the access policy
//! (`policy::Scope::Projects`, `scoped_contracts!`) and nowhere else. Staff create and
//! change projects ([`routes`]); the group is the project's row plus [`project_members`].

mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;
pub use madoguchi_types::ids::ProjectId;

use crate::accounts::AccountId;
use crate::contracts::ContractId;
use crate::db::DbConn;
use crate::domain::DisplayName;
use crate::organizations::OrganizationId;
use crate::schema::{project_contracts, project_members, projects};

pub use routes::routes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct Project {
    pub id: ProjectId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub group_name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = projects)]
struct NewProjectRow<'a> {
    organization_id: OrganizationId,
    name: &'a str,
    group_name: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// The ids of the contracts an account's groups' projects hold: the subquery that limits a
/// restricted account (see `policy::Scope::Projects`).
#[diesel::dsl::auto_type]
pub fn contracts_of_member(account: AccountId) -> _ {
    project_contracts::table
        .filter(
            project_contracts::project_id.eq_any(
                project_members::table
                    .filter(project_members::account_id.eq(account))
                    .select(project_members::project_id),
            ),
        )
        .select(project_contracts::contract_id)
}

/// Whether the account is in any customer project group (and so restricted).
pub fn is_group_member(conn: &mut DbConn, account: AccountId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        project_members::table.filter(project_members::account_id.eq(account)),
    ))
    .get_result(conn)
}

pub fn insert(
    conn: &mut DbConn,
    organization: OrganizationId,
    name: &DisplayName,
    group_name: &DisplayName,
    now: NaiveDateTime,
) -> QueryResult<Project> {
    diesel::insert_into(projects::table)
        .values(NewProjectRow {
            organization_id: organization,
            name: name.as_str(),
            group_name: group_name.as_str(),
            created_at: now,
            updated_at: now,
        })
        .returning(projects::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: ProjectId) -> QueryResult<Option<Project>> {
    projects::table
        .find(id)
        .select(Project::as_select())
        .get_result(conn)
        .optional()
}

/// Replaces the project's contracts; run it inside a transaction.
pub fn replace_contracts(conn: &mut DbConn, project: ProjectId, contracts: &[ContractId]) -> QueryResult<()> {
    diesel::delete(project_contracts::table.filter(project_contracts::project_id.eq(project)))
        .execute(conn)?;
    let rows: Vec<_> = contracts
        .iter()
        .map(|contract| {
            (
                project_contracts::project_id.eq(project),
                project_contracts::contract_id.eq(*contract),
            )
        })
        .collect();
    if !rows.is_empty() {
        crate::with_inner!(conn, |inner| diesel::insert_into(project_contracts::table)
            .values(&rows)
            .execute(inner))?;
    }
    Ok(())
}

/// Adds the account to the project's group; `false` when it was in it already.
pub fn add_member(
    conn: &mut DbConn,
    project: ProjectId,
    account: AccountId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        project_members::project_id.eq(project),
        project_members::account_id.eq(account),
        project_members::created_at.eq(now),
    );
    let inserted = crate::with_inner!(conn, |inner| diesel::insert_into(project_members::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(inner))?;
    Ok(inserted == 1)
}

/// Removes the account from the project's group; `false` when it was not in it.
pub fn remove_member(conn: &mut DbConn, project: ProjectId, account: AccountId) -> QueryResult<bool> {
    let deleted = diesel::delete(
        project_members::table
            .filter(project_members::project_id.eq(project))
            .filter(project_members::account_id.eq(account)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

/// The projects (id, name) holding a contract, by name; for a project-restricted account
/// only its own groups' projects.
pub fn of_contract(
    conn: &mut DbConn,
    contract: ContractId,
    member: Option<AccountId>,
) -> QueryResult<Vec<(ProjectId, String)>> {
    let mut query = projects::table
        .inner_join(project_contracts::table)
        .filter(project_contracts::contract_id.eq(contract))
        .into_boxed();
    if let Some(account) = member {
        query = query.filter(
            projects::id.eq_any(
                project_members::table
                    .filter(project_members::account_id.eq(account))
                    .select(project_members::project_id),
            ),
        );
    }
    query
        .order(projects::name.asc())
        .select((projects::id, projects::name))
        .load(conn)
}
