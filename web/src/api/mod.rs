//! The typed API client: one fetch helper (same origin, `Accept-Language`, problem+json →
//! [`ApiError`]) and one function per endpoint, on the DTOs shared with the server.

use gloo_net::http::{Request, Response};
use madoguchi_types::{HealthResponse, PROBLEM_CONTENT_TYPE, Problem};
use serde::de::DeserializeOwned;

use crate::i18n::Lang;

/// Why a call failed, as the UI needs to tell it.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server refused or failed with a problem document (its text is already in the
    /// user's language).
    Problem(Problem),
    /// No answer: offline, DNS, connection refused.
    Network(String),
    /// An answer that is neither the expected JSON nor a problem document.
    Unexpected { status: u16 },
}

async fn get_json<T: DeserializeOwned>(path: &str, lang: Lang) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("Accept", "application/json")
        .header("Accept-Language", lang.tag())
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    decode(response).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    let is_problem = response
        .headers()
        .get("content-type")
        .is_some_and(|content_type| content_type.starts_with(PROBLEM_CONTENT_TYPE));
    if !is_problem {
        return Err(ApiError::Unexpected { status });
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

/// `GET /api/v1/health`
pub async fn health(lang: Lang) -> Result<HealthResponse, ApiError> {
    get_json("/api/v1/health", lang).await
}
