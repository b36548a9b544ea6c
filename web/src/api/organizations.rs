//! Organizations: the staff's customer list, and the account screens' organization picker.

use gloo_net::http::Method;
use madoguchi_types::ids::OrganizationId;
use madoguchi_types::organizations::{
    NewOrganizationRequest, Organization, OrganizationPage, OrganizationUpdate,
};

use super::{ApiError, NO_BODY, encode, private};
use crate::auth::Auth;
use crate::i18n::Lang;

pub async fn organizations(
    auth: Auth,
    lang: Lang,
    q: &str,
    page: i64,
    per_page: i64,
) -> Result<OrganizationPage, ApiError> {
    let mut path = format!(
        "/api/v1/organizations?page={}&per_page={}",
        page.max(1),
        per_page.max(1)
    );
    if !q.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(q.trim())));
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn create_organization(
    auth: Auth,
    lang: Lang,
    request: &NewOrganizationRequest,
) -> Result<Organization, ApiError> {
    private(auth, Method::POST, "/api/v1/organizations", lang, Some(request)).await
}

pub async fn rename_organization(
    auth: Auth,
    lang: Lang,
    id: OrganizationId,
    update: &OrganizationUpdate,
) -> Result<Organization, ApiError> {
    private(
        auth,
        Method::PATCH,
        &format!("/api/v1/organizations/{id}"),
        lang,
        Some(update),
    )
    .await
}
