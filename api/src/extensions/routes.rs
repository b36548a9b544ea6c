//! Extensions of a site: list and search, create with every rule of SPEC §8.1 (the SIP user
//! name and password default to the number; numbers and SIP user names unique per site),
//! change the profile, assign or release an Office Link number of the site's pool, delete
//! (refused while the extension is in a group unless `force`).

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::extensions::{
    Extension, ExtensionPage, ExtensionRequest, ExtensionUpdate, Forwarding, NO_ANSWER_SECONDS,
    extension_number_shape, forward_number_shape, sip_password_shape, sip_user_shape, web_password_shape,
    web_user_shape,
};
use madoguchi_types::ids::{ExtensionId, MobileLineId, OrganizationId, SiteId};
use madoguchi_types::mobile::{MobileLine, mobile_number_shape, normalize_mobile_number};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ExtensionRow, SiteRow, find_extension, find_site, groups_of};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::listing::{self, Window};
use crate::mobile::LineRow;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{contracts, extensions, mobile_lines};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_extensions)
        .service(create_extension)
        .service(mobile_pool)
        .service(get_extension)
        .service(change_extension)
        .service(delete_extension)
        .service(assign_mobile)
        .service(release_mobile)
        .service(get_forwarding)
        .service(set_forwarding);
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExtensionFilter {
    /// Part of the extension number, SIP or web user name.
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<i64>,
}

/// A site's extensions by number.
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id"), ExtensionFilter),
    responses(
        (status = 200, description = "A page of extensions", body = ExtensionPage),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A search too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/extensions")]
pub async fn list_extensions(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SiteId>,
    filter: web::Query<ExtensionFilter>,
) -> Result<web::Json<ExtensionPage>, ApiError> {
    user.require(Permission::Pbx)?;
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let window = Window::new(filter.page, filter.per_page, 100, 500);
    let (scope, site) = (user.scope(), id.into_inner());
    let page = db::run(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        let query = || {
            let mut query = extensions::table
                .left_join(mobile_lines::table)
                .filter(extensions::site_id.eq(site))
                .into_boxed();
            if let Some(pattern) = pattern.clone() {
                query = query.filter(
                    extensions::number
                        .like(pattern.clone())
                        .escape('\\')
                        .or(extensions::sip_user.like(pattern.clone()).escape('\\'))
                        .or(extensions::web_user.like(pattern).escape('\\')),
                );
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(ExtensionRow, Option<String>)> = query()
            .select((ExtensionRow::as_select(), mobile_lines::mobile_number.nullable()))
            .order((extensions::number, extensions::id))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(ExtensionPage {
            items: rows.into_iter().map(|(row, mobile)| row.dto(mobile)).collect(),
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// A current Office Link line of the organization that no extension has: its id.
fn pool_line(
    conn: &mut DbConn,
    organization: OrganizationId,
    number: &str,
    except: Option<ExtensionId>,
) -> Result<MobileLineId, ApiError> {
    let Some(line) = super::office_link_line(conn, organization, number)? else {
        return Err(ApiError::invalid("mobile_number", Invalid::NotInPool));
    };
    let mut holder = extensions::table
        .filter(extensions::mobile_line_id.eq(line))
        .select(extensions::id)
        .into_boxed();
    if let Some(except) = except {
        holder = holder.filter(extensions::id.ne(except));
    }
    if holder.first::<ExtensionId>(conn).optional()?.is_some() {
        return Err(ApiError::invalid("mobile_number", Invalid::NotInPool));
    }
    Ok(line)
}

/// The field that names a value already used on the site, if any.
fn taken_on_site(
    conn: &mut DbConn,
    site: SiteId,
    number: Option<&str>,
    sip_user: Option<&str>,
    except: Option<ExtensionId>,
) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    for (field, value) in [("number", number), ("sip_user", sip_user)] {
        let Some(value) = value else { continue };
        let mut query = extensions::table
            .filter(extensions::site_id.eq(site))
            .into_boxed();
        query = match field {
            "number" => query.filter(extensions::number.eq(value)),
            _ => query.filter(extensions::sip_user.eq(value)),
        };
        if let Some(except) = except {
            query = query.filter(extensions::id.ne(except));
        }
        if query.count().get_result::<i64>(conn)? > 0 {
            violations.add(field, Invalid::Taken);
        }
    }
    violations.finish()
}

/// Create an extension. Unset SIP user name and password are the number (SPEC §8.1).
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body = ExtensionRequest,
    responses(
        (status = 201, description = "Created", body = Extension),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The number overlaps a feature code or the park-hold code (`code_conflict`, named in `conflicts`); created by another request at the same moment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: a number or SIP user name used on the site, a mobile number not in the pool", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/extensions")]
pub async fn create_extension(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    body: Json<ExtensionRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let request = body.into_inner();
    let number = request.number.trim().to_owned();
    let sip_user = request
        .sip_user
        .as_deref()
        .map_or(number.clone(), |user| user.trim().to_owned());
    let sip_password = request
        .sip_password
        .as_deref()
        .map_or(number.clone(), |password| password.trim().to_owned());
    let web_user = request.web_user.trim().to_owned();
    let web_password = request.web_password.trim().to_owned();
    let mobile = request
        .mobile_number
        .as_deref()
        .map(normalize_mobile_number)
        .filter(|number| !number.is_empty());
    let mut violations = Violations::default();
    violations.check("number", extension_number_shape(&number));
    violations.check("sip_user", sip_user_shape(&sip_user));
    violations.check("sip_password", sip_password_shape(&sip_password));
    violations.check("web_user", web_user_shape(&web_user));
    violations.check("web_password", web_password_shape(&web_password, &web_user));
    if let Some(mobile) = &mobile {
        violations.check("mobile_number", mobile_number_shape(mobile));
    }
    violations.finish()?;
    let (scope, actor, now, site) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let sealing = state.sealing.clone();
    let extension = db::transaction(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        super::features::lock_site(conn, site)?;
        // Read under the lock: the codes checked are the codes the site keeps.
        let (site_row, _) = find_site(conn, scope, site)?;
        super::features::refuse_overlapping_extension(&site_row, &number)?;
        let count = super::sites::extension_count(conn, site)?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= super::csv::MAX_SITE_EXTENSIONS {
            return Err(ApiError::invalid(
                "number",
                Invalid::TooMany {
                    max: super::csv::MAX_SITE_EXTENSIONS,
                },
            ));
        }
        taken_on_site(conn, site, Some(&number), Some(&sip_user), None)?;
        let line = match &mobile {
            Some(mobile) => Some(pool_line(conn, site_row.organization_id, mobile, None)?),
            None => None,
        };
        let row: ExtensionRow = diesel::insert_into(extensions::table)
            .values((
                extensions::site_id.eq(site),
                extensions::number.eq(&number),
                extensions::sip_user.eq(&sip_user),
                extensions::sip_password_sealed.eq(sealing.seal(&sip_password)),
                extensions::web_user.eq(&web_user),
                extensions::web_password_sealed.eq(sealing.seal(&web_password)),
                extensions::mobile_line_id.eq(line),
                extensions::created_at.eq(now),
                extensions::updated_at.eq(now),
            ))
            .returning(extensions::all_columns)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionCreated, &client)
                .organization(Some(site_row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site_row.name, "number": row.number, "mobile_number": mobile})),
            now,
        )?;
        Ok(row.dto(mobile))
    })
    .await?;
    Ok(HttpResponse::Created().json(extension))
}

/// The site's pool (未割当番号): current Office Link lines of its organization that no
/// extension has.
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id")),
    responses(
        (status = 200, description = "Unassigned Office Link lines by number", body = Vec<MobileLine>),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/mobile-pool")]
pub async fn mobile_pool(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SiteId>,
) -> Result<web::Json<Vec<MobileLine>>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, site) = (user.scope(), id.into_inner());
    let pool = db::run(&state.pool, move |conn| {
        let (site_row, _): (SiteRow, String) = find_site(conn, scope, site)?;
        let assigned = extensions::table
            .filter(extensions::mobile_line_id.is_not_null())
            .select(extensions::mobile_line_id.assume_not_null());
        let rows: Vec<(LineRow, String)> = mobile_lines::table
            .inner_join(contracts::table)
            .filter(mobile_lines::organization_id.eq(site_row.organization_id))
            .filter(mobile_lines::deleted_on.is_null())
            .filter(mobile_lines::office_link.eq(true))
            .filter(mobile_lines::id.ne_all(assigned))
            .select((LineRow::as_select(), contracts::contract_number))
            .order(mobile_lines::mobile_number)
            .load(conn)?;
        Ok(rows.into_iter().map(|(row, number)| row.dto(number)).collect())
    })
    .await?;
    Ok(web::Json(pool))
}

#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension's id")),
    responses(
        (status = 200, description = "The extension (no passwords)", body = Extension),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/extensions/{id}")]
pub async fn get_extension(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ExtensionId>,
) -> Result<web::Json<Extension>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let (row, _, mobile) = db::run(&state.pool, move |conn| find_extension(conn, scope, id)).await?;
    Ok(web::Json(row.dto(mobile)))
}

/// Change an extension's profile: what is absent stays. A new web password is checked
/// against the web user name it will have.
#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension's id")),
    request_body = ExtensionUpdate,
    responses(
        (status = 200, description = "The extension as it is now", body = Extension),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed by another request at the same moment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named; a SIP user name used on the site", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/extensions/{id}")]
pub async fn change_extension(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ExtensionId>,
    body: Json<ExtensionUpdate>,
) -> Result<web::Json<Extension>, ApiError> {
    user.require(Permission::Pbx)?;
    let update = body.into_inner();
    let trimmed = |value: &Option<String>| value.as_deref().map(str::trim).map(str::to_owned);
    let (sip_user, sip_password, web_user, web_password) = (
        trimmed(&update.sip_user),
        trimmed(&update.sip_password),
        trimmed(&update.web_user),
        trimmed(&update.web_password),
    );
    let mut violations = Violations::default();
    if let Some(value) = &sip_user {
        violations.check("sip_user", sip_user_shape(value));
    }
    if let Some(value) = &sip_password {
        violations.check("sip_password", sip_password_shape(value));
    }
    if let Some(value) = &web_user {
        violations.check("web_user", web_user_shape(value));
    }
    violations.finish()?;
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let sealing = state.sealing.clone();
    let extension = db::transaction(&state.pool, move |conn| {
        let (before, site, mobile) = find_extension(conn, scope, id)?;
        let web_user_after = web_user.clone().unwrap_or_else(|| before.web_user.clone());
        // The web password must differ from the web user name it ends up with.
        let web_password_after = match &web_password {
            Some(password) => password.clone(),
            None => sealing
                .open(&before.web_password_sealed)
                .map_err(ApiError::internal)?,
        };
        web_password_shape(&web_password_after, &web_user_after)
            .map_err(|reason| ApiError::invalid("web_password", reason))?;
        taken_on_site(conn, before.site_id, None, sip_user.as_deref(), Some(id))?;
        let row: ExtensionRow = diesel::update(extensions::table.find(id))
            .set((
                extensions::sip_user.eq(sip_user.clone().unwrap_or(before.sip_user.clone())),
                extensions::sip_password_sealed.eq(sip_password
                    .as_deref()
                    .map_or(before.sip_password_sealed.clone(), |password| {
                        sealing.seal(password)
                    })),
                extensions::web_user.eq(&web_user_after),
                extensions::web_password_sealed.eq(web_password
                    .as_deref()
                    .map_or(before.web_password_sealed.clone(), |password| {
                        sealing.seal(password)
                    })),
                extensions::updated_at.eq(now),
            ))
            .returning(extensions::all_columns)
            .get_result(conn)?;
        // Which fields changed, never their values (passwords stay out of the log).
        let changed: Vec<&str> = [
            ("sip_user", sip_user.is_some()),
            ("sip_password", sip_password.is_some()),
            ("web_user", web_user.is_some()),
            ("web_password", web_password.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, given)| given.then_some(field))
        .collect();
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionChanged, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site.name, "number": row.number, "fields": changed})),
            now,
        )?;
        Ok(row.dto(mobile))
    })
    .await?;
    Ok(web::Json(extension))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteOptions {
    /// Remove the extension from its pickup and hunting groups first.
    pub force: Option<bool>,
}

/// Delete an extension (its mobile number returns to the pool). While it is in a pickup or
/// hunting group → 409 naming the groups, unless `force=true`.
#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension's id"), DeleteOptions),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "In groups (named); send `force=true` to remove it from them", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/extensions/{id}")]
pub async fn delete_extension(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ExtensionId>,
    options: web::Query<DeleteOptions>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let force = options.force.unwrap_or(false);
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    db::transaction(&state.pool, move |conn| {
        let (row, site, _) = find_extension(conn, scope, id)?;
        let groups = groups_of(conn, id)?;
        if !groups.is_empty() && !force {
            return Err(ApiError::InGroups { groups });
        }
        if !groups.is_empty() {
            super::remove_memberships(conn, &[id], now)?;
        }
        diesel::delete(extensions::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionDeleted, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site.name, "number": row.number, "groups": groups})),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A number of the site's pool.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct MobileAssignment {
    #[schema(min_length = 11, max_length = 20, example = "090-1234-5678")]
    pub mobile_number: String,
}

/// Assign a number of the site's pool to the extension (replacing the one it had).
#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension's id")),
    request_body = MobileAssignment,
    responses(
        (status = 200, description = "The extension with its number", body = Extension),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The number was assigned by another request at the same moment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a number of the pool (no current Office Link line, or assigned)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/extensions/{id}/mobile")]
pub async fn assign_mobile(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ExtensionId>,
    body: Json<MobileAssignment>,
) -> Result<web::Json<Extension>, ApiError> {
    user.require(Permission::Pbx)?;
    let number = normalize_mobile_number(&body.into_inner().mobile_number);
    mobile_number_shape(&number).map_err(|reason| ApiError::invalid("mobile_number", reason))?;
    set_mobile(&state, &user, client, id.into_inner(), Some(number)).await
}

/// Release the extension's number back to the pool.
#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension's id")),
    responses(
        (status = 200, description = "The extension without a number", body = Extension),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/extensions/{id}/mobile")]
pub async fn release_mobile(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ExtensionId>,
) -> Result<web::Json<Extension>, ApiError> {
    user.require(Permission::Pbx)?;
    set_mobile(&state, &user, client, id.into_inner(), None).await
}

async fn set_mobile(
    state: &AppState,
    user: &AuthUser,
    client: ClientInfo,
    id: ExtensionId,
    number: Option<String>,
) -> Result<web::Json<Extension>, ApiError> {
    let (scope, actor, now) = (user.scope(), user.id(), state.clock.now_naive());
    let extension = db::transaction(&state.pool, move |conn| {
        let (_, site, before) = find_extension(conn, scope, id)?;
        let line = match &number {
            Some(number) => Some(pool_line(conn, site.organization_id, number, Some(id))?),
            None => None,
        };
        let row: ExtensionRow = diesel::update(extensions::table.find(id))
            .set((extensions::mobile_line_id.eq(line), extensions::updated_at.eq(now)))
            .returning(extensions::all_columns)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionChanged, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site.name, "number": row.number, "mobile_number": {"from": before, "to": number}})),
            now,
        )?;
        Ok(row.dto(number))
    })
    .await?;
    Ok(web::Json(extension))
}

/// An extension's call forwarding (unconditional, busy, no answer after a delay, out of
/// coverage).
#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension's id")),
    responses(
        (status = 200, description = "Its forwarding; an absent destination is off", body = Forwarding),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/extensions/{id}/forwarding")]
pub async fn get_forwarding(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ExtensionId>,
) -> Result<web::Json<Forwarding>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let (row, _, _) = db::run(&state.pool, move |conn| find_extension(conn, scope, id)).await?;
    Ok(web::Json(row.forwarding()))
}

/// Replace an extension's forwarding: every destination 2–20 digits, the no-answer delay
/// 5–60 seconds (20 when a no-answer destination comes without one).
#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension's id")),
    request_body = Forwarding,
    responses(
        (status = 200, description = "Its forwarding as it is now", body = Forwarding),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad destination or delay, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/extensions/{id}/forwarding")]
pub async fn set_forwarding(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ExtensionId>,
    body: Json<Forwarding>,
) -> Result<web::Json<Forwarding>, ApiError> {
    user.require(Permission::Pbx)?;
    let given = body.into_inner();
    let mut violations = Violations::default();
    let mut destination = |field: &str, value: &Option<String>| {
        let value = value
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty())?;
        violations
            .check(field, forward_number_shape(value))
            .map(|()| value.to_owned())
    };
    let always = destination("always", &given.always);
    let busy = destination("busy", &given.busy);
    let no_answer = destination("no_answer", &given.no_answer);
    let unreachable = destination("unreachable", &given.unreachable);
    let (min, max) = NO_ANSWER_SECONDS;
    if let Some(seconds) = given.no_answer_seconds
        && !(min..=max).contains(&seconds)
    {
        violations.add(
            "no_answer_seconds",
            Invalid::Format {
                expected: "5 to 60 seconds",
            },
        );
    }
    violations.finish()?;
    let seconds = no_answer.as_ref().map(|_| given.no_answer_seconds.unwrap_or(20));
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let forwarding = db::transaction(&state.pool, move |conn| {
        let (_, site, _) = find_extension(conn, scope, id)?;
        let row: ExtensionRow = diesel::update(extensions::table.find(id))
            .set((
                extensions::forward_always.eq(&always),
                extensions::forward_busy.eq(&busy),
                extensions::forward_no_answer.eq(&no_answer),
                extensions::forward_no_answer_seconds.eq(seconds),
                extensions::forward_unreachable.eq(&unreachable),
                extensions::updated_at.eq(now),
            ))
            .returning(extensions::all_columns)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionChanged, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site.name, "number": row.number, "forwarding": row.forwarding()})),
            now,
        )?;
        Ok(row.forwarding())
    })
    .await?;
    Ok(web::Json(forwarding))
}
