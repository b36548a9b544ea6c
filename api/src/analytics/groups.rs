//! User-defined groups of a subscription's numbers (standard plan): FD/ND番号グループ of
//! ANs and 着信先番号グループ of DNs, chosen as a filter of every report.

use std::collections::HashSet;

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::analytics::{
    GROUP_NUMBERS_MAX, GROUPS_MAX, NumberGroup, NumberGroupList, NumberGroupRequest, NumberKind, PlanFeature,
    group_name_shape, normalized_number,
};
use madoguchi_types::ids::{NumberGroupId, SubscriptionId};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{SubscriptionRow, find, numbers_of, require_feature};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::{Permission, Scope};
use crate::schema::{analytics_group_numbers, analytics_groups, analytics_subscriptions};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_groups)
        .service(create_group)
        .service(replace_group)
        .service(delete_group);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = analytics_groups)]
struct GroupRow {
    id: NumberGroupId,
    subscription_id: SubscriptionId,
    kind: NumberKind,
    name: String,
    #[allow(dead_code)]
    created_at: NaiveDateTime,
    #[allow(dead_code)]
    updated_at: NaiveDateTime,
}

fn numbers(conn: &mut DbConn, group: NumberGroupId) -> QueryResult<Vec<String>> {
    analytics_group_numbers::table
        .filter(analytics_group_numbers::group_id.eq(group))
        .select(analytics_group_numbers::number)
        .order(analytics_group_numbers::number)
        .load(conn)
}

fn dto(conn: &mut DbConn, row: GroupRow) -> QueryResult<NumberGroup> {
    Ok(NumberGroup {
        numbers: numbers(conn, row.id)?,
        id: row.id,
        kind: row.kind,
        name: row.name,
    })
}

/// A group of a subscription the scope shows, with the subscription; otherwise 404.
fn find_group(
    conn: &mut DbConn,
    scope: Scope,
    id: NumberGroupId,
) -> Result<(GroupRow, SubscriptionRow), ApiError> {
    let query = analytics_groups::table
        .inner_join(analytics_subscriptions::table)
        .filter(analytics_groups::id.eq(id))
        .select((GroupRow::as_select(), SubscriptionRow::as_select()))
        .into_boxed();
    crate::scoped!(query, analytics_subscriptions::organization_id, scope)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The numbers of a group's group (kind `kind`) as a report filter: `None` when there is
/// no such group of the subscription.
pub fn members(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    kind: NumberKind,
    group: NumberGroupId,
) -> QueryResult<Option<Vec<String>>> {
    let found: Option<NumberGroupId> = analytics_groups::table
        .filter(analytics_groups::id.eq(group))
        .filter(analytics_groups::subscription_id.eq(subscription))
        .filter(analytics_groups::kind.eq(kind))
        .select(analytics_groups::id)
        .first(conn)
        .optional()?;
    found.map(|group| numbers(conn, group)).transpose()
}

/// Drops a number removed from the subscription from its groups.
pub fn forget_number(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    kind: NumberKind,
    number: &str,
) -> QueryResult<usize> {
    let groups = analytics_groups::table
        .filter(analytics_groups::subscription_id.eq(subscription))
        .filter(analytics_groups::kind.eq(kind))
        .select(analytics_groups::id);
    diesel::delete(
        analytics_group_numbers::table
            .filter(analytics_group_numbers::group_id.eq_any(groups))
            .filter(analytics_group_numbers::number.eq(number)),
    )
    .execute(conn)
}

/// Checks a request's name and numbers (each a number of the subscription of the kind,
/// once); the numbers with hyphens dropped.
fn checked(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    request: &NumberGroupRequest,
) -> Result<(String, Vec<String>), ApiError> {
    let mut violations = Violations::default();
    let name = request.name.trim().to_owned();
    violations.check("name", group_name_shape(&name));
    if request.numbers.len() > GROUP_NUMBERS_MAX {
        violations.add(
            "numbers",
            Invalid::TooMany {
                max: GROUP_NUMBERS_MAX,
            },
        );
    }
    let held: HashSet<String> = numbers_of(conn, subscription, request.kind)?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    let mut numbers = Vec::with_capacity(request.numbers.len());
    for (index, number) in request.numbers.iter().enumerate().take(GROUP_NUMBERS_MAX) {
        let number = normalized_number(number.trim());
        let field = format!("numbers[{index}]");
        if !held.contains(&number) {
            violations.add(&field, Invalid::NotAllowed);
        } else if !seen.insert(number.clone()) {
            violations.add(&field, Invalid::Duplicate);
        } else {
            numbers.push(number);
        }
    }
    violations.finish()?;
    Ok((name, numbers))
}

fn store_numbers(conn: &mut DbConn, group: NumberGroupId, numbers: &[String]) -> QueryResult<()> {
    diesel::delete(analytics_group_numbers::table.filter(analytics_group_numbers::group_id.eq(group)))
        .execute(conn)?;
    if numbers.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = numbers
        .iter()
        .map(|number| {
            (
                analytics_group_numbers::group_id.eq(group),
                analytics_group_numbers::number.eq(number),
            )
        })
        .collect();
    crate::with_inner!(conn, |inner| diesel::insert_into(analytics_group_numbers::table)
        .values(&rows)
        .execute(inner))?;
    Ok(())
}

fn name_taken(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    kind: NumberKind,
    name: &str,
    except: Option<NumberGroupId>,
) -> QueryResult<bool> {
    let mut query = analytics_groups::table
        .filter(analytics_groups::subscription_id.eq(subscription))
        .filter(analytics_groups::kind.eq(kind))
        .filter(analytics_groups::name.eq(name))
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(analytics_groups::id.ne(except));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

fn audit_change(
    conn: &mut DbConn,
    client: &ClientInfo,
    subscription: &SubscriptionRow,
    actor: madoguchi_types::ids::AccountId,
    detail: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        &audit::Event::new(AuditAction::AnalyticsGroupChanged, client)
            .organization(Some(subscription.organization_id))
            .actor(Some(actor))
            .detail(detail),
        now,
    )?;
    Ok(())
}

/// A subscription's groups of numbers (standard plan).
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The groups, ANs' then DNs', by name", body = NumberGroupList),
        (status = 403, description = "No analytics right, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}/groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SubscriptionId>,
) -> Result<web::Json<NumberGroupList>, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let list = db::run(&state.pool, move |conn| {
        let (subscription, _) = find(conn, scope, id)?;
        require_feature(&subscription, PlanFeature::NumberGroups)?;
        let rows: Vec<GroupRow> = analytics_groups::table
            .filter(analytics_groups::subscription_id.eq(id))
            .select(GroupRow::as_select())
            .order((analytics_groups::kind, analytics_groups::name))
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(|row| dto(conn, row))
            .collect::<QueryResult<Vec<_>>>()?;
        Ok(NumberGroupList { items })
    })
    .await?;
    Ok(web::Json(list))
}

/// Make a group of ANs or DNs (standard plan): at most 100 of a kind, 200 numbers each.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    request_body = NumberGroupRequest,
    responses(
        (status = 201, description = "Created", body = NumberGroup),
        (status = 403, description = "No analytics right, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: the name (or one taken), a number not of the subscription (`not_allowed`) or twice (`duplicate`), too many", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/analytics/subscriptions/{id}/groups")]
pub async fn create_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SubscriptionId>,
    body: Json<NumberGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Analytics)?;
    let request = body.into_inner();
    let (scope, id, actor, now) = (user.scope(), id.into_inner(), user.id(), state.clock.now_naive());
    let group = db::transaction(&state.pool, move |conn| {
        let (subscription, _) = find(conn, scope, id)?;
        require_feature(&subscription, PlanFeature::NumberGroups)?;
        // A child ID reads the groups but does not change them.
        super::child_ids::refuse_child(conn, actor)?;
        let (name, numbers) = checked(conn, id, &request)?;
        if name_taken(conn, id, request.kind, &name, None)? {
            return Err(ApiError::invalid("name", Invalid::Taken));
        }
        let count: i64 = analytics_groups::table
            .filter(analytics_groups::subscription_id.eq(id))
            .filter(analytics_groups::kind.eq(request.kind))
            .count()
            .get_result(conn)?;
        if count >= GROUPS_MAX as i64 {
            return Err(ApiError::invalid("name", Invalid::TooMany { max: GROUPS_MAX }));
        }
        let row: GroupRow = diesel::insert_into(analytics_groups::table)
            .values((
                analytics_groups::subscription_id.eq(id),
                analytics_groups::kind.eq(request.kind),
                analytics_groups::name.eq(&name),
                analytics_groups::created_at.eq(now),
                analytics_groups::updated_at.eq(now),
            ))
            .returning(analytics_groups::all_columns)
            .get_result(conn)?;
        store_numbers(conn, row.id, &numbers)?;
        audit_change(
            conn,
            &client,
            &subscription,
            actor,
            json!({"created": name, "numbers": numbers.len()}),
            now,
        )?;
        Ok(dto(conn, row)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(group))
}

/// Rename a group and replace its numbers (standard plan); its kind stays.
#[utoipa::path(
    tag = "analytics",
    params(("id" = NumberGroupId, Path, description = "The group's id")),
    request_body = NumberGroupRequest,
    responses(
        (status = 200, description = "The group as it is now", body = NumberGroup),
        (status = 403, description = "No analytics right, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (a kind other than the group's is `not_allowed`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/analytics/groups/{id}")]
pub async fn replace_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<NumberGroupId>,
    body: Json<NumberGroupRequest>,
) -> Result<web::Json<NumberGroup>, ApiError> {
    user.require(Permission::Analytics)?;
    let request = body.into_inner();
    let (scope, id, actor, now) = (user.scope(), id.into_inner(), user.id(), state.clock.now_naive());
    let group = db::transaction(&state.pool, move |conn| {
        let (row, subscription) = find_group(conn, scope, id)?;
        require_feature(&subscription, PlanFeature::NumberGroups)?;
        // A child ID reads the groups but does not change them.
        super::child_ids::refuse_child(conn, actor)?;
        if request.kind != row.kind {
            return Err(ApiError::invalid("kind", Invalid::NotAllowed));
        }
        let (name, numbers) = checked(conn, row.subscription_id, &request)?;
        if name_taken(conn, row.subscription_id, row.kind, &name, Some(id))? {
            return Err(ApiError::invalid("name", Invalid::Taken));
        }
        let row: GroupRow = diesel::update(analytics_groups::table.find(id))
            .set((
                analytics_groups::name.eq(&name),
                analytics_groups::updated_at.eq(now),
            ))
            .returning(analytics_groups::all_columns)
            .get_result(conn)?;
        store_numbers(conn, id, &numbers)?;
        audit_change(
            conn,
            &client,
            &subscription,
            actor,
            json!({"changed": name, "numbers": numbers.len()}),
            now,
        )?;
        Ok(dto(conn, row)?)
    })
    .await?;
    Ok(web::Json(group))
}

/// Delete a group (standard plan); reports filtered by it need another filter.
#[utoipa::path(
    tag = "analytics",
    params(("id" = NumberGroupId, Path, description = "The group's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "No analytics right, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/analytics/groups/{id}")]
pub async fn delete_group(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<NumberGroupId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, id, actor, now) = (user.scope(), id.into_inner(), user.id(), state.clock.now_naive());
    db::transaction(&state.pool, move |conn| {
        let (row, subscription) = find_group(conn, scope, id)?;
        require_feature(&subscription, PlanFeature::NumberGroups)?;
        // A child ID reads the groups but does not change them.
        super::child_ids::refuse_child(conn, actor)?;
        diesel::delete(analytics_group_numbers::table.filter(analytics_group_numbers::group_id.eq(id)))
            .execute(conn)?;
        diesel::delete(analytics_groups::table.find(id)).execute(conn)?;
        audit_change(
            conn,
            &client,
            &subscription,
            actor,
            json!({"deleted": row.name}),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
