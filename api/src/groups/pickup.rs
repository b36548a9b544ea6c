//! Pickup groups (seed 003 §5.1): a member answers a call ringing another member. A site
//! holds 4096 of them, a group 64 extensions of the site; an extension may be in several.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::groups::{
    GroupMember, MAX_GROUP_MEMBERS, MAX_PICKUP_GROUPS, MemberRequest, PickupGroup, PickupGroupPage,
    PickupGroupRequest, PickupGroupSummary, group_number_shape,
};
use madoguchi_types::ids::{ExtensionId, PickupGroupId, SiteId};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{pickup_label, site_member, site_members, within_group_limit, within_member_limit};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::error::{ApiError, GroupLimit};
use crate::extensions::features::lock_site;
use crate::extensions::{SiteRow, find_site};
use crate::json::Json;
use crate::listing::{self, Window};
use crate::net::ClientInfo;
use crate::policy::{Permission, Scope};
use crate::schema::{extensions, mobile_lines, pbx_sites, pickup_group_members, pickup_groups};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_pickup_groups)
        .service(create_pickup_group)
        .service(get_pickup_group)
        .service(delete_pickup_group)
        .service(add_pickup_member)
        .service(remove_pickup_member);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pickup_groups)]
struct PickupRow {
    id: PickupGroupId,
    site_id: SiteId,
    number: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A pickup group of a site the scope shows, with its site; another organization's is 404.
fn find(conn: &mut DbConn, scope: Scope, id: PickupGroupId) -> Result<(PickupRow, SiteRow), ApiError> {
    let query = pickup_groups::table
        .inner_join(pbx_sites::table)
        .filter(pickup_groups::id.eq(id))
        .select((PickupRow::as_select(), SiteRow::as_select()))
        .into_boxed();
    crate::scoped!(query, pbx_sites::organization_id, scope)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

fn members(conn: &mut DbConn, group: PickupGroupId) -> QueryResult<Vec<GroupMember>> {
    let rows: Vec<(ExtensionId, String, Option<String>)> = pickup_group_members::table
        .inner_join(extensions::table.left_join(mobile_lines::table))
        .filter(pickup_group_members::group_id.eq(group))
        .select((
            extensions::id,
            extensions::number,
            mobile_lines::mobile_number.nullable(),
        ))
        .order(extensions::number)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(extension_id, number, mobile_number)| GroupMember {
            extension_id,
            number,
            mobile_number,
        })
        .collect())
}

fn detail(conn: &mut DbConn, row: PickupRow) -> QueryResult<PickupGroup> {
    Ok(PickupGroup {
        members: members(conn, row.id)?,
        id: row.id,
        site_id: row.site_id,
        number: row.number,
        member_limit: MAX_GROUP_MEMBERS as i64,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

fn touch(conn: &mut DbConn, group: PickupGroupId, now: NaiveDateTime) -> QueryResult<PickupRow> {
    diesel::update(pickup_groups::table.find(group))
        .set(pickup_groups::updated_at.eq(now))
        .returning(pickup_groups::all_columns)
        .get_result(conn)
}

fn add_members(
    conn: &mut DbConn,
    group: PickupGroupId,
    members: &[GroupMember],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if members.is_empty() {
        return Ok(0);
    }
    let rows: Vec<_> = members
        .iter()
        .map(|member| {
            (
                pickup_group_members::group_id.eq(group),
                pickup_group_members::extension_id.eq(member.extension_id),
                pickup_group_members::created_at.eq(now),
            )
        })
        .collect();
    crate::with_inner!(conn, |inner| diesel::insert_into(pickup_group_members::table)
        .values(&rows)
        .execute(inner))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupFilter {
    /// Part of the group number.
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<i64>,
}

/// A site's pickup groups by number, with member counts and the site's count against its
/// limit (4096).
#[utoipa::path(
    tag = "groups",
    params(("id" = SiteId, Path, description = "The site's id"), GroupFilter),
    responses(
        (status = 200, description = "A page of pickup groups", body = PickupGroupPage),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A search too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/pickup-groups")]
pub async fn list_pickup_groups(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SiteId>,
    filter: web::Query<GroupFilter>,
) -> Result<web::Json<PickupGroupPage>, ApiError> {
    user.require(Permission::Pbx)?;
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let window = Window::new(filter.page, filter.per_page, 100, 500);
    let (scope, site) = (user.scope(), id.into_inner());
    let page = db::run(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        let query = || {
            let mut query = pickup_groups::table
                .filter(pickup_groups::site_id.eq(site))
                .into_boxed();
            if let Some(pattern) = pattern.clone() {
                query = query.filter(pickup_groups::number.like(pattern).escape('\\'));
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let site_total: i64 = pickup_groups::table
            .filter(pickup_groups::site_id.eq(site))
            .count()
            .get_result(conn)?;
        let counts = pickup_group_members::table
            .filter(pickup_group_members::group_id.eq(pickup_groups::id))
            .count()
            .single_value();
        let rows: Vec<(PickupRow, Option<i64>)> = query()
            .select((PickupRow::as_select(), counts))
            .order((pickup_groups::number, pickup_groups::id))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(PickupGroupPage {
            items: rows
                .into_iter()
                .map(|(row, count)| PickupGroupSummary {
                    id: row.id,
                    number: row.number,
                    member_count: count.unwrap_or(0),
                    updated_at: row.updated_at.and_utc(),
                })
                .collect(),
            total,
            site_total,
            limit: MAX_PICKUP_GROUPS as i64,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// Create a pickup group with its first members (extensions of the site).
#[utoipa::path(
    tag = "groups",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body = PickupGroupRequest,
    responses(
        (status = 201, description = "Created", body = PickupGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The number is taken (`conflict`); the site has 4096 pickup groups (`pickup_group_limit`); more than 64 members (`member_limit`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad number; a member that is no extension of the site, or given twice (`members[i]`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/pickup-groups")]
pub async fn create_pickup_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    body: Json<PickupGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let request = body.into_inner();
    let number = request.number.trim().to_owned();
    group_number_shape(&number).map_err(|reason| ApiError::invalid("number", reason))?;
    within_member_limit(request.members.len())?;
    let (scope, actor, now, site) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let group = db::transaction(&state.pool, move |conn| {
        let (site_row, _) = find_site(conn, scope, site)?;
        lock_site(conn, site)?;
        let count: i64 = pickup_groups::table
            .filter(pickup_groups::site_id.eq(site))
            .count()
            .get_result(conn)?;
        within_group_limit(count, GroupLimit::PickupGroups)?;
        let taken: i64 = pickup_groups::table
            .filter(pickup_groups::site_id.eq(site))
            .filter(pickup_groups::number.eq(&number))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict {
                field: "number".to_owned(),
            });
        }
        let members = site_members(conn, site, &request.members, "members")?;
        let row: PickupRow = diesel::insert_into(pickup_groups::table)
            .values((
                pickup_groups::site_id.eq(site),
                pickup_groups::number.eq(&number),
                pickup_groups::created_at.eq(now),
                pickup_groups::updated_at.eq(now),
            ))
            .returning(pickup_groups::all_columns)
            .get_result(conn)?;
        add_members(conn, row.id, &members, now)?;
        let numbers: Vec<&str> = members.iter().map(|member| member.number.as_str()).collect();
        audit::record(
            conn,
            &audit::Event::new(AuditAction::GroupCreated, &client)
                .organization(Some(site_row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site_row.name, "group": pickup_label(&number), "members": numbers})),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(group))
}

#[utoipa::path(
    tag = "groups",
    params(("id" = PickupGroupId, Path, description = "The pickup group's id")),
    responses(
        (status = 200, description = "The group with its members by extension number", body = PickupGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pickup-groups/{id}")]
pub async fn get_pickup_group(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PickupGroupId>,
) -> Result<web::Json<PickupGroup>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let group = db::run(&state.pool, move |conn| {
        let (row, _) = find(conn, scope, id)?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}

/// Delete a pickup group (its extensions stay).
#[utoipa::path(
    tag = "groups",
    params(("id" = PickupGroupId, Path, description = "The pickup group's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/pickup-groups/{id}")]
pub async fn delete_pickup_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<PickupGroupId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    db::transaction(&state.pool, move |conn| {
        let (row, site) = find(conn, scope, id)?;
        let members = members(conn, id)?.len();
        diesel::delete(pickup_groups::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::GroupDeleted, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site.name, "group": pickup_label(&row.number), "members": members})),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add an extension of the site to the group (one already in it stays, unchanged).
#[utoipa::path(
    tag = "groups",
    params(("id" = PickupGroupId, Path, description = "The pickup group's id")),
    request_body = MemberRequest,
    responses(
        (status = 200, description = "The group with its members", body = PickupGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The group has 64 members (`member_limit`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an extension of the group's site (`extension_id`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pickup-groups/{id}/members")]
pub async fn add_pickup_member(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<PickupGroupId>,
    body: Json<MemberRequest>,
) -> Result<web::Json<PickupGroup>, ApiError> {
    user.require(Permission::Pbx)?;
    let extension = body.into_inner().extension_id;
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let group = db::transaction(&state.pool, move |conn| {
        let (row, site) = find(conn, scope, id)?;
        lock_site(conn, site.id)?;
        let member = site_member(conn, site.id, extension, "extension_id")?;
        let current = members(conn, id)?;
        if current.iter().any(|present| present.extension_id == extension) {
            return Ok(detail(conn, row)?);
        }
        within_member_limit(current.len() + 1)?;
        add_members(conn, id, std::slice::from_ref(&member), now)?;
        let row = touch(conn, id, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::GroupChanged, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(
                    json!({"site": site.name, "group": pickup_label(&row.number), "added": member.number}),
                ),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}

/// Remove an extension from the group.
#[utoipa::path(
    tag = "groups",
    params(
        ("id" = PickupGroupId, Path, description = "The pickup group's id"),
        ("extension_id" = ExtensionId, Path, description = "The member's extension id"),
    ),
    responses(
        (status = 200, description = "The group with its members", body = PickupGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller, or the extension is not in it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/pickup-groups/{id}/members/{extension_id}")]
pub async fn remove_pickup_member(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<(PickupGroupId, ExtensionId)>,
) -> Result<web::Json<PickupGroup>, ApiError> {
    user.require(Permission::Pbx)?;
    let (id, extension) = path.into_inner();
    let (scope, actor, now) = (user.scope(), user.id(), state.clock.now_naive());
    let group = db::transaction(&state.pool, move |conn| {
        let (_, site) = find(conn, scope, id)?;
        let Some(member) = members(conn, id)?
            .into_iter()
            .find(|member| member.extension_id == extension)
        else {
            return Err(ApiError::NotFound);
        };
        diesel::delete(pickup_group_members::table.find((id, extension))).execute(conn)?;
        let row = touch(conn, id, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::GroupChanged, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(
                    json!({"site": site.name, "group": pickup_label(&row.number), "removed": member.number}),
                ),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}
