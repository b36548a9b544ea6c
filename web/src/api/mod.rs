//! The typed API client: one request path (same origin, `Accept-Language`, bearer token with
//! transparent refresh, problem+json → [`ApiError`]) and, per resource, one function per
//! endpoint on the DTOs shared with the server.

pub mod accounts;
pub mod analytics;
pub mod auth;
pub mod cdrs;
pub mod contracts;
pub mod documents;
pub mod groups;
pub mod mobile;
pub mod organizations;
pub mod pbx;
pub mod products;
pub mod system;
pub mod tickets;
pub mod uploads;
mod xhr;

use gloo_net::http::{Method, RequestBuilder, Response};
use madoguchi_types::{PROBLEM_CONTENT_TYPE, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Auth;
use crate::i18n::Lang;

/// Why a call failed, as the UI needs to tell it.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server refused or failed with a problem document (its text is already in the
    /// user's language). Boxed: a problem document is large, and every `Result` of a
    /// call carries this error.
    Problem(Box<Problem>),
    /// No answer: offline, DNS, connection refused.
    Network(String),
    /// An answer that is neither the expected JSON nor a problem document.
    Unexpected { status: u16 },
}

impl ApiError {
    /// The server's message for one input field, if it refused that field.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Problem(problem) => problem.field_message(name).map(str::to_owned),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Problem(problem) => Some(&problem.code),
            _ => None,
        }
    }

    /// The most specific sentence for a person: the first field's reason, else the
    /// detail, else the title (for a toast or a line beside a button).
    pub fn explanation(&self) -> String {
        match self {
            ApiError::Problem(problem) => problem
                .errors
                .first()
                .map(|error| error.message.clone())
                .or_else(|| problem.detail.clone())
                .unwrap_or_else(|| problem.title.clone()),
            other => other.to_string(),
        }
    }

    /// The fields the server refused, in its order.
    pub fn fields(&self) -> Vec<String> {
        match self {
            ApiError::Problem(problem) => problem.errors.iter().map(|error| error.field.clone()).collect(),
            _ => Vec::new(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Problem(problem) => f.write_str(&problem.title),
            ApiError::Network(reason) => write!(f, "network: {reason}"),
            ApiError::Unexpected { status } => write!(f, "unexpected answer (HTTP {status})"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Codes that mean the session is over: the app signs out and says why.
const SESSION_ENDED: [&str; 3] = ["unauthenticated", "session_expired", "refresh_token_invalid"];

pub(crate) async fn send(
    method: Method,
    path: &str,
    lang: Lang,
    token: Option<&str>,
    headers: &[(&str, String)],
    body: Option<&serde_json::Value>,
) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(path)
        .method(method)
        .header("Accept", "application/json")
        .header("Accept-Language", lang.tag());
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|error| ApiError::Network(error.to_string()))?;
    request
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))
}

pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|_| ApiError::Unexpected { status })?;
    if response.ok() {
        let text = if text.is_empty() { "null" } else { text.as_str() };
        return serde_json::from_str(text).map_err(|_| ApiError::Unexpected { status });
    }
    let is_problem = response
        .headers()
        .get("content-type")
        .is_some_and(|content_type| content_type.starts_with(PROBLEM_CONTENT_TYPE));
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) if is_problem => Err(ApiError::Problem(Box::new(problem))),
        _ => Err(ApiError::Unexpected { status }),
    }
}

fn to_value(body: &impl Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(body).map_err(|error| ApiError::Network(error.to_string()))
}

/// A call without a session.
pub(crate) async fn public<T: DeserializeOwned>(
    method: Method,
    path: &str,
    lang: Lang,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = body.map(to_value).transpose()?;
    decode(send(method, path, lang, None, &[], body.as_ref()).await?).await
}

/// A call with the session's access token (refreshed first when about to expire). An
/// access token the server rejects is refreshed once and the call repeated; only when the
/// session itself has ended is the user signed out, with the server's reason. Other
/// refusals (a wrong code, a 403) stay errors of the call.
pub(crate) async fn private<T: DeserializeOwned>(
    auth: Auth,
    method: Method,
    path: &str,
    lang: Lang,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    private_with(auth, method, path, lang, &[], body).await
}

/// A text body (an SVG chart) of a signed-in request; a refusal as [`private`]'s.
pub(crate) async fn private_text(auth: Auth, path: &str, lang: Lang) -> Result<String, ApiError> {
    let token = auth.fresh_access_token(lang).await?;
    let response = send(Method::GET, path, lang, Some(&token), &[], None).await?;
    if response.ok() {
        let status = response.status();
        return response.text().await.map_err(|_| ApiError::Unexpected { status });
    }
    decode::<()>(response).await.map(|()| String::new())
}

/// [`private`] with more request headers (`If-Match`…).
pub(crate) async fn private_with<T: DeserializeOwned>(
    auth: Auth,
    method: Method,
    path: &str,
    lang: Lang,
    headers: &[(&str, String)],
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = body.map(to_value).transpose()?;
    let token = auth.fresh_access_token(lang).await?;
    let result = decode(send(method.clone(), path, lang, Some(&token), headers, body.as_ref()).await?).await;
    let rejected = matches!(&result, Err(ApiError::Problem(problem)) if problem.status == 401 && problem.code == "unauthenticated");
    if !rejected {
        return result;
    }
    // The access token was refused (an instance restarted with another key, a clock
    // skew…): a valid refresh token still keeps the session.
    let token = auth.refresh(lang).await?;
    let retried = decode(send(method, path, lang, Some(&token), headers, body.as_ref()).await?).await;
    if let Err(ApiError::Problem(problem)) = &retried
        && problem.status == 401
        && SESSION_ENDED.contains(&problem.code.as_str())
    {
        auth.end(Some(problem.title.clone()));
    }
    retried
}

/// `None` as a body.
pub(crate) const NO_BODY: Option<&()> = None;

/// A job the caller started: its state and progress (for progress bars), then its result.
pub async fn job(
    auth: Auth,
    lang: Lang,
    id: madoguchi_types::ids::JobId,
) -> Result<madoguchi_types::jobs::Job, ApiError> {
    private(auth, Method::GET, &format!("/api/v1/jobs/{id}"), lang, NO_BODY).await
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value)
        .as_string()
        .unwrap_or_default()
}
