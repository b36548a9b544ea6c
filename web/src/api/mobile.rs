//! Mobile lines (モバイル回線): search, registration of up to 15, changes and deletion.

use gloo_net::http::Method;
use madoguchi_types::ids::MobileLineId;
use madoguchi_types::mobile::{
    LineState, MobileLine, MobileLinePage, MobileLineUpdate, MobileLinesRequest, NameMatch,
};

use super::{ApiError, NO_BODY, encode, private};
use crate::auth::Auth;
use crate::i18n::Lang;

/// The search, as the page holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineQuery {
    pub number: String,
    pub name: String,
    pub name_match: NameMatch,
    pub state: LineState,
    pub page: i64,
    pub per_page: i64,
}

impl Default for LineQuery {
    fn default() -> Self {
        Self {
            number: String::new(),
            name: String::new(),
            name_match: NameMatch::Partial,
            state: LineState::Current,
            page: 1,
            per_page: 50,
        }
    }
}

pub async fn lines(auth: Auth, lang: Lang, query: &LineQuery) -> Result<MobileLinePage, ApiError> {
    let mut path = format!(
        "/api/v1/mobile-lines?state={}&name_match={}&page={}&per_page={}",
        query.state,
        query.name_match,
        query.page.max(1),
        query.per_page.max(1)
    );
    for (name, value) in [("number", &query.number), ("name", &query.name)] {
        if !value.trim().is_empty() {
            path.push_str(&format!("&{name}={}", encode(value.trim())));
        }
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn register(
    auth: Auth,
    lang: Lang,
    request: &MobileLinesRequest,
) -> Result<Vec<MobileLine>, ApiError> {
    private(auth, Method::POST, "/api/v1/mobile-lines", lang, Some(request)).await
}

pub async fn change(
    auth: Auth,
    lang: Lang,
    id: MobileLineId,
    update: &MobileLineUpdate,
) -> Result<MobileLine, ApiError> {
    private(
        auth,
        Method::PATCH,
        &format!("/api/v1/mobile-lines/{id}"),
        lang,
        Some(update),
    )
    .await
}

pub async fn delete(auth: Auth, lang: Lang, id: MobileLineId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/mobile-lines/{id}"),
        lang,
        NO_BODY,
    )
    .await
}
