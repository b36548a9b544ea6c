//! Call hunting groups (seed 003 §5.3): a call to the representative extension (代表内線番号)
//! rings a free member — in turn (均等着信, round robin) or the first free one in the
//! members' order (パイロット, priority). A site holds 10000 of them, a group 64 extensions
//! of the site, and an extension is in one hunting group at most (the database's unique key
//! holds that against concurrent requests too).

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::groups::{
    GroupMember, HuntingGroup, HuntingGroupPage, HuntingGroupRequest, HuntingGroupSummary,
    HuntingGroupUpdate, HuntingStrategy, MAX_GROUP_MEMBERS, MAX_HUNTING_GROUPS, MemberOrder, MemberRequest,
    group_number_shape,
};
use madoguchi_types::ids::{ExtensionId, HuntingGroupId, SiteId};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::pickup::GroupFilter;
use super::{hunting_label, site_member, site_members, within_group_limit, within_member_limit};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, GroupLimit};
use crate::extensions::features::lock_site;
use crate::extensions::{SiteRow, find_site};
use crate::json::Json;
use crate::listing::{self, Window};
use crate::net::ClientInfo;
use crate::policy::{Permission, Scope};
use crate::schema::{extensions, hunting_group_members, hunting_groups, mobile_lines, pbx_sites};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_hunting_groups)
        .service(create_hunting_group)
        .service(get_hunting_group)
        .service(change_hunting_group)
        .service(delete_hunting_group)
        .service(add_hunting_member)
        .service(remove_hunting_member)
        .service(order_hunting_members);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = hunting_groups)]
struct HuntingRow {
    id: HuntingGroupId,
    site_id: SiteId,
    number: String,
    strategy: HuntingStrategy,
    representative_extension_id: Option<ExtensionId>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A hunting group of a site the scope shows, with its site; another organization's is 404.
fn find(conn: &mut DbConn, scope: Scope, id: HuntingGroupId) -> Result<(HuntingRow, SiteRow), ApiError> {
    let query = hunting_groups::table
        .inner_join(pbx_sites::table)
        .filter(hunting_groups::id.eq(id))
        .select((HuntingRow::as_select(), SiteRow::as_select()))
        .into_boxed();
    crate::scoped!(query, pbx_sites::organization_id, scope)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The members in ring order.
fn members(conn: &mut DbConn, group: HuntingGroupId) -> QueryResult<Vec<GroupMember>> {
    let rows: Vec<(ExtensionId, String, Option<String>)> = hunting_group_members::table
        .inner_join(extensions::table.left_join(mobile_lines::table))
        .filter(hunting_group_members::group_id.eq(group))
        .select((
            extensions::id,
            extensions::number,
            mobile_lines::mobile_number.nullable(),
        ))
        .order((hunting_group_members::position, extensions::number))
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

fn detail(conn: &mut DbConn, row: HuntingRow) -> QueryResult<HuntingGroup> {
    let representative = match row.representative_extension_id {
        Some(id) => extensions::table
            .left_join(mobile_lines::table)
            .filter(extensions::id.eq(id))
            .select((
                extensions::id,
                extensions::number,
                mobile_lines::mobile_number.nullable(),
            ))
            .first::<(ExtensionId, String, Option<String>)>(conn)
            .optional()?
            .map(|(extension_id, number, mobile_number)| GroupMember {
                extension_id,
                number,
                mobile_number,
            }),
        None => None,
    };
    Ok(HuntingGroup {
        members: members(conn, row.id)?,
        representative,
        id: row.id,
        site_id: row.site_id,
        number: row.number,
        strategy: row.strategy,
        member_limit: MAX_GROUP_MEMBERS as i64,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Refuses an extension that represents another hunting group.
fn representative_free(
    conn: &mut DbConn,
    member: &GroupMember,
    except: Option<HuntingGroupId>,
) -> Result<(), ApiError> {
    let mut query = hunting_groups::table
        .filter(hunting_groups::representative_extension_id.eq(member.extension_id))
        .select(hunting_groups::number)
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(hunting_groups::id.ne(except));
    }
    match query.first::<String>(conn).optional()? {
        Some(group) => Err(ApiError::RepresentativeTaken {
            extension: member.number.clone(),
            group,
        }),
        None => Ok(()),
    }
}

/// Refuses members that represent a hunting group, this one included (a pilot number that
/// rings itself would loop), naming the first.
fn represent_none(conn: &mut DbConn, members: &[GroupMember]) -> Result<(), ApiError> {
    let ids: Vec<ExtensionId> = members.iter().map(|member| member.extension_id).collect();
    let representing: Vec<(Option<ExtensionId>, String)> = hunting_groups::table
        .filter(hunting_groups::representative_extension_id.eq_any(ids))
        .select((
            hunting_groups::representative_extension_id,
            hunting_groups::number,
        ))
        .load(conn)?;
    for member in members {
        if let Some((_, group)) = representing
            .iter()
            .find(|(id, _)| *id == Some(member.extension_id))
        {
            return Err(ApiError::RepresentativeTaken {
                extension: member.number.clone(),
                group: group.clone(),
            });
        }
    }
    Ok(())
}

/// Refuses extensions in another hunting group than `except`, naming the first.
fn in_no_other_group(
    conn: &mut DbConn,
    members: &[GroupMember],
    except: Option<HuntingGroupId>,
) -> Result<(), ApiError> {
    let ids: Vec<ExtensionId> = members.iter().map(|member| member.extension_id).collect();
    let mut query = hunting_group_members::table
        .inner_join(hunting_groups::table)
        .filter(hunting_group_members::extension_id.eq_any(ids))
        .select((hunting_group_members::extension_id, hunting_groups::number))
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(hunting_groups::id.ne(except));
    }
    let taken: Vec<(ExtensionId, String)> = query.load(conn)?;
    // The first in the order given, so that the answer is the same every time.
    for member in members {
        if let Some((_, group)) = taken.iter().find(|(id, _)| *id == member.extension_id) {
            return Err(ApiError::InHuntingGroup {
                extension: member.number.clone(),
                group: group.clone(),
            });
        }
    }
    Ok(())
}

/// Appends members after `after` (the position of the last one).
fn append(
    conn: &mut DbConn,
    group: HuntingGroupId,
    members: &[GroupMember],
    after: i32,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if members.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = members
        .iter()
        .zip(after + 1..)
        .map(|(member, position)| {
            (
                hunting_group_members::group_id.eq(group),
                hunting_group_members::extension_id.eq(member.extension_id),
                hunting_group_members::position.eq(position),
                hunting_group_members::created_at.eq(now),
            )
        })
        .collect();
    let inserted = crate::with_inner!(conn, |inner| diesel::insert_into(hunting_group_members::table)
        .values(&rows)
        .execute(inner));
    match inserted {
        Ok(_) => Ok(()),
        // Another request put one of them in a group between our check and this insert.
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Err(ApiError::ConcurrentChange)
        }
        Err(error) => Err(error.into()),
    }
}

fn touch(conn: &mut DbConn, group: HuntingGroupId, now: NaiveDateTime) -> QueryResult<HuntingRow> {
    diesel::update(hunting_groups::table.find(group))
        .set(hunting_groups::updated_at.eq(now))
        .returning(hunting_groups::all_columns)
        .get_result(conn)
}

fn record(
    conn: &mut DbConn,
    client: &ClientInfo,
    action: AuditAction,
    site: &SiteRow,
    actor: madoguchi_types::ids::AccountId,
    detail: serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        &audit::Event::new(action, client)
            .organization(Some(site.organization_id))
            .actor(Some(actor))
            .detail(detail),
        now,
    )
}

/// A site's hunting groups by number, with member counts and the site's count against its
/// limit (10000).
#[utoipa::path(
    tag = "groups",
    params(("id" = SiteId, Path, description = "The site's id"), GroupFilter),
    responses(
        (status = 200, description = "A page of hunting groups", body = HuntingGroupPage),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A search too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/hunting-groups")]
pub async fn list_hunting_groups(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SiteId>,
    filter: web::Query<GroupFilter>,
) -> Result<web::Json<HuntingGroupPage>, ApiError> {
    user.require(Permission::Pbx)?;
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let window = Window::new(filter.page, filter.per_page, 100, 500);
    let (scope, site) = (user.scope(), id.into_inner());
    let page = db::run(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        let query = || {
            let mut query = hunting_groups::table
                .left_join(extensions::table)
                .filter(hunting_groups::site_id.eq(site))
                .into_boxed();
            if let Some(pattern) = pattern.clone() {
                query = query.filter(hunting_groups::number.like(pattern).escape('\\'));
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let site_total: i64 = hunting_groups::table
            .filter(hunting_groups::site_id.eq(site))
            .count()
            .get_result(conn)?;
        let counts = hunting_group_members::table
            .filter(hunting_group_members::group_id.eq(hunting_groups::id))
            .count()
            .single_value();
        let rows: Vec<(HuntingRow, Option<String>, Option<i64>)> = query()
            .select((HuntingRow::as_select(), extensions::number.nullable(), counts))
            .order((hunting_groups::number, hunting_groups::id))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(HuntingGroupPage {
            items: rows
                .into_iter()
                .map(|(row, representative_number, count)| HuntingGroupSummary {
                    id: row.id,
                    number: row.number,
                    strategy: row.strategy,
                    representative_number,
                    member_count: count.unwrap_or(0),
                    updated_at: row.updated_at.and_utc(),
                })
                .collect(),
            total,
            site_total,
            limit: MAX_HUNTING_GROUPS as i64,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// Create a hunting group: its number, representative, strategy and members in ring order.
#[utoipa::path(
    tag = "groups",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body = HuntingGroupRequest,
    responses(
        (status = 201, description = "Created", body = HuntingGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The number is taken (`conflict`); the site has 10000 hunting groups (`hunting_group_limit`); more than 64 members (`member_limit`); a member in another hunting group, or the representative a member of one (`in_hunting_group`, the group named); the representative represents another group, or a member represents one — this one included (`representative_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad number; a representative or member that is no extension of the site, or a member given twice", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/hunting-groups")]
pub async fn create_hunting_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    body: Json<HuntingGroupRequest>,
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
        let count: i64 = hunting_groups::table
            .filter(hunting_groups::site_id.eq(site))
            .count()
            .get_result(conn)?;
        within_group_limit(count, GroupLimit::HuntingGroups)?;
        let taken: i64 = hunting_groups::table
            .filter(hunting_groups::site_id.eq(site))
            .filter(hunting_groups::number.eq(&number))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict {
                field: "number".to_owned(),
            });
        }
        let representative = site_member(
            conn,
            site,
            request.representative_extension_id,
            "representative_extension_id",
        )?;
        let members = site_members(conn, site, &request.members, "members")?;
        representative_free(conn, &representative, None)?;
        // The representative is a member of no hunting group, this one included.
        in_no_other_group(conn, std::slice::from_ref(&representative), None)?;
        if members
            .iter()
            .any(|member| member.extension_id == representative.extension_id)
        {
            return Err(ApiError::RepresentativeTaken {
                extension: representative.number.clone(),
                group: number.clone(),
            });
        }
        in_no_other_group(conn, &members, None)?;
        represent_none(conn, &members)?;
        let row: HuntingRow = diesel::insert_into(hunting_groups::table)
            .values((
                hunting_groups::site_id.eq(site),
                hunting_groups::number.eq(&number),
                hunting_groups::strategy.eq(request.strategy),
                hunting_groups::representative_extension_id.eq(representative.extension_id),
                hunting_groups::created_at.eq(now),
                hunting_groups::updated_at.eq(now),
            ))
            .returning(hunting_groups::all_columns)
            .get_result(conn)?;
        append(conn, row.id, &members, 0, now)?;
        let numbers: Vec<&str> = members.iter().map(|member| member.number.as_str()).collect();
        record(
            conn,
            &client,
            AuditAction::GroupCreated,
            &site_row,
            actor,
            json!({"site": site_row.name, "group": hunting_label(&number), "strategy": request.strategy,
                   "representative": representative.number, "members": numbers}),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(group))
}

#[utoipa::path(
    tag = "groups",
    params(("id" = HuntingGroupId, Path, description = "The hunting group's id")),
    responses(
        (status = 200, description = "The group with its members in ring order", body = HuntingGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/hunting-groups/{id}")]
pub async fn get_hunting_group(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<HuntingGroupId>,
) -> Result<web::Json<HuntingGroup>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let group = db::run(&state.pool, move |conn| {
        let (row, _) = find(conn, scope, id)?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}

/// Change the representative or the strategy (what is absent stays).
#[utoipa::path(
    tag = "groups",
    params(("id" = HuntingGroupId, Path, description = "The hunting group's id")),
    request_body = HuntingGroupUpdate,
    responses(
        (status = 200, description = "The group as it is now", body = HuntingGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The representative represents another group (`representative_taken`) or is a member of a hunting group (`in_hunting_group`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A representative that is no extension of the site", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/hunting-groups/{id}")]
pub async fn change_hunting_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<HuntingGroupId>,
    body: Json<HuntingGroupUpdate>,
) -> Result<web::Json<HuntingGroup>, ApiError> {
    user.require(Permission::Pbx)?;
    let update = body.into_inner();
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let group = db::transaction(&state.pool, move |conn| {
        let (before, site) = find(conn, scope, id)?;
        lock_site(conn, site.id)?;
        let representative = match update.representative_extension_id {
            Some(extension) => {
                let member = site_member(conn, site.id, extension, "representative_extension_id")?;
                representative_free(conn, &member, Some(id))?;
                in_no_other_group(conn, std::slice::from_ref(&member), None)?;
                Some(member)
            }
            None => None,
        };
        let strategy = update.strategy.unwrap_or(before.strategy);
        let representative_id = representative
            .as_ref()
            .map(|member| member.extension_id)
            .or(before.representative_extension_id);
        // Nothing to change: nothing written, nothing audited.
        if strategy == before.strategy && representative_id == before.representative_extension_id {
            return Ok(detail(conn, before)?);
        }
        let row: HuntingRow = diesel::update(hunting_groups::table.find(id))
            .set((
                hunting_groups::strategy.eq(strategy),
                hunting_groups::representative_extension_id.eq(representative_id),
                hunting_groups::updated_at.eq(now),
            ))
            .returning(hunting_groups::all_columns)
            .get_result(conn)?;
        record(
            conn,
            &client,
            AuditAction::GroupChanged,
            &site,
            actor,
            json!({"site": site.name, "group": hunting_label(&row.number),
                   "strategy": {"from": before.strategy, "to": strategy},
                   "representative": representative.map(|member| member.number)}),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}

/// Delete a hunting group (its extensions stay).
#[utoipa::path(
    tag = "groups",
    params(("id" = HuntingGroupId, Path, description = "The hunting group's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/hunting-groups/{id}")]
pub async fn delete_hunting_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<HuntingGroupId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    db::transaction(&state.pool, move |conn| {
        let (row, site) = find(conn, scope, id)?;
        let members = members(conn, id)?.len();
        diesel::delete(hunting_groups::table.find(id)).execute(conn)?;
        record(
            conn,
            &client,
            AuditAction::GroupDeleted,
            &site,
            actor,
            json!({"site": site.name, "group": hunting_label(&row.number), "members": members}),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add an extension of the site as the group's last member (one already in it stays where
/// it is).
#[utoipa::path(
    tag = "groups",
    params(("id" = HuntingGroupId, Path, description = "The hunting group's id")),
    request_body = MemberRequest,
    responses(
        (status = 200, description = "The group with its members in ring order", body = HuntingGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The group has 64 members (`member_limit`); the extension is in another hunting group (`in_hunting_group`, the group named) or represents one (`representative_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an extension of the group's site (`extension_id`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/hunting-groups/{id}/members")]
pub async fn add_hunting_member(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<HuntingGroupId>,
    body: Json<MemberRequest>,
) -> Result<web::Json<HuntingGroup>, ApiError> {
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
        in_no_other_group(conn, std::slice::from_ref(&member), Some(id))?;
        represent_none(conn, std::slice::from_ref(&member))?;
        let last: Option<i32> = hunting_group_members::table
            .filter(hunting_group_members::group_id.eq(id))
            .select(diesel::dsl::max(hunting_group_members::position))
            .first(conn)?;
        append(conn, id, std::slice::from_ref(&member), last.unwrap_or(0), now)?;
        let row = touch(conn, id, now)?;
        record(
            conn,
            &client,
            AuditAction::GroupChanged,
            &site,
            actor,
            json!({"site": site.name, "group": hunting_label(&row.number), "added": member.number}),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}

/// Remove an extension from the group (the others keep their order).
#[utoipa::path(
    tag = "groups",
    params(
        ("id" = HuntingGroupId, Path, description = "The hunting group's id"),
        ("extension_id" = ExtensionId, Path, description = "The member's extension id"),
    ),
    responses(
        (status = 200, description = "The group with its members in ring order", body = HuntingGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller, or the extension is not in it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/hunting-groups/{id}/members/{extension_id}")]
pub async fn remove_hunting_member(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<(HuntingGroupId, ExtensionId)>,
) -> Result<web::Json<HuntingGroup>, ApiError> {
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
        diesel::delete(hunting_group_members::table.find((id, extension))).execute(conn)?;
        let row = touch(conn, id, now)?;
        record(
            conn,
            &client,
            AuditAction::GroupChanged,
            &site,
            actor,
            json!({"site": site.name, "group": hunting_label(&row.number), "removed": member.number}),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}

/// Put the members in a new ring order (パイロット: the first free one from the top rings):
/// exactly the group's members, each once.
#[utoipa::path(
    tag = "groups",
    params(("id" = HuntingGroupId, Path, description = "The hunting group's id")),
    request_body = MemberOrder,
    responses(
        (status = 200, description = "The group with its members in the new order", body = HuntingGroup),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly the group's members, each once (`extension_ids`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/hunting-groups/{id}/member-order")]
pub async fn order_hunting_members(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<HuntingGroupId>,
    body: Json<MemberOrder>,
) -> Result<web::Json<HuntingGroup>, ApiError> {
    user.require(Permission::Pbx)?;
    let order = body.into_inner().extension_ids;
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let group = db::transaction(&state.pool, move |conn| {
        let (before, site) = find(conn, scope, id)?;
        lock_site(conn, site.id)?;
        let current = members(conn, id)?;
        if current
            .iter()
            .map(|member| member.extension_id)
            .eq(order.iter().copied())
        {
            return Ok(detail(conn, before)?);
        }
        let mut given = order.clone();
        given.sort();
        given.dedup();
        let mut present: Vec<ExtensionId> = current.iter().map(|member| member.extension_id).collect();
        present.sort();
        if given.len() != order.len() || given != present {
            return Err(ApiError::invalid("extension_ids", Invalid::NotTheMembers));
        }
        for (extension, position) in order.iter().zip(1..) {
            diesel::update(hunting_group_members::table.find((id, *extension)))
                .set(hunting_group_members::position.eq(position))
                .execute(conn)?;
        }
        let row = touch(conn, id, now)?;
        let numbers: Vec<&str> = order
            .iter()
            .filter_map(|id| current.iter().find(|member| member.extension_id == *id))
            .map(|member| member.number.as_str())
            .collect();
        record(
            conn,
            &client,
            AuditAction::GroupChanged,
            &site,
            actor,
            json!({"site": site.name, "group": hunting_label(&row.number), "order": numbers}),
            now,
        )?;
        Ok(detail(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}
