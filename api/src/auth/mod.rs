//! Who is calling. [`AuthUser`] is an extractor: a handler that takes one only runs for a
//! caller with a live session (access token) or a personal API token, whose account is
//! active. Permissions and the tenant scope come from [`crate::policy`] through it.

pub mod jwt;
pub mod links;
pub mod otp;
pub mod purge;
pub mod recovery;
pub mod sessions;
pub mod sign_in;
pub mod tokens;

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use chrono::{NaiveDateTime, TimeDelta};
use madoguchi_types::accounts::{AccountStatus, Role};
use madoguchi_types::ids::ApiTokenId;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::accounts::{Account, AccountId, api_tokens};
use crate::app::AppState;
use crate::db::{self, DbConn};
use crate::error::{ApiError, AuthError};
use crate::net::RateLimits;
use crate::organizations::{Organization, OrganizationId};
use crate::policy::{self, Permission, Scope};
use crate::projects;
use sessions::SessionId;

/// A change that needs the current password does without it this long after signing in
/// (as GitHub's "sudo mode"): the password was just checked.
pub const RECENT_SIGN_IN: TimeDelta = TimeDelta::minutes(10);

/// `/api/v1/auth/*`, limited per client address (they check secrets or send mail).
pub fn routes(config: &mut ServiceConfig, limits: &RateLimits) {
    config.service(
        scope("/auth")
            .wrap(actix_governor::Governor::new(&limits.auth))
            .service(sign_in::sign_in)
            .service(sign_in::verify_otp)
            .service(sign_in::release_two_factor)
            .service(tokens::refresh)
            .service(tokens::sign_out)
            .service(recovery::forgot_login_id)
            .service(recovery::forgot_password)
            .service(recovery::set_password)
            .service(recovery::confirm_email)
            .default_service(web::to(crate::routing::fallback)),
    );
}

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A signed-in session, opened at `started_at` (when the password was checked).
    Session {
        id: SessionId,
        started_at: NaiveDateTime,
    },
    ApiToken(ApiTokenId),
}

/// The caller: their account and organization as loaded with the credential (one query).
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub account: Account,
    pub organization: Option<Organization>,
    pub credential: Credential,
    /// Which rows the caller sees; fixed at authentication (it depends on the account's
    /// customer project groups, read then).
    scope: Scope,
}

impl AuthUser {
    pub fn id(&self) -> AccountId {
        self.account.id
    }

    pub fn organization_id(&self) -> Option<OrganizationId> {
        self.account.organization_id
    }

    pub fn role(&self) -> Role {
        self.account.role
    }

    pub fn can(&self, permission: Permission) -> bool {
        policy::allows(self.account.role, self.account.grants(), permission)
    }

    /// `Forbidden` unless the caller may do this.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn permissions(&self) -> Vec<Permission> {
        policy::permissions(self.account.role, self.account.grants())
    }

    /// Which organizations' rows the caller sees; every query filters by it.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    pub fn session_id(&self) -> Option<SessionId> {
        match self.credential {
            Credential::Session { id, .. } => Some(id),
            Credential::ApiToken(_) => None,
        }
    }

    /// The session, or `SessionRequired` for a personal API token (which must not, say,
    /// mint more tokens).
    pub fn require_session(&self) -> Result<SessionId, ApiError> {
        self.session_id().ok_or(ApiError::SessionRequired)
    }

    /// Signed in with a password within [`RECENT_SIGN_IN`] (API tokens never count).
    pub fn signed_in_recently(&self, now: NaiveDateTime) -> bool {
        matches!(self.credential, Credential::Session { started_at, .. } if started_at + RECENT_SIGN_IN > now)
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppState missing")))?;
            let token = token.ok_or(AuthError::Unauthenticated)?;
            authenticate(&state, token).await
        })
    }
}

async fn authenticate(state: &AppState, token: String) -> Result<AuthUser, ApiError> {
    let now = state.clock.now();
    let naive_now = now.naive_utc();
    if token.starts_with(api_tokens::TOKEN_PREFIX) {
        return db::run(&state.pool, move |conn| {
            let (token_id, account, organization) =
                api_tokens::authenticate(conn, &token, naive_now)?.ok_or(AuthError::Unauthenticated)?;
            principal(conn, account, organization, Credential::ApiToken(token_id))
        })
        .await;
    }
    let claims = state.jwt.verify(&token, now).ok_or(AuthError::Unauthenticated)?;
    let account_id = AccountId(claims.sub.parse().map_err(|_| AuthError::Unauthenticated)?);
    db::run(&state.pool, move |conn| {
        let (session, account, organization) =
            sessions::authenticate(conn, &claims.sid, account_id, naive_now)?;
        let credential = Credential::Session {
            id: session.id,
            started_at: session.created_at,
        };
        principal(conn, account, organization, credential)
    })
    .await
}

fn principal(
    conn: &mut DbConn,
    account: Account,
    organization: Option<Organization>,
    credential: Credential,
) -> Result<AuthUser, ApiError> {
    if account.status != AccountStatus::Active {
        return Err(AuthError::Unauthenticated.into());
    }
    // Staff belong to no project group; skip the query for them.
    let in_project_group = account.role != Role::Staff && projects::is_group_member(conn, account.id)?;
    let scope = Scope::of(
        account.role,
        account.organization_id,
        account.id,
        in_project_group,
    );
    Ok(AuthUser {
        account,
        organization,
        credential,
        scope,
    })
}
