//! Documents: the search, downloads (as a blob the page saves or previews: a link cannot
//! carry the bearer token) and uploads with progress (XMLHttpRequest reports upload
//! progress; `fetch` does not).

use gloo_net::http::Method;
use madoguchi_types::documents::{Document, DocumentKind, DocumentPage, Home, RequoteRequest};
use madoguchi_types::ids::{ContractId, DocumentId};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::xhr::{self, browser_refused};
use super::{ApiError, NO_BODY, encode, private};
use crate::auth::Auth;
use crate::i18n::Lang;

/// The search's filters, as the page holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentQuery {
    pub contract: Option<ContractId>,
    pub kind: Option<DocumentKind>,
    pub q: String,
    pub issued_from: String,
    pub issued_to: String,
    pub amount_min: String,
    pub amount_max: String,
    pub page: i64,
    pub per_page: i64,
}

pub async fn documents(auth: Auth, lang: Lang, query: &DocumentQuery) -> Result<DocumentPage, ApiError> {
    let mut path = format!(
        "/api/v1/documents?page={}&per_page={}",
        query.page.max(1),
        query.per_page.max(1)
    );
    if let Some(contract) = query.contract {
        path.push_str(&format!("&contract_id={contract}"));
    }
    if let Some(kind) = query.kind {
        path.push_str(&format!("&kind={kind}"));
    }
    for (name, value) in [
        ("q", &query.q),
        ("issued_from", &query.issued_from),
        ("issued_to", &query.issued_to),
        ("amount_min", &query.amount_min),
        ("amount_max", &query.amount_max),
    ] {
        if !value.trim().is_empty() {
            path.push_str(&format!("&{name}={}", encode(value.trim())));
        }
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

/// The document's PDF as an object URL (revoke it with `Url::revoke_object_url` when done).
pub async fn file_url(auth: Auth, lang: Lang, id: DocumentId) -> Result<String, ApiError> {
    blob_url(auth, lang, &format!("/api/v1/documents/{id}/file")).await
}

/// A signed-in download as an object URL (revoke it with `Url::revoke_object_url`).
pub(crate) async fn blob_url(auth: Auth, lang: Lang, path: &str) -> Result<String, ApiError> {
    blob_url_with(auth, lang, path, &[]).await
}

/// [`blob_url`] with more request headers (a CDR grant).
pub(crate) async fn blob_url_with(
    auth: Auth,
    lang: Lang,
    path: &str,
    headers: &[(&str, String)],
) -> Result<String, ApiError> {
    object_url(signed_get(auth, lang, path, headers).await?).await
}

/// A signed-in GET, answered with a success (any other answer is the error it carries).
pub(crate) async fn signed_get(
    auth: Auth,
    lang: Lang,
    path: &str,
    headers: &[(&str, String)],
) -> Result<gloo_net::http::Response, ApiError> {
    let token = auth.fresh_access_token(lang).await?;
    let response = super::send(Method::GET, path, lang, Some(&token), headers, None).await?;
    if !response.ok() {
        return Err(super::decode::<()>(response)
            .await
            .err()
            .unwrap_or(ApiError::Unexpected { status: 0 }));
    }
    Ok(response)
}

/// A successful answer's body as an object URL.
pub(crate) async fn object_url(response: gloo_net::http::Response) -> Result<String, ApiError> {
    let raw: web_sys::Response = response.into();
    let blob = raw.blob().map_err(|_| ApiError::Unexpected { status: 200 })?;
    let blob: web_sys::Blob = JsFuture::from(blob)
        .await
        .map_err(|_| ApiError::Network("download interrupted".into()))?
        .unchecked_into();
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiError::Unexpected { status: 200 })
}

/// What an upload sends besides the file.
pub struct UploadFields {
    pub kind: DocumentKind,
    pub number: String,
    pub title: String,
    pub issued_on: String,
    pub amount_yen: String,
}

/// Uploads a PDF to a contract (staff), reporting the share sent (0.0–1.0) as it goes.
pub async fn upload(
    auth: Auth,
    lang: Lang,
    contract: ContractId,
    fields: UploadFields,
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<Document, ApiError> {
    let form = multipart(
        &[
            ("kind", fields.kind.as_str()),
            ("number", fields.number.as_str()),
            ("title", fields.title.as_str()),
            ("issued_on", fields.issued_on.as_str()),
            ("amount_yen", fields.amount_yen.as_str()),
        ],
        Some(&file),
    )?;
    post_form(
        auth,
        lang,
        &format!("/api/v1/contracts/{contract}/documents"),
        form,
        on_progress,
    )
    .await
}

/// Orders a quote with its purchase order (a PDF), reporting the upload's progress.
pub async fn order(
    auth: Auth,
    lang: Lang,
    quote: DocumentId,
    comment: &str,
    purchase_order: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<Document, ApiError> {
    let form = multipart(&[("comment", comment)], Some(&purchase_order))?;
    post_form(
        auth,
        lang,
        &format!("/api/v1/documents/{quote}/order"),
        form,
        on_progress,
    )
    .await
}

pub async fn requote(
    auth: Auth,
    lang: Lang,
    quote: DocumentId,
    request: &RequoteRequest,
) -> Result<Document, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/documents/{quote}/requote"),
        lang,
        Some(request),
    )
    .await
}

pub async fn home(auth: Auth, lang: Lang) -> Result<Home, ApiError> {
    private(auth, Method::GET, "/api/v1/home", lang, NO_BODY).await
}

/// A multipart form of text fields and, last, the `file` (the server stores the file as it
/// streams in, after having read the fields).
pub(super) fn multipart(
    fields: &[(&str, &str)],
    file: Option<&web_sys::File>,
) -> Result<web_sys::FormData, ApiError> {
    let form = web_sys::FormData::new().map_err(browser_refused)?;
    for (name, value) in fields {
        form.append_with_str(name, value).map_err(browser_refused)?;
    }
    if let Some(file) = file {
        form.append_with_blob_and_filename("file", file, &file.name())
            .map_err(browser_refused)?;
    }
    Ok(form)
}

/// Posts a multipart form with the session's token, reporting the share sent (0.0–1.0).
pub(super) async fn post_form<T: serde::de::DeserializeOwned>(
    auth: Auth,
    lang: Lang,
    path: &str,
    form: web_sys::FormData,
    on_progress: impl Fn(f64) + 'static,
) -> Result<T, ApiError> {
    let progress = move |sent: f64, total: f64| {
        if total > 0.0 {
            on_progress(sent / total);
        }
    };
    xhr::send(
        auth,
        lang,
        ("POST", path),
        &[],
        xhr::Body::Form(form),
        progress,
        None,
    )
    .await
}

/// Deletes a document and its file (staff).
pub async fn delete(auth: Auth, lang: Lang, id: DocumentId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/documents/{id}"),
        lang,
        NO_BODY,
    )
    .await
}
