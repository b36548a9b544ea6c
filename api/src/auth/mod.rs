//! Who is calling. [`AuthUser`] is an extractor: a handler that takes one only runs for a
//! caller with a live session (access token) or a personal API token, whose account is
//! active. Role checks are methods on it; tenant checks use [`AuthUser::can_see_organization`].

pub mod jwt;
pub mod links;
pub mod otp;
pub mod routes;
pub mod sessions;

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::{AUTHORIZATION, USER_AGENT};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::accounts::{self, AccountStatus, Role, api_tokens};
use crate::db;
use crate::error::{ApiError, AuthError};
use crate::startup::AppState;

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Session(i64),
    ApiToken(i64),
}

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub account_id: i64,
    pub organization_id: Option<i64>,
    pub role: Role,
    pub credential: Credential,
}

impl AuthUser {
    pub fn is_staff(&self) -> bool {
        self.role == Role::Staff
    }

    /// Staff see every organization; customers only their own.
    pub fn can_see_organization(&self, organization_id: Option<i64>) -> bool {
        self.is_staff() || (organization_id.is_some() && organization_id == self.organization_id)
    }

    pub fn session_id(&self) -> Option<i64> {
        match self.credential {
            Credential::Session(id) => Some(id),
            Credential::ApiToken(_) => None,
        }
    }

    pub fn require(&self, allowed: bool) -> Result<(), ApiError> {
        if allowed { Ok(()) } else { Err(ApiError::Forbidden) }
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
    if token.starts_with(api_tokens::TOKEN_PREFIX) {
        let naive_now = now.naive_utc();
        return db::run(&state.pool, move |conn| {
            let (token_id, account) =
                api_tokens::authenticate(conn, &token, naive_now)?.ok_or(AuthError::Unauthenticated)?;
            principal(account, Credential::ApiToken(token_id))
        })
        .await;
    }
    let claims = state.jwt.verify(&token, now).ok_or(AuthError::Unauthenticated)?;
    let account_id: i64 = claims.sub.parse().map_err(|_| AuthError::Unauthenticated)?;
    let session_id = claims.sid;
    let naive_now = now.naive_utc();
    db::run(&state.pool, move |conn| {
        sessions::touch(conn, session_id, account_id, naive_now)?;
        let account = accounts::find(conn, account_id)?.ok_or(AuthError::Unauthenticated)?;
        principal(account, Credential::Session(session_id))
    })
    .await
}

fn principal(account: accounts::Account, credential: Credential) -> Result<AuthUser, ApiError> {
    if account.status() != AccountStatus::Active {
        return Err(AuthError::Unauthenticated.into());
    }
    Ok(AuthUser {
        account_id: account.id,
        organization_id: account.organization_id,
        role: account.role(),
        credential,
    })
}

/// Where a request came from, for sessions and the audit log. The peer address: a proxy in
/// front should be configured to connect from a trusted network and log the client itself.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl FromRequest for ClientInfo {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self {
            ip: req.peer_addr().map(|address| address.ip().to_string()),
            user_agent: req
                .headers()
                .get(USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
        }))
    }
}
