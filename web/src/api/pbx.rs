//! PBX administration (内線番号管理): sites, extensions, the pool, CSV files in and out,
//! transfer and swap.

use gloo_net::http::Method;
use madoguchi_types::extensions::{
    CsvAction, ExportEncoding, Extension, ExtensionPage, ExtensionRequest, ExtensionUpdate, ImportReport,
    Site, SiteRequest, SwapOutcome, SwapRequest, TransferOutcome, TransferRequest,
};
use madoguchi_types::ids::{ExtensionId, SiteId};
use madoguchi_types::jobs::Job;
use madoguchi_types::mobile::MobileLine;
use serde::Deserialize;

use super::xhr::{self, browser_refused};
use super::{ApiError, NO_BODY, encode, private};
use crate::auth::Auth;
use crate::i18n::Lang;

pub async fn sites(auth: Auth, lang: Lang) -> Result<Vec<Site>, ApiError> {
    private(auth, Method::GET, "/api/v1/pbx-sites", lang, NO_BODY).await
}

/// Sets up a site (staff).
pub async fn create_site(auth: Auth, lang: Lang, request: &SiteRequest) -> Result<Site, ApiError> {
    private(auth, Method::POST, "/api/v1/pbx-sites", lang, Some(request)).await
}

pub async fn extensions(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    search: &str,
    page: i64,
    per_page: i64,
) -> Result<ExtensionPage, ApiError> {
    let mut path = format!(
        "/api/v1/pbx-sites/{site}/extensions?page={}&per_page={per_page}",
        page.max(1)
    );
    if !search.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(search.trim())));
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn pool(auth: Auth, lang: Lang, site: SiteId) -> Result<Vec<MobileLine>, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/pbx-sites/{site}/mobile-pool"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn create(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    request: &ExtensionRequest,
) -> Result<Extension, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/pbx-sites/{site}/extensions"),
        lang,
        Some(request),
    )
    .await
}

/// Changes a profile: what is absent stays.
pub async fn change(
    auth: Auth,
    lang: Lang,
    id: ExtensionId,
    update: &ExtensionUpdate,
) -> Result<Extension, ApiError> {
    private(
        auth,
        Method::PATCH,
        &format!("/api/v1/extensions/{id}"),
        lang,
        Some(update),
    )
    .await
}

pub async fn delete(auth: Auth, lang: Lang, id: ExtensionId, force: bool) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/extensions/{id}?force={force}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn assign(
    auth: Auth,
    lang: Lang,
    id: ExtensionId,
    mobile_number: &str,
) -> Result<Extension, ApiError> {
    let body = serde_json::json!({ "mobile_number": mobile_number });
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/extensions/{id}/mobile"),
        lang,
        Some(&body),
    )
    .await
}

pub async fn release(auth: Auth, lang: Lang, id: ExtensionId) -> Result<Extension, ApiError> {
    private(
        auth,
        Method::DELETE,
        &format!("/api/v1/extensions/{id}/mobile"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn transfer(
    auth: Auth,
    lang: Lang,
    id: ExtensionId,
    request: &TransferRequest,
) -> Result<TransferOutcome, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/extensions/{id}/transfer"),
        lang,
        Some(request),
    )
    .await
}

pub async fn swap(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    request: &SwapRequest,
) -> Result<SwapOutcome, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/pbx-sites/{site}/extensions/swap"),
        lang,
        Some(request),
    )
    .await
}

/// What a CSV upload answers: the report of a small file, or the job of a large one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum CsvAnswer {
    Report(ImportReport),
    Job(Box<Job>),
}

/// Sends a CSV file as it is (the server detects its encoding), reporting the share sent.
pub async fn send_csv(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    (action, dry_run, force): (CsvAction, bool, bool),
    file: &web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<CsvAnswer, ApiError> {
    let path =
        format!("/api/v1/pbx-sites/{site}/extensions/csv?action={action}&dry_run={dry_run}&force={force}");
    let blob = file.slice().map_err(browser_refused)?;
    xhr::send(
        auth,
        lang,
        ("POST", &path),
        &[("Content-Type", "text/csv".to_owned())],
        xhr::Body::Bytes(blob),
        move |sent, total| on_progress(if total > 0.0 { sent / total } else { 1.0 }),
        None,
    )
    .await
}

/// The site's extensions as a CSV file, as an object URL.
pub async fn export_url(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    encoding: ExportEncoding,
) -> Result<String, ApiError> {
    super::documents::blob_url(
        auth,
        lang,
        &format!("/api/v1/pbx-sites/{site}/extensions/csv?encoding={encoding}"),
    )
    .await
}
