//! Subscriptions and their numbers: provider staff (or their integration tokens) set up a
//! subscription per OPID for an organization, change its plan (the data stays) and keep its
//! AN and DN numbers; the organization's analytics users read them.

use actix_web::{HttpResponse, delete, get, post, put, web};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::analytics::{
    AnalyticsNumber, NUMBERS_MAX, NumberKind, NumberRequest, PLANS, PlanChange, PlanList, PlanOffer,
    Subscription, SubscriptionList, SubscriptionRequest, an_shape, dn_shape, normalized_number, opid_shape,
};
use madoguchi_types::ids::SubscriptionId;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{SubscriptionRow, find};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::i18n::RequestLang;
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{analytics_numbers, analytics_subscriptions, organizations};
use crate::{audit, organizations as orgs};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_subscriptions)
        .service(create_subscription)
        .service(get_subscription)
        .service(change_plan)
        .service(list_plans)
        .service(add_number)
        .service(remove_number);
}

fn detail(conn: &mut DbConn, row: SubscriptionRow, organization_name: String) -> QueryResult<Subscription> {
    let numbers: Vec<(NumberKind, String)> = analytics_numbers::table
        .filter(analytics_numbers::subscription_id.eq(row.id))
        .select((analytics_numbers::kind, analytics_numbers::number))
        .order((analytics_numbers::kind, analytics_numbers::number))
        .load(conn)?;
    Ok(Subscription {
        id: row.id,
        organization_id: row.organization_id,
        organization_name,
        opid: row.opid,
        analytics_id: row.analytics_id,
        plan: row.plan,
        numbers: numbers
            .into_iter()
            .map(|(kind, number)| AnalyticsNumber { kind, number })
            .collect(),
        created_at: row.created_at.and_utc(),
        billing_phone: row.billing_phone,
        billing_number: row.billing_number,
    })
}

/// The plans and what each unlocks (seed 000 §1-2), from the one table the gating reads:
/// for the plan page and the sign-up form, so public.
#[utoipa::path(
    tag = "analytics",
    responses(
        (status = 200, description = "The plans, least first", body = PlanList),
    )
)]
#[get("/analytics/plans")]
pub async fn list_plans(RequestLang(lang): RequestLang) -> web::Json<PlanList> {
    web::Json(PlanList {
        items: PLANS.iter().map(|terms| PlanOffer::of(terms, lang)).collect(),
    })
}

/// The subscriptions the caller sees (staff: all), by OPID, with their numbers.
#[utoipa::path(
    tag = "analytics",
    responses(
        (status = 200, description = "The subscriptions", body = SubscriptionList),
        (status = 403, description = "No analytics right", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions")]
pub async fn list_subscriptions(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<SubscriptionList>, ApiError> {
    user.require(Permission::Analytics)?;
    let scope = user.scope();
    let list = db::run(&state.pool, move |conn| {
        let query = analytics_subscriptions::table
            .inner_join(organizations::table)
            .select((SubscriptionRow::as_select(), organizations::name))
            .order(analytics_subscriptions::opid)
            .limit(1_000)
            .into_boxed();
        let rows: Vec<(SubscriptionRow, String)> =
            crate::scoped!(query, analytics_subscriptions::organization_id, scope).load(conn)?;
        let items = rows
            .into_iter()
            .map(|(row, name)| detail(conn, row, name))
            .collect::<QueryResult<Vec<_>>>()?;
        Ok(SubscriptionList { items })
    })
    .await?;
    Ok(web::Json(list))
}

/// A subscription with its numbers.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription", body = Subscription),
        (status = 403, description = "No analytics right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}")]
pub async fn get_subscription(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SubscriptionId>,
) -> Result<web::Json<Subscription>, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let subscription = db::run(&state.pool, move |conn| {
        let (row, name) = find(conn, scope, id)?;
        Ok(detail(conn, row, name)?)
    })
    .await?;
    Ok(web::Json(subscription))
}

/// Set up a subscription for an organization (provider staff): one per OPID; the
/// CX サポート ID is generated.
#[utoipa::path(
    tag = "analytics",
    request_body = SubscriptionRequest,
    responses(
        (status = 201, description = "Created", body = Subscription),
        (status = 403, description = "Only provider staff set up subscriptions", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: the OPID's shape or one taken (`taken`), no such organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/analytics/subscriptions")]
pub async fn create_subscription(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<SubscriptionRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let request = body.into_inner();
    let opid = request.opid.trim().to_owned();
    let mut violations = Violations::default();
    violations.check("opid", opid_shape(&opid));
    violations.finish()?;
    let (actor, now) = (user.id(), state.clock.now_naive());
    let subscription = db::transaction(&state.pool, move |conn| {
        let Some(owner) = orgs::find(conn, request.organization_id)? else {
            return Err(ApiError::invalid("organization_id", Invalid::NotAllowed));
        };
        let taken: i64 = analytics_subscriptions::table
            .filter(analytics_subscriptions::opid.eq(&opid))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::invalid("opid", Invalid::Taken));
        }
        let row: SubscriptionRow = diesel::insert_into(analytics_subscriptions::table)
            .values((
                analytics_subscriptions::organization_id.eq(request.organization_id),
                analytics_subscriptions::opid.eq(&opid),
                analytics_subscriptions::analytics_id.eq(crate::secrets::random_alphanumeric(10)),
                analytics_subscriptions::plan.eq(request.plan),
                analytics_subscriptions::created_at.eq(now),
                analytics_subscriptions::updated_at.eq(now),
            ))
            .returning(super::SUBSCRIPTION_COLUMNS)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::AnalyticsSubscriptionCreated, &client)
                .organization(Some(request.organization_id))
                .actor(Some(actor))
                .detail(json!({"opid": row.opid, "plan": row.plan})),
            now,
        )?;
        Ok(detail(conn, row, owner.name)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(subscription))
}

/// Change a subscription's plan (seed 000 §1-1: 無料プランからスタンダードプランへ): provider
/// staff or the subscriber's user administrator. The data stays; a charged plan needs the
/// billing phone and FD/ND numbers (given here, or kept from before); on the free plan the
/// aggregates are kept 12 months from then on and the standard plan's features lock.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    request_body = PlanChange,
    responses(
        (status = 200, description = "The subscription on its new plan", body = Subscription),
        (status = 400, description = "Not JSON of the request's shape, or no such plan", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only provider staff and the subscriber's user administrators change plans", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A charged plan without billing phone or FD/ND number, or one of the wrong shape (each named)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/analytics/subscriptions/{id}/plan")]
pub async fn change_plan(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SubscriptionId>,
    body: Json<PlanChange>,
) -> Result<web::Json<Subscription>, ApiError> {
    user.require(Permission::Analytics)?;
    user.require(Permission::AdministerAccounts)?;
    let (scope, id, change) = (user.scope(), id.into_inner(), body.into_inner());
    let (actor, now) = (user.id(), state.clock.now_naive());
    let subscription = db::transaction(&state.pool, move |conn| {
        let (before, name) = find(conn, scope, id)?;
        super::child_ids::refuse_child(conn, actor)?;
        let (billing_phone, billing_number) = billing_fields(
            &change,
            before.billing_phone.clone(),
            before.billing_number.clone(),
        )?;
        let row: SubscriptionRow = diesel::update(analytics_subscriptions::table.find(id))
            .set((
                analytics_subscriptions::plan.eq(change.plan),
                analytics_subscriptions::billing_phone.eq(billing_phone),
                analytics_subscriptions::billing_number.eq(billing_number),
                analytics_subscriptions::updated_at.eq(now),
            ))
            .returning(super::SUBSCRIPTION_COLUMNS)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::AnalyticsPlanChanged, &client)
                .organization(Some(row.organization_id))
                .actor(Some(actor))
                .detail(json!({"opid": row.opid, "from": before.plan, "to": change.plan})),
            now,
        )?;
        Ok(detail(conn, row, name)?)
    })
    .await?;
    Ok(web::Json(subscription))
}

/// The billing fields after a plan change: those given (hyphens dropped, checked), else
/// those kept; a charged plan refuses to go without either.
fn billing_fields(
    change: &PlanChange,
    stored_phone: Option<String>,
    stored_number: Option<String>,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let mut violations = Violations::default();
    let given = |raw: &Option<String>| {
        raw.as_deref()
            .map(|raw| normalized_number(raw.trim()))
            .filter(|number| !number.is_empty())
    };
    let phone = given(&change.billing_phone);
    if let Some(phone) = &phone {
        violations.check("billing_phone", dn_shape(phone));
    }
    let number = given(&change.billing_number);
    if let Some(number) = &number {
        violations.check("billing_number", an_shape(number));
    }
    let (phone, number) = (phone.or(stored_phone), number.or(stored_number));
    if change.plan.terms().charged {
        if phone.is_none() {
            violations.add("billing_phone", Invalid::Required);
        }
        if number.is_none() {
            violations.add("billing_number", Invalid::Required);
        }
    }
    violations.finish()?;
    Ok((phone, number))
}

/// Register an AN or DN under a subscription (provider staff); at most 1,000 numbers.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    request_body = NumberRequest,
    responses(
        (status = 201, description = "Registered (the number with hyphens dropped)", body = AnalyticsNumber),
        (status = 403, description = "Only provider staff register numbers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an AN (0120 / 0800 / 0570 + 6 digits) or a DN (0 + 9–10 digits), registered already (`taken`), or 1,000 numbers already (`too_many`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/analytics/subscriptions/{id}/numbers")]
pub async fn add_number(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SubscriptionId>,
    body: Json<NumberRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let request = body.into_inner();
    let number = normalized_number(request.number.trim());
    let shape = match request.kind {
        NumberKind::An => an_shape(&number),
        NumberKind::Dn => dn_shape(&number),
    };
    if let Err(invalid) = shape {
        return Err(ApiError::invalid("number", invalid));
    }
    let (scope, id, kind) = (user.scope(), id.into_inner(), request.kind);
    let (actor, now) = (user.id(), state.clock.now_naive());
    let added = db::transaction(&state.pool, move |conn| {
        let (row, _) = find(conn, scope, id)?;
        let held: Vec<(NumberKind, String)> = analytics_numbers::table
            .filter(analytics_numbers::subscription_id.eq(id))
            .select((analytics_numbers::kind, analytics_numbers::number))
            .load(conn)?;
        if held
            .iter()
            .any(|(held_kind, held_number)| *held_kind == kind && *held_number == number)
        {
            return Err(ApiError::invalid("number", Invalid::Taken));
        }
        if held.len() >= NUMBERS_MAX {
            return Err(ApiError::invalid("number", Invalid::TooMany { max: NUMBERS_MAX }));
        }
        diesel::insert_into(analytics_numbers::table)
            .values((
                analytics_numbers::subscription_id.eq(id),
                analytics_numbers::kind.eq(kind),
                analytics_numbers::number.eq(&number),
                analytics_numbers::created_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::AnalyticsNumbersChanged, &client)
                .organization(Some(row.organization_id))
                .actor(Some(actor))
                .detail(json!({"opid": row.opid, "added": number, "kind": kind})),
            now,
        )?;
        Ok(AnalyticsNumber { kind, number })
    })
    .await?;
    Ok(HttpResponse::Created().json(added))
}

/// Remove a number from a subscription (provider staff) and from its groups; the calls
/// counted for it stay in the reports of their days.
#[utoipa::path(
    tag = "analytics",
    params(
        ("id" = SubscriptionId, Path, description = "The subscription's id"),
        ("kind" = NumberKind, Path, description = "an or dn"),
        ("number" = String, Path, description = "The number, digits only"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Only provider staff remove numbers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription, or no such number of it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/analytics/subscriptions/{id}/numbers/{kind}/{number}")]
pub async fn remove_number(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<(SubscriptionId, NumberKind, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (id, kind, number) = path.into_inner();
    let (scope, actor, now) = (user.scope(), user.id(), state.clock.now_naive());
    db::transaction(&state.pool, move |conn| {
        let (row, _) = find(conn, scope, id)?;
        let removed = diesel::delete(
            analytics_numbers::table
                .filter(analytics_numbers::subscription_id.eq(id))
                .filter(analytics_numbers::kind.eq(kind))
                .filter(analytics_numbers::number.eq(&number)),
        )
        .execute(conn)?;
        if removed == 0 {
            return Err(ApiError::NotFound);
        }
        super::groups::forget_number(conn, id, kind, &number)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::AnalyticsNumbersChanged, &client)
                .organization(Some(row.organization_id))
                .actor(Some(actor))
                .detail(json!({"opid": row.opid, "removed": number, "kind": kind})),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
