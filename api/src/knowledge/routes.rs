//! `/knowledge`: search and read the articles the caller sees, download their attachments;
//! staff write articles and attach files.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, delete, get, post, put, web};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::knowledge::{
    Article, ArticlePage, ArticleRequest, ArticleSummary, Attachment, BODY_MAX,
};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ArticleCategory, ArticleId, ArticleRow, AttachmentId, AttachmentRow};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, Invalid};
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::listing::Window;
use crate::net::ClientInfo;
use crate::policy::{Permission, Scope};
use crate::products::{self, SeriesId};
use crate::schema::{knowledge_articles, knowledge_attachments, product_series};
use crate::search::{self, KNOWLEDGE};
use crate::storage::Accept;
use crate::uploads;

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(search_articles)
        .service(get_article)
        .service(create_article)
        .service(replace_article)
        .service(delete_article)
        .service(add_attachment)
        .service(download_attachment)
        .service(delete_attachment);
}

/// Which articles a scope shows: staff all (`None`); a customer the public ones and those
/// of the series it sees; an account of no organization none.
fn article_filter(conn: &mut DbConn, scope: Scope) -> Result<Option<(bool, Vec<SeriesId>)>, ApiError> {
    Ok(match (scope, products::visible_series(conn, scope)?) {
        (Scope::Nothing, _) => Some((false, Vec::new())),
        (_, None) => None,
        (_, Some(series)) => Some((true, series.into_iter().collect())),
    })
}

/// The articles (with their series' name) the [`article_filter`] shows; `public` false
/// turns the public articles off too (an account of no organization sees nothing).
macro_rules! visible_articles {
    ($filter:expr) => {{
        let query = knowledge_articles::table
            .left_join(product_series::table)
            .into_boxed();
        match $filter {
            None => query,
            Some((public, series)) => query.filter(
                knowledge_articles::public
                    .eq(public)
                    .and(knowledge_articles::public.eq(true))
                    .or(knowledge_articles::series_id.eq_any(series)),
            ),
        }
    }};
}

fn article(conn: &mut DbConn, scope: Scope, id: ArticleId) -> Result<Article, ApiError> {
    let filter = article_filter(conn, scope)?;
    let (row, series_name): (ArticleRow, Option<String>) = visible_articles!(filter)
        .filter(knowledge_articles::id.eq(id))
        .select((ArticleRow::as_select(), product_series::name.nullable()))
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let attachments: Vec<AttachmentRow> = knowledge_attachments::table
        .filter(knowledge_attachments::article_id.eq(id))
        .select(AttachmentRow::as_select())
        .order(knowledge_attachments::id)
        .load(conn)?;
    Ok(Article {
        id: row.id,
        category: row.category,
        series_id: row.series_id,
        series_name,
        public: row.public,
        title: row.title,
        body: row.body,
        attachments: attachments.into_iter().map(attachment_dto).collect(),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

fn attachment_dto(row: AttachmentRow) -> Attachment {
    Attachment {
        id: row.id,
        file_name: row.file_name,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
    }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleFilter {
    /// Terms separated by spaces; an article matches when its title or body contains every
    /// one (any substring: `ファームウェア`, `再起動`).
    #[param(max_length = 100)]
    pub q: Option<String>,
    pub category: Option<ArticleCategory>,
    pub series_id: Option<SeriesId>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// Search the articles the caller sees, most recently updated first.
#[utoipa::path(
    tag = "knowledge",
    params(ArticleFilter),
    responses(
        (status = 200, description = "A page of articles with a snippet around the first match", body = ArticlePage),
        (status = 422, description = "A search too long, of too many terms or with control characters", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/knowledge")]
pub async fn search_articles(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<ArticleFilter>,
) -> Result<web::Json<ArticlePage>, ApiError> {
    let filter = filter.into_inner();
    let terms = search::terms(filter.q.as_deref())?;
    let (scope, backend) = (user.scope(), state.backend);
    let window = Window::new(filter.page, filter.per_page, 20, 100);
    let page = db::run(&state.pool, move |conn| {
        let visible = article_filter(conn, scope)?;
        let query = || {
            let mut query = visible_articles!(visible.clone());
            if let Some(category) = filter.category {
                query = query.filter(knowledge_articles::category.eq(category));
            }
            if let Some(series) = filter.series_id {
                query = query.filter(knowledge_articles::series_id.eq(series));
            }
            for term in &terms {
                let (before, bound, after) = search::term_condition(backend, &KNOWLEDGE, term);
                query = query.filter(sql::<Bool>(&before).bind::<Text, _>(bound).sql(after));
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(ArticleRow, Option<String>)> = query()
            .select((ArticleRow::as_select(), product_series::name.nullable()))
            .order((
                knowledge_articles::updated_at.desc(),
                knowledge_articles::id.desc(),
            ))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(|(row, series_name)| ArticleSummary {
                snippet: search::snippet(&row.body, &terms),
                id: row.id,
                category: row.category,
                series_id: row.series_id,
                series_name,
                public: row.public,
                title: row.title,
                updated_at: row.updated_at.and_utc(),
            })
            .collect();
        Ok(ArticlePage { items, total })
    })
    .await?;
    Ok(web::Json(page))
}

/// One article with its attachments.
#[utoipa::path(
    tag = "knowledge",
    params(("id" = ArticleId, Path, description = "The article's id")),
    responses(
        (status = 200, description = "The article", body = Article),
        (status = 404, description = "No such article, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/knowledge/{id}")]
pub async fn get_article(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ArticleId>,
) -> Result<web::Json<Article>, ApiError> {
    let (id, scope) = (id.into_inner(), user.scope());
    let article = db::run(&state.pool, move |conn| article(conn, scope, id)).await?;
    Ok(web::Json(article))
}

struct ValidArticle {
    category: ArticleCategory,
    series: Option<SeriesId>,
    public: bool,
    title: DisplayName,
    body: String,
}

fn validate(request: &ArticleRequest) -> Result<ValidArticle, ApiError> {
    let mut violations = Violations::default();
    let title = violations.check("title", DisplayName::parse(&request.title));
    let body = violations.check("body", crate::domain::required_text(&request.body, BODY_MAX));
    match (title, body) {
        (Some(title), Some(body)) if violations.is_empty() => Ok(ValidArticle {
            category: request.category,
            series: request.series_id,
            public: request.public,
            title,
            body,
        }),
        _ => Err(violations.into_error()),
    }
}

fn knowledge_event(user: &AuthUser, client: &ClientInfo, note: String) -> audit::Event {
    audit::Event::new(AuditAction::KnowledgeChanged, client)
        .actor(Some(user.id()))
        .detail(json!({ "note": note }))
}

/// Writes an article (`id` none: a new one); the series must exist.
fn save(
    conn: &mut DbConn,
    id: Option<ArticleId>,
    article: &ValidArticle,
    author: crate::accounts::AccountId,
    now: chrono::NaiveDateTime,
) -> Result<ArticleId, ApiError> {
    if let Some(series) = article.series {
        let exists: bool =
            diesel::select(diesel::dsl::exists(product_series::table.find(series))).get_result(conn)?;
        if !exists {
            return Err(ApiError::invalid("series_id", Invalid::NotAllowed));
        }
    }
    let fields = (
        knowledge_articles::category.eq(article.category),
        knowledge_articles::series_id.eq(article.series),
        knowledge_articles::public.eq(article.public),
        knowledge_articles::title.eq(article.title.as_ref()),
        knowledge_articles::body.eq(&article.body),
        knowledge_articles::updated_at.eq(now),
    );
    match id {
        Some(id) => {
            let updated = diesel::update(knowledge_articles::table.find(id))
                .set(fields)
                .execute(conn)?;
            if updated == 0 {
                return Err(ApiError::NotFound);
            }
            Ok(id)
        }
        None => Ok(diesel::insert_into(knowledge_articles::table)
            .values((
                fields,
                knowledge_articles::created_by.eq(author),
                knowledge_articles::created_at.eq(now),
            ))
            .returning(knowledge_articles::id)
            .get_result(conn)?),
    }
}

/// Write an article (staff).
#[utoipa::path(
    tag = "knowledge",
    request_body = ArticleRequest,
    responses(
        (status = 201, description = "Created", body = Article),
        (status = 403, description = "Only provider staff write articles", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no such series", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/knowledge")]
pub async fn create_article(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<ArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let valid = validate(&body)?;
    let now = state.clock.now_naive();
    let created = db::transaction(&state.pool, move |conn| {
        let id = save(conn, None, &valid, user.id(), now)?;
        audit::record(
            conn,
            &knowledge_event(&user, &client, format!("#{id} {}", valid.title)),
            now,
        )?;
        article(conn, Scope::AllOrganizations, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Replace an article's category, series, visibility, title and body (staff).
#[utoipa::path(
    tag = "knowledge",
    params(("id" = ArticleId, Path, description = "The article's id")),
    request_body = ArticleRequest,
    responses(
        (status = 200, description = "The article as it is now", body = Article),
        (status = 403, description = "Only provider staff write articles", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no such series", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/knowledge/{id}")]
pub async fn replace_article(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ArticleId>,
    body: Json<ArticleRequest>,
) -> Result<web::Json<Article>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let valid = validate(&body)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let saved = db::transaction(&state.pool, move |conn| {
        save(conn, Some(id), &valid, user.id(), now)?;
        audit::record(
            conn,
            &knowledge_event(&user, &client, format!("#{id} {}", valid.title)),
            now,
        )?;
        article(conn, Scope::AllOrganizations, id)
    })
    .await?;
    Ok(web::Json(saved))
}

/// Delete an article and its attachments (staff).
#[utoipa::path(
    tag = "knowledge",
    params(("id" = ArticleId, Path, description = "The article's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only provider staff delete articles", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/knowledge/{id}")]
pub async fn delete_article(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ArticleId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let keys = db::transaction(&state.pool, move |conn| {
        let title: String = knowledge_articles::table
            .find(id)
            .select(knowledge_articles::title)
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        let keys: Vec<String> = knowledge_attachments::table
            .filter(knowledge_attachments::article_id.eq(id))
            .select(knowledge_attachments::storage_key)
            .load(conn)?;
        diesel::delete(knowledge_articles::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            &knowledge_event(&user, &client, format!("#{id} {title} deleted")),
            now,
        )?;
        Ok(keys)
    })
    .await?;
    for key in keys {
        if let Err(error) = state.storage.delete(&key).await {
            tracing::warn!(%key, %error, "a deleted article's attachment could not be removed");
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

/// What the attachment form sends.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// Any file (a log excerpt, a configuration example, a patch).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Attach a file to an article (staff). Larger than the configured limit → 413 and nothing
/// is stored.
#[utoipa::path(
    tag = "knowledge",
    params(("id" = ArticleId, Path, description = "The article's id")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached", body = Attachment),
        (status = 400, description = "A malformed or interrupted upload", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only provider staff attach files", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than allowed; nothing was stored", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart/form-data body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/knowledge/{id}/attachments")]
pub async fn add_attachment(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ArticleId>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let id = id.into_inner();
    let exists = db::run(&state.pool, move |conn| {
        Ok(
            diesel::select(diesel::dsl::exists(knowledge_articles::table.find(id)))
                .get_result::<bool>(conn)?,
        )
    })
    .await?;
    if !exists {
        return Err(ApiError::NotFound);
    }
    let key = format!("knowledge/{}", uuid::Uuid::new_v4());
    let upload = uploads::read(multipart, &state.storage, key, state.file_max_bytes, Accept::Any).await?;
    let Some(file) = upload.file.as_ref() else {
        return Err(ApiError::invalid("file", Invalid::Required));
    };
    let now = state.clock.now_naive();
    let values = (
        knowledge_attachments::article_id.eq(id),
        knowledge_attachments::file_name.eq(file.name.clone()),
        knowledge_attachments::size_bytes.eq(i64::try_from(file.stored.size).unwrap_or(i64::MAX)),
        knowledge_attachments::sha256.eq(file.stored.sha256.clone()),
        knowledge_attachments::storage_key.eq(file.key.clone()),
        knowledge_attachments::created_at.eq(now),
    );
    let saved = db::transaction(&state.pool, move |conn| {
        let row: AttachmentRow = diesel::insert_into(knowledge_attachments::table)
            .values(values)
            .returning(knowledge_attachments::all_columns)
            .get_result(conn)?;
        let note = format!("#{id} + {}", row.file_name);
        audit::record(conn, &knowledge_event(&user, &client, note), now)?;
        Ok(attachment_dto(row))
    })
    .await;
    match saved {
        Ok(attachment) => Ok(HttpResponse::Created().json(attachment)),
        Err(error) => {
            upload.discard(&state.storage).await;
            Err(error)
        }
    }
}

/// The attachment of an article the caller sees, streamed.
#[utoipa::path(
    tag = "knowledge",
    params(("id" = AttachmentId, Path, description = "The attachment's id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = uploads::FileBytes),
        (status = 404, description = "No such attachment, or one of an article the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/knowledge/attachments/{id}/file")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<AttachmentId>,
) -> Result<HttpResponse, ApiError> {
    let (id, scope) = (id.into_inner(), user.scope());
    let row = db::run(&state.pool, move |conn| {
        let row: AttachmentRow = knowledge_attachments::table
            .find(id)
            .select(AttachmentRow::as_select())
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        // Through the article: its visibility is the attachment's.
        article(conn, scope, row.article_id)?;
        Ok(row)
    })
    .await?;
    uploads::download(
        &state.storage,
        &row.storage_key,
        &row.file_name,
        "application/octet-stream",
        false,
    )
    .await
}

/// Remove an attachment and its file (staff).
#[utoipa::path(
    tag = "knowledge",
    params(("id" = AttachmentId, Path, description = "The attachment's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Only provider staff remove attachments", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such attachment", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/knowledge/attachments/{id}")]
pub async fn delete_attachment(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<AttachmentId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let key = db::transaction(&state.pool, move |conn| {
        let row: AttachmentRow = knowledge_attachments::table
            .find(id)
            .select(AttachmentRow::as_select())
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        diesel::delete(knowledge_attachments::table.find(id)).execute(conn)?;
        let note = format!("#{} − {}", row.article_id, row.file_name);
        audit::record(conn, &knowledge_event(&user, &client, note), now)?;
        Ok(row.storage_key)
    })
    .await?;
    if let Err(error) = state.storage.delete(&key).await {
        tracing::warn!(%key, %error, "a removed attachment's file could not be deleted");
    }
    Ok(HttpResponse::NoContent().finish())
}
