//! The audit log: security-relevant and administrative actions — who, what, when, from
//! where. Written in the transaction of the action it records.

use actix_web::get;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::schema::{accounts, audit_events};

/// What happened; the stored names are stable for integrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Registered,
    RegistrationConfirmed,
    SignIn,
    SignInFailed,
    AccountLocked,
    AccountUnlocked,
    SignOut,
    RefreshTokenReused,
    PasswordChanged,
    PasswordReset,
    TwoFactorEnabled,
    TwoFactorDisabled,
    TwoFactorReleased,
    AccountCreated,
    AccountUpdated,
    ProfileUpdated,
    ApiTokenCreated,
    ApiTokenRevoked,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::RegistrationConfirmed => "registration_confirmed",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::AccountLocked => "account_locked",
            Self::AccountUnlocked => "account_unlocked",
            Self::SignOut => "sign_out",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::PasswordChanged => "password_changed",
            Self::PasswordReset => "password_reset",
            Self::TwoFactorEnabled => "two_factor_enabled",
            Self::TwoFactorDisabled => "two_factor_disabled",
            Self::TwoFactorReleased => "two_factor_released",
            Self::AccountCreated => "account_created",
            Self::AccountUpdated => "account_updated",
            Self::ProfileUpdated => "profile_updated",
            Self::ApiTokenCreated => "api_token_created",
            Self::ApiTokenRevoked => "api_token_revoked",
        }
    }
}

/// One entry to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub organization_id: Option<i64>,
    pub actor_account_id: Option<i64>,
    pub subject_account_id: Option<i64>,
    pub action: Action,
    pub detail: String,
    pub ip: Option<&'a str>,
}

impl<'a> Event<'a> {
    pub fn new(action: Action, ip: Option<&'a str>) -> Self {
        Self {
            organization_id: None,
            actor_account_id: None,
            subject_account_id: None,
            action,
            detail: String::new(),
            ip,
        }
    }

    /// An account acting on itself (signing in, changing its password…).
    pub fn by_account_itself(self, organization_id: Option<i64>, account_id: i64) -> Self {
        self.organization(organization_id)
            .actor(Some(account_id))
            .subject(Some(account_id))
    }

    pub fn organization(mut self, id: Option<i64>) -> Self {
        self.organization_id = id;
        self
    }

    /// Who did it (unset: somebody not signed in).
    pub fn actor(mut self, id: Option<i64>) -> Self {
        self.actor_account_id = id;
        self
    }

    /// The account it was done to.
    pub fn subject(mut self, id: Option<i64>) -> Self {
        self.subject_account_id = id;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct Row<'a> {
    organization_id: Option<i64>,
    actor_account_id: Option<i64>,
    subject_account_id: Option<i64>,
    action: &'a str,
    detail: &'a str,
    ip: Option<&'a str>,
    created_at: NaiveDateTime,
}

pub fn record(conn: &mut DbConn, event: &Event<'_>, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(Row {
            organization_id: event.organization_id,
            actor_account_id: event.actor_account_id,
            subject_account_id: event.subject_account_id,
            action: event.action.as_str(),
            detail: &event.detail,
            ip: event.ip,
            created_at: now,
        })
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub actor_account_id: Option<i64>,
    pub subject_account_id: Option<i64>,
    pub action: String,
    pub detail: String,
    pub ip: Option<String>,
    pub created_at: NaiveDateTime,
    pub actor_login_id: Option<String>,
}

/// Newest first; `organization` limits to one organization (`None` = all, staff only).
pub fn list(
    conn: &mut DbConn,
    organization: Option<i64>,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Entry>> {
    let mut query = audit_events::table
        .left_join(accounts::table.on(accounts::id.nullable().eq(audit_events::actor_account_id)))
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
        ))
        .order(audit_events::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(organization) = organization {
        query = query.filter(audit_events::organization_id.eq(organization));
    }
    if let Some(before_id) = before_id {
        query = query.filter(audit_events::id.lt(before_id));
    }
    query.load(conn)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Staff only: one organization's events.
    pub organization_id: Option<i64>,
    /// Events older than this id (paging backwards).
    pub before_id: Option<i64>,
    /// At most this many (1–200, default 50).
    pub limit: Option<i64>,
}

/// The audit log, newest first: staff see everything; an organization's `user_admin` sees
/// that organization's events.
#[utoipa::path(
    tag = "accounts",
    params(AuditQuery),
    responses(
        (status = 200, body = Vec<madoguchi_types::accounts::AuditEvent>),
        (status = 403, body = madoguchi_types::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: actix_web::web::Data<crate::startup::AppState>,
    user: crate::auth::AuthUser,
    query: actix_web::web::Query<AuditQuery>,
) -> Result<actix_web::web::Json<Vec<madoguchi_types::accounts::AuditEvent>>, crate::error::ApiError> {
    use crate::accounts::Role;
    user.require(matches!(user.role, Role::Staff | Role::UserAdmin))?;
    let organization = if user.is_staff() {
        query.organization_id
    } else {
        user.organization_id
    };
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let before_id = query.before_id;
    let entries = crate::db::run(&state.pool, move |conn| {
        Ok(list(conn, organization, before_id, limit)?)
    })
    .await?;
    Ok(actix_web::web::Json(
        entries
            .into_iter()
            .map(|entry| madoguchi_types::accounts::AuditEvent {
                id: entry.id,
                organization_id: entry.organization_id,
                actor_account_id: entry.actor_account_id,
                actor_login_id: entry.actor_login_id,
                subject_account_id: entry.subject_account_id,
                action: entry.action,
                detail: entry.detail,
                ip: entry.ip,
                created_at: entry.created_at.and_utc(),
            })
            .collect(),
    ))
}
