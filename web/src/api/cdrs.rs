//! Call-detail records: the secret question, its grant, browse, days and downloads.

use gloo_net::http::Method;
use madoguchi_types::cdrs::{CallDay, CallRecordPage, CdrGrant, GrantRequest, SecretQuestion, SecretRequest};
use madoguchi_types::extensions::ExportEncoding;
use madoguchi_types::ids::SiteId;

use super::{ApiError, NO_BODY, encode, private, private_with};
use crate::auth::Auth;
use crate::i18n::Lang;

const GRANT_HEADER: &str = "X-CDR-Grant";

pub async fn secret(auth: Auth, lang: Lang, site: SiteId) -> Result<SecretQuestion, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/pbx-sites/{site}/cdr-secret"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn set_secret(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    request: &SecretRequest,
) -> Result<SecretQuestion, ApiError> {
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/pbx-sites/{site}/cdr-secret"),
        lang,
        Some(request),
    )
    .await
}

pub async fn grant(auth: Auth, lang: Lang, site: SiteId, answer: &str) -> Result<CdrGrant, ApiError> {
    let body = GrantRequest {
        answer: answer.to_owned(),
    };
    private(
        auth,
        Method::POST,
        &format!("/api/v1/pbx-sites/{site}/cdr-grants"),
        lang,
        Some(&body),
    )
    .await
}

/// The filters of the browse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: String,
    pub to: String,
    pub number: String,
    pub connected: String,
    pub cause: String,
}

pub async fn records(
    auth: Auth,
    lang: Lang,
    (site, grant): (SiteId, &str),
    filter: &Filter,
    page: i64,
    per_page: i64,
) -> Result<CallRecordPage, ApiError> {
    let mut path = format!(
        "/api/v1/pbx-sites/{site}/call-records?page={}&per_page={per_page}",
        page.max(1)
    );
    for (name, value) in [
        ("from", &filter.from),
        ("to", &filter.to),
        ("number", &filter.number),
        ("connected", &filter.connected),
        ("cause", &filter.cause),
    ] {
        if !value.trim().is_empty() {
            path.push_str(&format!("&{name}={}", encode(value.trim())));
        }
    }
    let headers = [(GRANT_HEADER, grant.to_owned())];
    private_with(auth, Method::GET, &path, lang, &headers, NO_BODY).await
}

pub async fn days(auth: Auth, lang: Lang, site: SiteId, grant: &str) -> Result<Vec<CallDay>, ApiError> {
    let headers = [(GRANT_HEADER, grant.to_owned())];
    let path = format!("/api/v1/pbx-sites/{site}/call-days");
    private_with(auth, Method::GET, &path, lang, &headers, NO_BODY).await
}

/// One file of a day, as an object URL.
pub async fn part_url(
    auth: Auth,
    lang: Lang,
    (site, grant): (SiteId, &str),
    (day, part): (chrono::NaiveDate, i64),
    encoding: ExportEncoding,
) -> Result<String, ApiError> {
    let path = format!("/api/v1/pbx-sites/{site}/call-days/{day}/parts/{part}?encoding={encoding}");
    super::documents::blob_url_with(auth, lang, &path, &[(GRANT_HEADER, grant.to_owned())]).await
}
