//! `/organizations`: staff create, rename, list and search customers (the account screens'
//! organization picker reads the list); a customer user reads its own organization and no
//! other (another organization's id answers 404, as a missing one).

use std::collections::HashMap;

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::organizations::{
    NewOrganizationRequest, Organization as OrganizationDto, OrganizationPage, OrganizationUpdate,
};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Organization, OrganizationId};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{CustomerNumber, DisplayName};
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::listing::{self, Window, lower};
use crate::net::ClientInfo;
use crate::policy::{Permission, Scope};
use crate::schema::organizations;
use crate::{accounts, audit, contracts};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_organizations)
        .service(get_organization)
        .service(create_organization)
        .service(rename_organization);
}

/// The organizations with their account and active-contract counts.
fn with_counts(
    conn: &mut DbConn,
    rows: Vec<Organization>,
    today: NaiveDate,
) -> QueryResult<Vec<OrganizationDto>> {
    let ids: Vec<OrganizationId> = rows.iter().map(|row| row.id).collect();
    let accounts: HashMap<Option<OrganizationId>, i64> = accounts::counts_by_organization(conn, &ids)?
        .into_iter()
        .collect();
    let contracts: HashMap<OrganizationId, i64> =
        contracts::active_counts(conn, &ids, today)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|row| OrganizationDto {
            id: row.id,
            accounts: accounts.get(&Some(row.id)).copied().unwrap_or(0),
            active_contracts: contracts.get(&row.id).copied().unwrap_or(0),
            customer_number: row.customer_number,
            name: row.name,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        })
        .collect())
}

fn one_with_counts(
    conn: &mut DbConn,
    row: Organization,
    now: NaiveDateTime,
) -> Result<OrganizationDto, ApiError> {
    with_counts(conn, vec![row], crate::clock::japan_date(now))?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// The organization, if the scope includes it.
fn visible(conn: &mut DbConn, scope: Scope, id: OrganizationId) -> Result<Organization, ApiError> {
    match super::find(conn, id)? {
        Some(organization) if scope.includes(Some(organization.id)) => Ok(organization),
        _ => Err(ApiError::NotFound),
    }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationFilter {
    /// Part of the customer number or of the name (case-insensitive).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Organizations per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Organizations by customer number, with a text search and paging: every one for staff,
/// the caller's own for a customer user.
#[utoipa::path(
    tag = "organizations",
    params(OrganizationFilter),
    responses((status = 200, description = "A page of organizations", body = OrganizationPage)),
    security(("bearer" = []))
)]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<OrganizationFilter>,
) -> Result<web::Json<OrganizationPage>, ApiError> {
    let filter = filter.into_inner();
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let (scope, now) = (user.scope(), state.clock.now_naive());
    let window = Window::new(filter.page, filter.per_page, 50, 200);
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = organizations::table.into_boxed();
            query = crate::scoped!(query, organizations::id, scope);
            if let Some(pattern) = pattern.clone() {
                query = query.filter(
                    lower(organizations::customer_number)
                        .like(lower(pattern.clone()))
                        .escape('\\')
                        .or(lower(organizations::name).like(lower(pattern)).escape('\\')),
                );
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<Organization> = query()
            .select(Organization::as_select())
            .order(organizations::customer_number.asc())
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(OrganizationPage {
            items: with_counts(conn, rows, crate::clock::japan_date(now))?,
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// One organization.
#[utoipa::path(
    tag = "organizations",
    params(("id" = OrganizationId, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The organization", body = OrganizationDto),
        (status = 404, description = "No such organization, or another customer's", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/organizations/{id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrganizationId>,
) -> Result<web::Json<OrganizationDto>, ApiError> {
    let (id, scope, now) = (id.into_inner(), user.scope(), state.clock.now_naive());
    let organization = db::run(&state.pool, move |conn| {
        let row = visible(conn, scope, id)?;
        one_with_counts(conn, row, now)
    })
    .await?;
    Ok(web::Json(organization))
}

/// Create an organization (staff).
#[utoipa::path(
    tag = "organizations",
    request_body = NewOrganizationRequest,
    responses(
        (status = 201, description = "Created", body = OrganizationDto),
        (status = 403, description = "Only provider staff create organizations", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The customer number is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid customer number or name", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/organizations")]
pub async fn create_organization(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<NewOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let mut violations = Violations::default();
    let customer_number = violations.check("customer_number", CustomerNumber::parse(&body.customer_number));
    let name = violations.check("name", DisplayName::parse(&body.name));
    let (Some(customer_number), Some(name)) = (customer_number, name) else {
        return Err(violations.into_error());
    };
    let now = state.clock.now_naive();
    let created = db::transaction(&state.pool, move |conn| {
        let row = super::insert(conn, &customer_number, &name, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::OrganizationCreated, &client)
                .organization(Some(row.id))
                .actor(Some(user.id()))
                .detail(json!({"customer_number": row.customer_number, "name": row.name})),
            now,
        )?;
        one_with_counts(conn, row, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Rename an organization (staff). The same name again changes and records nothing.
#[utoipa::path(
    tag = "organizations",
    params(("id" = OrganizationId, Path, description = "The organization's id")),
    request_body = OrganizationUpdate,
    responses(
        (status = 200, description = "The organization as it is now", body = OrganizationDto),
        (status = 403, description = "Only provider staff rename organizations", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organization", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/organizations/{id}")]
pub async fn rename_organization(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<OrganizationId>,
    body: Json<OrganizationUpdate>,
) -> Result<web::Json<OrganizationDto>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let name = DisplayName::parse(&body.name).map_err(|reason| ApiError::invalid("name", reason))?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let organization = db::transaction(&state.pool, move |conn| {
        let before = super::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if before.name == name.as_str() {
            return one_with_counts(conn, before, now);
        }
        let after = super::rename(conn, id, &name, now)?.ok_or(ApiError::NotFound)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::OrganizationRenamed, &client)
                .organization(Some(id))
                .actor(Some(user.id()))
                .detail(json!({"name": {"from": before.name, "to": after.name}})),
            now,
        )?;
        one_with_counts(conn, after, now)
    })
    .await?;
    Ok(web::Json(organization))
}
