//! Health.

use gloo_net::http::Method;
use madoguchi_types::HealthResponse;

use super::{ApiError, NO_BODY, private, public};
use crate::auth::Auth;
use crate::i18n::Lang;

/// The health answer; with the session (when signed in), so that staff see the details.
pub async fn health(auth: Auth, lang: Lang) -> Result<HealthResponse, ApiError> {
    if auth.signed_in_untracked() {
        private(auth, Method::GET, "/api/v1/health", lang, NO_BODY).await
    } else {
        public(Method::GET, "/api/v1/health", lang, NO_BODY).await
    }
}
