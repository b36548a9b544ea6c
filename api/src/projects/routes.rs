//! `/projects`: staff create projects (案件) with their contracts and customer project group
//! and put the organization's accounts in groups (seed 001 §3.3: "案件、案件グループ作成",
//! "案件グループとアカウント紐づけ"). Customers read the projects their scope shows: an
//! unrestricted account every project of its organization, a restricted one its own.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::projects::{
    MAX_CONTRACTS, NewProjectRequest, Project as ProjectDto, ProjectContract, ProjectMember, ProjectPage,
    ProjectSummary, ProjectUpdate,
};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Project, ProjectId};
use crate::accounts::{Account, AccountId};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::contracts::{self, ContractId};
use crate::db::{self, DbConn};
use crate::domain::{ContractNumber, DisplayName, Invalid};
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::listing::{self, Window, lower};
use crate::net::ClientInfo;
use crate::organizations::{Organization, OrganizationId};
use crate::policy::{Permission, Scope};
use crate::schema::{
    accounts, contracts as contracts_table, organizations, project_contracts, project_members, projects,
};
use crate::{audit, organizations as orgs};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_projects)
        .service(get_project)
        .service(create_project)
        .service(update_project)
        .service(delete_project)
        .service(add_member)
        .service(remove_member);
}

/// The projects (joined with their organization) a scope shows.
macro_rules! visible_projects {
    ($scope:expr) => {{
        let scope: Scope = $scope;
        let mut query = projects::table.inner_join(organizations::table).into_boxed();
        query = crate::scoped!(query, projects::organization_id, scope);
        if let Some(account) = scope.project_member() {
            query = query.filter(
                projects::id.eq_any(
                    project_members::table
                        .filter(project_members::account_id.eq(account))
                        .select(project_members::project_id),
                ),
            );
        }
        query
    }};
}

fn detail(conn: &mut DbConn, scope: Scope, id: ProjectId) -> Result<ProjectDto, ApiError> {
    let (project, organization): (Project, Organization) = visible_projects!(scope)
        .filter(projects::id.eq(id))
        .select((Project::as_select(), Organization::as_select()))
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let mut contracts_query = project_contracts::table
        .inner_join(contracts_table::table)
        .filter(project_contracts::project_id.eq(id))
        .into_boxed();
    if scope != Scope::AllOrganizations {
        contracts_query =
            contracts_query.filter(contracts_table::status.ne(crate::contracts::ContractStatus::Cancelled));
    }
    let contracts = contracts_query
        .order(contracts_table::contract_number.asc())
        .select((contracts_table::id, contracts_table::contract_number))
        .load::<(ContractId, String)>(conn)?
        .into_iter()
        .map(|(id, contract_number)| ProjectContract { id, contract_number })
        .collect();
    let members = project_members::table
        .inner_join(accounts::table)
        .filter(project_members::project_id.eq(id))
        .order(accounts::login_id.asc())
        .select(Account::as_select())
        .load(conn)?
        .into_iter()
        .map(|account| ProjectMember {
            id: account.id,
            login_id: account.login_id,
            full_name: account.full_name,
            role: account.role,
        })
        .collect();
    Ok(ProjectDto {
        id: project.id,
        organization: organization.summary(),
        name: project.name,
        group_name: project.group_name,
        contracts,
        members,
        created_at: project.created_at.and_utc(),
        updated_at: project.updated_at.and_utc(),
    })
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectFilter {
    /// Staff: only this organization's projects.
    pub organization_id: Option<OrganizationId>,
    /// Part of the project's or the group's name (case-insensitive).
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Projects by customer and name, with their contract and member counts.
#[utoipa::path(
    tag = "projects",
    params(ProjectFilter),
    responses(
        (status = 200, description = "A page of projects", body = ProjectPage),
        (status = 422, description = "A search too long or with control characters", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/projects")]
pub async fn list_projects(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<ProjectFilter>,
) -> Result<web::Json<ProjectPage>, ApiError> {
    let filter = filter.into_inner();
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let scope = user.scope().narrowed_to(filter.organization_id);
    let window = Window::new(filter.page, filter.per_page, 50, 200);
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = visible_projects!(scope);
            if let Some(pattern) = pattern.clone() {
                query = query.filter(
                    lower(projects::name)
                        .like(lower(pattern.clone()))
                        .escape('\\')
                        .or(lower(projects::group_name).like(lower(pattern)).escape('\\')),
                );
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(Project, Organization)> = query()
            .select((Project::as_select(), Organization::as_select()))
            .order((organizations::customer_number.asc(), projects::name.asc()))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        let ids: Vec<ProjectId> = rows.iter().map(|(project, _)| project.id).collect();
        let contract_counts: HashMap<ProjectId, i64> = project_contracts::table
            .filter(project_contracts::project_id.eq_any(&ids))
            .group_by(project_contracts::project_id)
            .select((project_contracts::project_id, diesel::dsl::count_star()))
            .load(conn)?
            .into_iter()
            .collect();
        let member_counts: HashMap<ProjectId, i64> = project_members::table
            .filter(project_members::project_id.eq_any(&ids))
            .group_by(project_members::project_id)
            .select((project_members::project_id, diesel::dsl::count_star()))
            .load(conn)?
            .into_iter()
            .collect();
        let items = rows
            .into_iter()
            .map(|(project, organization)| ProjectSummary {
                id: project.id,
                contracts: contract_counts.get(&project.id).copied().unwrap_or(0),
                members: member_counts.get(&project.id).copied().unwrap_or(0),
                organization: organization.summary(),
                name: project.name,
                group_name: project.group_name,
                updated_at: project.updated_at.and_utc(),
            })
            .collect();
        Ok(ProjectPage { items, total })
    })
    .await?;
    Ok(web::Json(page))
}

/// One project with its contracts and the members of its customer project group.
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "The project's id")),
    responses(
        (status = 200, description = "The project", body = ProjectDto),
        (status = 404, description = "No such project, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/projects/{id}")]
pub async fn get_project(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ProjectId>,
) -> Result<web::Json<ProjectDto>, ApiError> {
    let (id, scope) = (id.into_inner(), user.scope());
    let project = db::run(&state.pool, move |conn| detail(conn, scope, id)).await?;
    Ok(web::Json(project))
}

/// The contract numbers, each well-formed and given once (the organization check needs the
/// database: [`contract_ids`]).
fn valid_numbers(numbers: &[String], violations: &mut Violations) -> Vec<(usize, ContractNumber)> {
    if numbers.len() > MAX_CONTRACTS {
        violations.add("contract_numbers", Invalid::TooMany { max: MAX_CONTRACTS });
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut valid = Vec::new();
    for (index, raw) in numbers.iter().enumerate() {
        let field = format!("contract_numbers[{index}]");
        if let Some(number) = violations.check(&field, ContractNumber::parse(raw)) {
            if seen.insert(number.clone()) {
                valid.push((index, number));
            } else {
                violations.add(field, Invalid::Duplicate);
            }
        }
    }
    valid
}

/// The ids of the organization's contracts with these numbers; a number of no contract of
/// the organization (another customer's included) is refused by its index.
fn contract_ids(
    conn: &mut DbConn,
    organization: OrganizationId,
    numbers: &[(usize, ContractNumber)],
) -> Result<Vec<ContractId>, ApiError> {
    let wanted: Vec<String> = numbers.iter().map(|(_, number)| number.to_string()).collect();
    let found: HashMap<String, ContractId> = contracts::ids_by_number(conn, organization, &wanted)?
        .into_iter()
        .collect();
    let mut violations = Violations::default();
    let mut ids = Vec::new();
    for (index, number) in numbers {
        match found.get(number.as_str()) {
            Some(id) => ids.push(*id),
            None => violations.add(format!("contract_numbers[{index}]"), Invalid::UnknownContract),
        }
    }
    violations.finish()?;
    Ok(ids)
}

/// Create a project with its contracts and its customer project group (staff).
#[utoipa::path(
    tag = "projects",
    request_body = NewProjectRequest,
    responses(
        (status = 201, description = "Created", body = ProjectDto),
        (status = 403, description = "Only provider staff create projects", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organization has a project of this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a contract number of no contract of the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/projects")]
pub async fn create_project(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<NewProjectRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let request = body.into_inner();
    let mut violations = Violations::default();
    let name = violations.check("name", DisplayName::parse(&request.name));
    let group_name = violations.check("group_name", DisplayName::parse(&request.group_name));
    let numbers = valid_numbers(&request.contract_numbers, &mut violations);
    let (Some(name), Some(group_name)) = (name, group_name) else {
        return Err(violations.into_error());
    };
    violations.finish()?;
    let organization = request.organization_id;
    let now = state.clock.now_naive();
    let created = db::transaction(&state.pool, move |conn| {
        if orgs::find(conn, organization)?.is_none() {
            return Err(ApiError::invalid("organization_id", Invalid::NotAllowed));
        }
        let ids = contract_ids(conn, organization, &numbers)?;
        let project = super::insert(conn, organization, &name, &group_name, now)?;
        super::replace_contracts(conn, project.id, &ids)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ProjectCreated, &client)
                .organization(Some(organization))
                .actor(Some(user.id()))
                .detail(json!({
                    "name": project.name,
                    "group_name": project.group_name,
                    "contract_numbers": numbers.iter().map(|(_, number)| number.as_str()).collect::<Vec<_>>(),
                })),
            now,
        )?;
        detail(conn, Scope::AllOrganizations, project.id)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Rename a project or its group, or replace its contracts (staff).
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "The project's id")),
    request_body = ProjectUpdate,
    responses(
        (status = 200, description = "The project as it is now", body = ProjectDto),
        (status = 403, description = "Only provider staff change projects", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organization has a project of this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a contract number of no contract of the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/projects/{id}")]
pub async fn update_project(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ProjectId>,
    body: Json<ProjectUpdate>,
) -> Result<web::Json<ProjectDto>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let update = body.into_inner();
    let mut violations = Violations::default();
    let name = update
        .name
        .as_deref()
        .and_then(|name| violations.check("name", DisplayName::parse(name)));
    let group_name = update
        .group_name
        .as_deref()
        .and_then(|name| violations.check("group_name", DisplayName::parse(name)));
    let numbers = update
        .contract_numbers
        .as_deref()
        .map(|numbers| valid_numbers(numbers, &mut violations));
    violations.finish()?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let project = db::transaction(&state.pool, move |conn| {
        let before = super::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let mut changed: Vec<&str> = Vec::new();
        let name = name.filter(|name| name.as_str() != before.name);
        let group_name = group_name.filter(|name| name.as_str() != before.group_name);
        if let Some(numbers) = &numbers {
            let mut wanted = contract_ids(conn, before.organization_id, numbers)?;
            let mut current: Vec<ContractId> = project_contracts::table
                .filter(project_contracts::project_id.eq(id))
                .select(project_contracts::contract_id)
                .load(conn)?;
            wanted.sort();
            current.sort();
            if wanted != current {
                super::replace_contracts(conn, id, &wanted)?;
                changed.push("contract_numbers");
            }
        }
        if name.is_some() {
            changed.push("name");
        }
        if group_name.is_some() {
            changed.push("group_name");
        }
        if changed.is_empty() {
            return detail(conn, Scope::AllOrganizations, id);
        }
        diesel::update(projects::table.find(id))
            .set((
                projects::name.eq(name.as_ref().map_or(before.name.as_str(), DisplayName::as_str)),
                projects::group_name.eq(group_name
                    .as_ref()
                    .map_or(before.group_name.as_str(), DisplayName::as_str)),
                projects::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ProjectUpdated, &client)
                .organization(Some(before.organization_id))
                .actor(Some(user.id()))
                .detail(json!({"name": before.name, "fields": changed})),
            now,
        )?;
        detail(conn, Scope::AllOrganizations, id)
    })
    .await?;
    Ok(web::Json(project))
}

/// Delete a project (staff); its group's members see their whole organization again unless
/// they are in another group.
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "The project's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only provider staff delete projects", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/projects/{id}")]
pub async fn delete_project(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ProjectId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    db::transaction(&state.pool, move |conn| {
        let project = super::find(conn, id)?.ok_or(ApiError::NotFound)?;
        diesel::delete(projects::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ProjectDeleted, &client)
                .organization(Some(project.organization_id))
                .actor(Some(user.id()))
                .detail(json!({"name": project.name})),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The project and an account of its organization (anything else: `NotFound` for the
/// project, `UnknownAccount` for the account).
fn project_and_member(
    conn: &mut DbConn,
    id: ProjectId,
    account: AccountId,
) -> Result<(Project, Account), ApiError> {
    let project = super::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let account: Account = accounts::table
        .find(account)
        .filter(accounts::organization_id.eq(project.organization_id))
        .select(Account::as_select())
        .get_result(conn)
        .optional()?
        .ok_or_else(|| ApiError::invalid("account_id", Invalid::UnknownAccount))?;
    Ok((project, account))
}

/// Adds the account to, or removes it from, the project's group and records a real
/// change; answers the project as it is now.
async fn change_membership(
    state: &AppState,
    user: AuthUser,
    client: ClientInfo,
    (id, account): (ProjectId, AccountId),
    join: bool,
) -> Result<ProjectDto, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let now = state.clock.now_naive();
    db::transaction(&state.pool, move |conn| {
        let (project, account) = project_and_member(conn, id, account)?;
        let (changed, action) = if join {
            (
                super::add_member(conn, id, account.id, now)?,
                AuditAction::ProjectMemberAdded,
            )
        } else {
            (
                super::remove_member(conn, id, account.id)?,
                AuditAction::ProjectMemberRemoved,
            )
        };
        if changed {
            audit::record(
                conn,
                &audit::Event::new(action, &client)
                    .organization(Some(project.organization_id))
                    .actor(Some(user.id()))
                    .subject(Some(account.id))
                    .detail(json!({"project": project.name, "group_name": project.group_name})),
                now,
            )?;
        }
        detail(conn, Scope::AllOrganizations, id)
    })
    .await
}

/// Put an account of the project's organization in its customer project group (staff).
/// From then on the account sees only its groups' projects. Adding a member twice is no
/// change.
#[utoipa::path(
    tag = "projects",
    params(
        ("id" = ProjectId, Path, description = "The project's id"),
        ("account_id" = AccountId, Path, description = "The account to add"),
    ),
    responses(
        (status = 200, description = "The project as it is now", body = ProjectDto),
        (status = 403, description = "Only provider staff change groups", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an account of the project's organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/projects/{id}/members/{account_id}")]
pub async fn add_member(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<(ProjectId, AccountId)>,
) -> Result<web::Json<ProjectDto>, ApiError> {
    let project = change_membership(&state, user, client, path.into_inner(), true).await?;
    Ok(web::Json(project))
}

/// Take an account out of the project's customer project group (staff).
#[utoipa::path(
    tag = "projects",
    params(
        ("id" = ProjectId, Path, description = "The project's id"),
        ("account_id" = AccountId, Path, description = "The account to remove"),
    ),
    responses(
        (status = 200, description = "The project as it is now", body = ProjectDto),
        (status = 403, description = "Only provider staff change groups", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an account of the project's organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/projects/{id}/members/{account_id}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<(ProjectId, AccountId)>,
) -> Result<web::Json<ProjectDto>, ApiError> {
    let project = change_membership(&state, user, client, path.into_inner(), false).await?;
    Ok(web::Json(project))
}
