//! `/mobile-lines`: search (number exact, user name exact / prefix / partial, current /
//! deleted / all), register up to 15 lines at once (all or none), change a user name or
//! the international-call restriction, delete after the minimum usage period.

use std::collections::HashMap;

use actix_web::{HttpResponse, delete, get, patch, post, web};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::contracts::{ContractStatus, Service};
use madoguchi_types::ids::{ContractId, MobileLineId, OrganizationId};
use madoguchi_types::mobile::{
    LINES_PER_REQUEST, LineState, MobileLine, MobileLinePage, MobileLineUpdate, MobileLinesRequest,
    NameMatch, mobile_number_shape, normalize_mobile_number, user_name_shape,
};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{LineRow, find_current, find_visible, visible_lines};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db;
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::listing::{self, Window, lower};
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{contracts, extensions, mobile_lines};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_mobile_lines)
        .service(get_mobile_line)
        .service(register_mobile_lines)
        .service(change_mobile_line)
        .service(delete_mobile_line);
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LineFilter {
    /// 登録電話番号: all 11 digits, hyphens allowed (no prefix search, as the seed says).
    #[param(max_length = 20)]
    pub number: Option<String>,
    /// 利用者名, matched as `name_match` says.
    #[param(max_length = 20)]
    pub name: Option<String>,
    /// How `name` matches (default: partial).
    #[param(inline)]
    pub name_match: Option<NameMatch>,
    /// 現用 / 削除 / all (default: current).
    #[param(inline)]
    pub state: Option<LineState>,
    /// Only the Office Link lines (the extensions' pool).
    pub office_link: Option<bool>,
    pub contract_id: Option<ContractId>,
    /// Staff: one organization's lines.
    pub organization_id: Option<OrganizationId>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Search the lines (an empty search lists every current line, seed 002 ④).
#[utoipa::path(
    tag = "mobile",
    params(LineFilter),
    responses(
        (status = 200, description = "A page of lines by number", body = MobileLinePage),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A number that is not 11 digits, a name too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/mobile-lines")]
pub async fn list_mobile_lines(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<LineFilter>,
) -> Result<web::Json<MobileLinePage>, ApiError> {
    user.require(Permission::Pbx)?;
    let filter = filter.into_inner();
    let number = filter.number.as_deref().map(normalize_mobile_number);
    let number = number.as_deref().filter(|n| !n.is_empty());
    if let Some(number) = number
        && !(number.len() == 11 && number.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(ApiError::invalid(
            "number",
            Invalid::Format {
                expected: "all 11 digits",
            },
        ));
    }
    let number = number.map(str::to_owned);
    // An IME's full-width space is a space.
    let name = filter.name.as_deref().map(|name| name.replace('\u{3000}', " "));
    let name = name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(name) = name {
        user_name_shape(name).map_err(|reason| ApiError::invalid("name", reason))?;
    }
    let name_pattern = name.map(|name| match filter.name_match.unwrap_or(NameMatch::Partial) {
        NameMatch::Exact => (true, name.to_owned()),
        NameMatch::Prefix => (false, format!("{}%", listing::escape_like(name))),
        NameMatch::Partial => (false, format!("%{}%", listing::escape_like(name))),
    });
    let scope = user.scope().narrowed_to(filter.organization_id);
    let window = Window::new(filter.page, filter.per_page, 50, 200);
    let line_state = filter.state.unwrap_or(LineState::Current);
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = visible_lines!(scope);
            query = match line_state {
                LineState::Current => query.filter(mobile_lines::deleted_on.is_null()),
                LineState::Deleted => query.filter(mobile_lines::deleted_on.is_not_null()),
                LineState::All => query,
            };
            if let Some(number) = number.clone() {
                query = query.filter(mobile_lines::mobile_number.eq(number));
            }
            match name_pattern.clone() {
                Some((true, exact)) => query = query.filter(mobile_lines::user_name.eq(exact)),
                Some((false, pattern)) => {
                    query = query.filter(lower(mobile_lines::user_name).like(lower(pattern)).escape('\\'));
                }
                None => {}
            }
            if let Some(office_link) = filter.office_link {
                query = query.filter(mobile_lines::office_link.eq(office_link));
            }
            if let Some(contract) = filter.contract_id {
                query = query.filter(mobile_lines::contract_id.eq(contract));
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(LineRow, String)> = query()
            .order((mobile_lines::mobile_number, mobile_lines::id.desc()))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(MobileLinePage {
            items: rows.into_iter().map(|(row, number)| row.dto(number)).collect(),
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}

#[utoipa::path(
    tag = "mobile",
    params(("id" = MobileLineId, Path, description = "The line's id")),
    responses(
        (status = 200, description = "The line (also a deleted one)", body = MobileLine),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such line, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/mobile-lines/{id}")]
pub async fn get_mobile_line(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MobileLineId>,
) -> Result<web::Json<MobileLine>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let (row, contract_number) = db::run(&state.pool, move |conn| find_visible(conn, scope, id)).await?;
    Ok(web::Json(row.dto(contract_number)))
}

/// Register up to 15 lines on one Business Mobile contract, all or none: every bad line
/// is named (`lines[3].mobile_number`), a number already registered too. Billing starts
/// today; the lines cannot be deleted for 30 days.
#[utoipa::path(
    tag = "mobile",
    request_body = MobileLinesRequest,
    responses(
        (status = 201, description = "Registered, in the order sent", body = Vec<MobileLine>),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A number registered by another request at the same moment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad lines (each named), a number registered already, no such active Business Mobile contract", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/mobile-lines")]
pub async fn register_mobile_lines(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<MobileLinesRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let request = body.into_inner();
    let mut violations = Violations::default();
    if request.lines.is_empty() {
        violations.add("lines", Invalid::Required);
    }
    if request.lines.len() > LINES_PER_REQUEST {
        violations.add(
            "lines",
            Invalid::TooMany {
                max: LINES_PER_REQUEST,
            },
        );
    }
    let mut first_of: HashMap<String, usize> = HashMap::new();
    let mut lines = Vec::with_capacity(request.lines.len());
    for (index, line) in request.lines.iter().enumerate() {
        let name = violations.check(
            &format!("lines[{index}].user_name"),
            user_name_shape(&line.user_name),
        );
        let number = normalize_mobile_number(&line.mobile_number);
        let shaped = violations.check(
            &format!("lines[{index}].mobile_number"),
            mobile_number_shape(&number),
        );
        if shaped.is_some() && first_of.insert(number.clone(), index).is_some() {
            violations.add(format!("lines[{index}].mobile_number"), Invalid::Duplicate);
        }
        if name.is_some() && shaped.is_some() {
            lines.push((index, line.user_name.trim().to_owned(), number, line.clone()));
        }
    }
    violations.finish()?;
    let (scope, actor, now, today) = (
        user.scope(),
        user.id(),
        state.clock.now_naive(),
        state.clock.today(),
    );
    let registered = db::transaction(&state.pool, move |conn| {
        let query = contracts::table
            .filter(contracts::id.eq(request.contract_id))
            .select((
                contracts::organization_id,
                contracts::service,
                contracts::status,
                contracts::contract_number,
            ))
            .into_boxed();
        let contract: Option<(OrganizationId, Service, ContractStatus, String)> =
            crate::scoped_contracts!(query, contracts::id, contracts::organization_id, scope)
                .first(conn)
                .optional()?;
        let Some((organization, service, status, contract_number)) = contract else {
            return Err(ApiError::invalid("contract_id", Invalid::UnknownContract));
        };
        if service != Service::BusinessMobile || status != ContractStatus::Active {
            return Err(ApiError::invalid("contract_id", Invalid::NotAllowed));
        }
        let numbers: Vec<&str> = lines.iter().map(|(_, _, number, _)| number.as_str()).collect();
        let taken: Vec<String> = mobile_lines::table
            .filter(mobile_lines::deleted_on.is_null())
            .filter(mobile_lines::mobile_number.eq_any(&numbers))
            .select(mobile_lines::mobile_number)
            .load(conn)?;
        let mut violations = Violations::default();
        for (index, _, number, _) in &lines {
            if taken.contains(number) {
                violations.add(format!("lines[{index}].mobile_number"), Invalid::Taken);
            }
        }
        violations.finish()?;
        let mut registered = Vec::with_capacity(lines.len());
        for (_, user_name, number, line) in &lines {
            let row: LineRow = diesel::insert_into(mobile_lines::table)
                .values((
                    mobile_lines::organization_id.eq(organization),
                    mobile_lines::contract_id.eq(request.contract_id),
                    mobile_lines::user_name.eq(user_name),
                    mobile_lines::mobile_number.eq(number),
                    mobile_lines::international_restricted.eq(line.international_restricted),
                    mobile_lines::office_link.eq(line.office_link),
                    mobile_lines::registered_on.eq(today),
                    mobile_lines::created_at.eq(now),
                    mobile_lines::updated_at.eq(now),
                ))
                .returning(mobile_lines::all_columns)
                .get_result(conn)?;
            registered.push(row.dto(contract_number.clone()));
        }
        audit::record(
            conn,
            &audit::Event::new(AuditAction::MobileLinesRegistered, &client)
                .organization(Some(organization))
                .actor(Some(actor))
                .detail(json!({
                    "contract_number": contract_number,
                    "mobile_numbers": numbers,
                })),
            now,
        )?;
        Ok(registered)
    })
    .await?;
    Ok(HttpResponse::Created().json(registered))
}

/// Overwrite a current line's user name or international-call restriction.
#[utoipa::path(
    tag = "mobile",
    params(("id" = MobileLineId, Path, description = "The line's id")),
    request_body = MobileLineUpdate,
    responses(
        (status = 200, description = "The line as it is now", body = MobileLine),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such current line, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad user name", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/mobile-lines/{id}")]
pub async fn change_mobile_line(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<MobileLineId>,
    body: Json<MobileLineUpdate>,
) -> Result<web::Json<MobileLine>, ApiError> {
    user.require(Permission::Pbx)?;
    let update = body.into_inner();
    if let Some(name) = &update.user_name {
        user_name_shape(name).map_err(|reason| ApiError::invalid("user_name", reason))?;
    }
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let line = db::transaction(&state.pool, move |conn| {
        let (before, contract_number) = find_current(conn, scope, id)?;
        let user_name = update
            .user_name
            .as_deref()
            .map_or_else(|| before.user_name.clone(), |name| name.trim().to_owned());
        let restricted = update
            .international_restricted
            .unwrap_or(before.international_restricted);
        // Nothing to change: nothing written, nothing audited.
        if user_name == before.user_name && restricted == before.international_restricted {
            return Ok(before.dto(contract_number));
        }
        let row: LineRow = diesel::update(mobile_lines::table.find(id))
            .set((
                mobile_lines::user_name.eq(&user_name),
                mobile_lines::international_restricted.eq(restricted),
                mobile_lines::updated_at.eq(now),
            ))
            .returning(mobile_lines::all_columns)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::MobileLineChanged, &client)
                .organization(Some(before.organization_id))
                .actor(Some(actor))
                .detail(json!({
                    "mobile_number": before.mobile_number,
                    "user_name": user_name,
                    "international_restricted": restricted,
                })),
            now,
        )?;
        Ok(row.dto(contract_number))
    })
    .await?;
    Ok(web::Json(line))
}

/// Delete a line after its minimum usage period (30 days from registration; before that
/// → 409 with the first day it can be). The line stays in the history as deleted; its
/// number may be registered again, which starts a new period.
#[utoipa::path(
    tag = "mobile",
    params(("id" = MobileLineId, Path, description = "The line's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such current line, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Within the minimum usage period: `deletable_from` says from when", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/mobile-lines/{id}")]
pub async fn delete_mobile_line(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<MobileLineId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, actor, now, today, id) = (
        user.scope(),
        user.id(),
        state.clock.now_naive(),
        state.clock.today(),
        id.into_inner(),
    );
    db::transaction(&state.pool, move |conn| {
        let (line, contract_number) = find_current(conn, scope, id)?;
        if today < line.deletable_from() {
            return Err(ApiError::MinimumUsagePeriod {
                deletable_from: line.deletable_from(),
            });
        }
        diesel::update(mobile_lines::table.find(id))
            .set((
                mobile_lines::deleted_on.eq(today),
                mobile_lines::updated_at.eq(now),
            ))
            .execute(conn)?;
        // A deleted line rings no extension any more: the extension that had it keeps its
        // profile without a number (and the number can go to another customer).
        let released: Vec<String> =
            diesel::update(extensions::table.filter(extensions::mobile_line_id.eq(id)))
                .set((
                    extensions::mobile_line_id.eq(None::<MobileLineId>),
                    extensions::updated_at.eq(now),
                ))
                .returning(extensions::number)
                .get_results(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::MobileLineDeleted, &client)
                .organization(Some(line.organization_id))
                .actor(Some(actor))
                .detail(json!({
                    "mobile_number": line.mobile_number,
                    "contract_number": contract_number,
                    "released_extensions": released,
                })),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
