//! The audit log: security-relevant and administrative actions — who, what, when, from
//! where. Written in the transaction of the action it records; details are structured
//! JSON, so that the app can show them in the reader's language.

use actix_web::{get, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use madoguchi_types::Problem;
pub use madoguchi_types::accounts::AuditAction;
use madoguchi_types::accounts::{AuditEvent, AuditPage};
use madoguchi_types::ids::AuditEventId;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::accounts::AccountId;
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::net::ClientInfo;
use crate::organizations::OrganizationId;
use crate::policy::{Permission, Scope};
use crate::schema::{accounts, audit_events};

pub fn routes(config: &mut ServiceConfig) {
    config.service(list_audit_log);
}

/// One entry to record.
#[derive(Debug, Clone)]
pub struct Event {
    pub organization_id: Option<OrganizationId>,
    pub actor_account_id: Option<AccountId>,
    pub subject_account_id: Option<AccountId>,
    pub action: AuditAction,
    pub detail: serde_json::Value,
    pub ip: Option<String>,
}

impl Event {
    pub fn new(action: AuditAction, client: &ClientInfo) -> Self {
        Self {
            organization_id: None,
            actor_account_id: None,
            subject_account_id: None,
            action,
            detail: serde_json::Value::Object(Default::default()),
            ip: client.ip.clone(),
        }
    }

    /// An account acting on itself (signing in, changing its password…).
    pub fn by_account_itself(self, organization_id: Option<OrganizationId>, account_id: AccountId) -> Self {
        self.organization(organization_id)
            .actor(Some(account_id))
            .subject(Some(account_id))
    }

    pub fn organization(mut self, id: Option<OrganizationId>) -> Self {
        self.organization_id = id;
        self
    }

    /// Who did it (unset: somebody not signed in).
    pub fn actor(mut self, id: Option<AccountId>) -> Self {
        self.actor_account_id = id;
        self
    }

    /// The account it was done to.
    pub fn subject(mut self, id: Option<AccountId>) -> Self {
        self.subject_account_id = id;
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

pub fn record(conn: &mut DbConn, event: &Event, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::organization_id.eq(event.organization_id),
            audit_events::actor_account_id.eq(event.actor_account_id),
            audit_events::subject_account_id.eq(event.subject_account_id),
            audit_events::action.eq(event.action),
            audit_events::detail.eq(event.detail.to_string()),
            audit_events::ip.eq(event.ip.as_deref()),
            audit_events::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// What a reader asks for; every field narrows.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Staff only: one organization's events.
    pub organization_id: Option<OrganizationId>,
    /// Events done by this account.
    pub actor_account_id: Option<AccountId>,
    /// Events of this kind.
    pub action: Option<AuditAction>,
    /// From this time on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this time (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// Events older than this id (the previous page's `next_before_id`).
    pub before_id: Option<AuditEventId>,
    /// At most this many (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

diesel::alias!(accounts as subjects: SubjectAccounts);

type Row = (
    AuditEventId,
    Option<OrganizationId>,
    Option<AccountId>,
    Option<AccountId>,
    AuditAction,
    String,
    Option<String>,
    NaiveDateTime,
    Option<String>,
    Option<String>,
);

/// Newest first, within the scope.
pub fn list(conn: &mut DbConn, scope: Scope, query: &AuditQuery, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    let mut statement = audit_events::table
        .left_join(accounts::table.on(accounts::id.nullable().eq(audit_events::actor_account_id)))
        .left_join(
            subjects.on(subjects
                .field(accounts::id)
                .nullable()
                .eq(audit_events::subject_account_id)),
        )
        .select((
            audit_events::id,
            audit_events::organization_id,
            audit_events::actor_account_id,
            audit_events::subject_account_id,
            audit_events::action,
            audit_events::detail,
            audit_events::ip,
            audit_events::created_at,
            accounts::login_id.nullable(),
            subjects.field(accounts::login_id).nullable(),
        ))
        .order(audit_events::id.desc())
        .limit(limit)
        .into_boxed();
    statement = crate::scoped!(statement, audit_events::organization_id, scope);
    if let Some(actor) = query.actor_account_id {
        statement = statement.filter(audit_events::actor_account_id.eq(actor));
    }
    if let Some(action) = query.action {
        statement = statement.filter(audit_events::action.eq(action));
    }
    if let Some(from) = query.from {
        statement = statement.filter(audit_events::created_at.ge(from.naive_utc()));
    }
    if let Some(to) = query.to {
        statement = statement.filter(audit_events::created_at.lt(to.naive_utc()));
    }
    if let Some(before) = query.before_id {
        statement = statement.filter(audit_events::id.lt(before));
    }
    let rows: Vec<Row> = statement.load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                organization_id,
                actor,
                subject,
                action,
                detail,
                ip,
                created_at,
                actor_login,
                subject_login,
            )| AuditEvent {
                id,
                organization_id,
                actor_account_id: actor,
                actor_login_id: actor_login,
                subject_account_id: subject,
                subject_login_id: subject_login,
                action,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                ip,
                created_at: created_at.and_utc(),
            },
        )
        .collect())
}

/// The audit log, newest first: staff see every organization's (or one's, with
/// `organization_id`); an organization's user administrator sees that organization's.
/// Filter by actor, action and time; page with `before_id`.
#[utoipa::path(
    tag = "accounts",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of events", body = AuditPage),
        (status = 403, description = "The role may not read the audit log", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<AuditPage>, ApiError> {
    user.require(Permission::AuditLog)?;
    let query = query.into_inner();
    let scope = user.scope().narrowed_to(query.organization_id);
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let items = db::run(&state.pool, move |conn| Ok(list(conn, scope, &query, limit)?)).await?;
    let next_before_id = (items.len() as i64 == limit)
        .then(|| items.last().map(|event| event.id))
        .flatten();
    Ok(web::Json(AuditPage {
        items,
        next_before_id,
    }))
}
