//! The product catalog and the knowledge base: reading for everyone signed in, writing for
//! staff; files come down as blobs (a link cannot carry the bearer token) and go up with
//! progress.

use gloo_net::http::Method;
use madoguchi_types::ids::{ArticleId, AttachmentId, ProductEntryId, SeriesId};
use madoguchi_types::knowledge::{Article, ArticleCategory, ArticlePage, ArticleRequest, Attachment};
use madoguchi_types::products::{Catalog, Maker, MakerRequest, ProductEntry, Series, SeriesRequest};

use super::documents::{blob_url, multipart, post_form};
use super::{ApiError, NO_BODY, encode, private};
use crate::auth::Auth;
use crate::i18n::Lang;

pub async fn catalog(auth: Auth, lang: Lang) -> Result<Catalog, ApiError> {
    private(auth, Method::GET, "/api/v1/products", lang, NO_BODY).await
}

pub async fn series(auth: Auth, lang: Lang, id: SeriesId) -> Result<Series, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/products/series/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn create_maker(auth: Auth, lang: Lang, request: &MakerRequest) -> Result<Maker, ApiError> {
    private(auth, Method::POST, "/api/v1/products/makers", lang, Some(request)).await
}

pub async fn create_series(auth: Auth, lang: Lang, request: &SeriesRequest) -> Result<Series, ApiError> {
    private(auth, Method::POST, "/api/v1/products/series", lang, Some(request)).await
}

pub async fn replace_series(
    auth: Auth,
    lang: Lang,
    id: SeriesId,
    request: &SeriesRequest,
) -> Result<Series, ApiError> {
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/products/series/{id}"),
        lang,
        Some(request),
    )
    .await
}

pub async fn delete_series(auth: Auth, lang: Lang, id: SeriesId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/products/series/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

/// Adds an entry (staff): text fields, and a file for a download or document, reporting
/// the upload's progress (0.0–1.0).
pub async fn add_entry(
    auth: Auth,
    lang: Lang,
    series: SeriesId,
    fields: &[(&str, &str)],
    file: Option<web_sys::File>,
    on_progress: impl Fn(f64) + 'static,
) -> Result<ProductEntry, ApiError> {
    let form = multipart(fields, file.as_ref())?;
    post_form(
        auth,
        lang,
        &format!("/api/v1/products/series/{series}/entries"),
        form,
        on_progress,
    )
    .await
}

pub async fn delete_entry(auth: Auth, lang: Lang, id: ProductEntryId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/products/entries/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn entry_file_url(auth: Auth, lang: Lang, id: ProductEntryId) -> Result<String, ApiError> {
    blob_url(auth, lang, &format!("/api/v1/products/entries/{id}/file")).await
}

/// A knowledge search: terms, a category, a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleQuery {
    pub q: String,
    pub category: Option<ArticleCategory>,
    pub series: Option<SeriesId>,
    pub page: i64,
    pub per_page: i64,
}

pub async fn articles(auth: Auth, lang: Lang, query: &ArticleQuery) -> Result<ArticlePage, ApiError> {
    let mut path = format!(
        "/api/v1/knowledge?page={}&per_page={}",
        query.page.max(1),
        query.per_page.max(1)
    );
    if !query.q.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(query.q.trim())));
    }
    if let Some(category) = query.category {
        path.push_str(&format!("&category={category}"));
    }
    if let Some(series) = query.series {
        path.push_str(&format!("&series_id={series}"));
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn article(auth: Auth, lang: Lang, id: ArticleId) -> Result<Article, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/knowledge/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn create_article(auth: Auth, lang: Lang, request: &ArticleRequest) -> Result<Article, ApiError> {
    private(auth, Method::POST, "/api/v1/knowledge", lang, Some(request)).await
}

pub async fn replace_article(
    auth: Auth,
    lang: Lang,
    id: ArticleId,
    request: &ArticleRequest,
) -> Result<Article, ApiError> {
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/knowledge/{id}"),
        lang,
        Some(request),
    )
    .await
}

pub async fn delete_article(auth: Auth, lang: Lang, id: ArticleId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/knowledge/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn attach(
    auth: Auth,
    lang: Lang,
    article: ArticleId,
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<Attachment, ApiError> {
    let form = multipart(&[], Some(&file))?;
    post_form(
        auth,
        lang,
        &format!("/api/v1/knowledge/{article}/attachments"),
        form,
        on_progress,
    )
    .await
}

pub async fn attachment_url(auth: Auth, lang: Lang, id: AttachmentId) -> Result<String, ApiError> {
    blob_url(auth, lang, &format!("/api/v1/knowledge/attachments/{id}/file")).await
}

pub async fn delete_attachment(auth: Auth, lang: Lang, id: AttachmentId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/knowledge/attachments/{id}"),
        lang,
        NO_BODY,
    )
    .await
}
