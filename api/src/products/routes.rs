//! `/products`: the catalog a caller sees (製品リスト), a series' page, and its files
//! (signed in, streamed); staff add makers, series and entries and remove them.

use std::collections::HashSet;

use actix_multipart::Multipart;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::products::{
    Catalog, MAX_MODEL_PREFIXES, Maker, MakerRequest, NOTE_MAX, ProductEntry, Series, SeriesRequest,
    SeriesSummary,
};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Entry, EntryKind, MakerId, NewEntry, ProductEntryId, SeriesId};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, Invalid};
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::{Permission, Scope};
use crate::schema::{product_entries, product_makers, product_series, product_series_models};
use crate::storage::Accept;
use crate::uploads;

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(catalog)
        .service(get_series)
        .service(download_entry)
        .service(create_maker)
        .service(rename_maker)
        .service(create_series)
        .service(replace_series)
        .service(delete_series)
        .service(add_entry)
        .service(delete_entry);
}

fn entry_dto(entry: Entry) -> ProductEntry {
    ProductEntry {
        id: entry.id,
        kind: entry.kind,
        title: entry.title,
        version: entry.version,
        note: entry.note,
        published_on: entry.published_on,
        eoe_on: entry.eoe_on,
        eol_on: entry.eol_on,
        link_url: entry.link_url,
        file_name: entry.file_name,
        size_bytes: entry.size_bytes,
        sha256: entry.sha256,
        created_at: entry.created_at.and_utc(),
    }
}

/// The series' page if the scope shows it; model prefixes for staff only (they tell what
/// other customers have).
fn series_page(conn: &mut DbConn, scope: Scope, id: SeriesId) -> Result<Series, ApiError> {
    let (maker_id, maker_name, name, description): (MakerId, String, String, String) = product_series::table
        .inner_join(product_makers::table)
        .filter(product_series::id.eq(id))
        .select((
            product_makers::id,
            product_makers::name,
            product_series::name,
            product_series::description,
        ))
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if !super::shows(conn, scope, id)? {
        return Err(ApiError::NotFound);
    }
    let model_prefixes = if scope == Scope::AllOrganizations {
        product_series_models::table
            .filter(product_series_models::series_id.eq(id))
            .select(product_series_models::model_prefix)
            .order(product_series_models::model_prefix)
            .load(conn)?
    } else {
        Vec::new()
    };
    // Newest first within each kind; end-of-support notices by their end date.
    let entries: Vec<Entry> = product_entries::table
        .filter(product_entries::series_id.eq(id))
        .select(Entry::as_select())
        .order((
            product_entries::kind,
            product_entries::published_on.desc(),
            product_entries::eol_on.desc(),
            product_entries::id.desc(),
        ))
        .load(conn)?;
    Ok(Series {
        id,
        maker_id,
        maker_name,
        name,
        description,
        model_prefixes,
        entries: entries.into_iter().map(entry_dto).collect(),
    })
}

/// 製品リスト: the makers and series the caller sees (staff: every maker, even one without
/// series yet), by name.
#[utoipa::path(
    tag = "products",
    responses((status = 200, description = "The catalog", body = Catalog)),
    security(("bearer" = []))
)]
#[get("/products")]
pub async fn catalog(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Catalog>, ApiError> {
    let scope = user.scope();
    let catalog = db::run(&state.pool, move |conn| {
        let visible = super::visible_series(conn, scope)?;
        let makers: Vec<(MakerId, String)> = product_makers::table
            .select((product_makers::id, product_makers::name))
            .order(product_makers::name)
            .load(conn)?;
        let series: Vec<(SeriesId, MakerId, String, String)> = product_series::table
            .select((
                product_series::id,
                product_series::maker_id,
                product_series::name,
                product_series::description,
            ))
            .order(product_series::name)
            .load(conn)?;
        let shown = |id: &SeriesId| visible.as_ref().is_none_or(|visible| visible.contains(id));
        let makers = makers
            .into_iter()
            .map(|(id, name)| Maker {
                id,
                name,
                series: series
                    .iter()
                    .filter(|(series, maker, ..)| *maker == id && shown(series))
                    .map(|(id, _, name, description)| SeriesSummary {
                        id: *id,
                        name: name.clone(),
                        description: description.clone(),
                    })
                    .collect(),
            })
            .filter(|maker| visible.is_none() || !maker.series.is_empty())
            .collect();
        Ok(Catalog { makers })
    })
    .await?;
    Ok(web::Json(catalog))
}

/// A series' page: downloads, documents, standard shipping versions, end of support.
#[utoipa::path(
    tag = "products",
    params(("id" = SeriesId, Path, description = "The series' id")),
    responses(
        (status = 200, description = "The series' page", body = Series),
        (status = 404, description = "No such series, or one no contract of the caller covers", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/products/series/{id}")]
pub async fn get_series(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SeriesId>,
) -> Result<web::Json<Series>, ApiError> {
    let (id, scope) = (id.into_inner(), user.scope());
    let series = db::run(&state.pool, move |conn| series_page(conn, scope, id)).await?;
    Ok(web::Json(series))
}

/// A stored download or document of a series the caller sees, streamed.
#[utoipa::path(
    tag = "products",
    params(("id" = ProductEntryId, Path, description = "The entry's id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = uploads::FileBytes),
        (status = 404, description = "No such entry, one without a stored file, or one of a series the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/products/entries/{id}/file")]
pub async fn download_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ProductEntryId>,
) -> Result<HttpResponse, ApiError> {
    let (id, scope) = (id.into_inner(), user.scope());
    let entry = db::run(&state.pool, move |conn| {
        let entry: Entry = product_entries::table
            .find(id)
            .select(Entry::as_select())
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        if !super::shows(conn, scope, entry.series_id)? {
            return Err(ApiError::NotFound);
        }
        Ok(entry)
    })
    .await?;
    let (Some(key), Some(name)) = (entry.storage_key, entry.file_name) else {
        return Err(ApiError::NotFound);
    };
    uploads::download(&state.storage, &key, &name, "application/octet-stream", false).await
}

fn catalog_event(user: &AuthUser, client: &ClientInfo, note: String) -> audit::Event {
    audit::Event::new(AuditAction::CatalogChanged, client)
        .actor(Some(user.id()))
        .detail(json!({ "note": note }))
}

/// Add a maker (staff).
#[utoipa::path(
    tag = "products",
    request_body = MakerRequest,
    responses(
        (status = 201, description = "Created", body = Maker),
        (status = 403, description = "Only provider staff maintain the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A maker of this name exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/products/makers")]
pub async fn create_maker(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<MakerRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let name = DisplayName::parse(&body.name).map_err(|reason| ApiError::invalid("name", reason))?;
    let now = state.clock.now_naive();
    let maker = db::transaction(&state.pool, move |conn| {
        let id: MakerId = diesel::insert_into(product_makers::table)
            .values((
                product_makers::name.eq(name.as_ref()),
                product_makers::created_at.eq(now),
            ))
            .returning(product_makers::id)
            .get_result(conn)?;
        audit::record(conn, &catalog_event(&user, &client, format!("maker {name}")), now)?;
        Ok(Maker {
            id,
            name: name.to_string(),
            series: Vec::new(),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(maker))
}

/// Rename a maker (staff).
#[utoipa::path(
    tag = "products",
    params(("id" = MakerId, Path, description = "The maker's id")),
    request_body = MakerRequest,
    responses(
        (status = 204, description = "Renamed"),
        (status = 403, description = "Only provider staff maintain the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such maker", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A maker of this name exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/products/makers/{id}")]
pub async fn rename_maker(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<MakerId>,
    body: Json<MakerRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let name = DisplayName::parse(&body.name).map_err(|reason| ApiError::invalid("name", reason))?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    db::transaction(&state.pool, move |conn| {
        let renamed = diesel::update(product_makers::table.find(id))
            .set(product_makers::name.eq(name.as_ref()))
            .execute(conn)?;
        if renamed == 0 {
            return Err(ApiError::NotFound);
        }
        audit::record(conn, &catalog_event(&user, &client, format!("maker {name}")), now)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A series request's fields, each refusal named.
struct ValidSeries {
    maker: MakerId,
    name: DisplayName,
    description: String,
    prefixes: Vec<String>,
}

fn validate_series(request: &SeriesRequest) -> Result<ValidSeries, ApiError> {
    let mut violations = Violations::default();
    let name = violations.check("name", DisplayName::parse(&request.name));
    let description = violations
        .check(
            "description",
            crate::domain::comment(&request.description, NOTE_MAX),
        )
        .map(Option::unwrap_or_default);
    if request.model_prefixes.is_empty() {
        violations.add("model_prefixes", Invalid::Required);
    }
    if request.model_prefixes.len() > MAX_MODEL_PREFIXES {
        violations.add(
            "model_prefixes",
            Invalid::TooMany {
                max: MAX_MODEL_PREFIXES,
            },
        );
    }
    let mut seen = HashSet::new();
    let mut prefixes = Vec::new();
    for (index, raw) in request.model_prefixes.iter().enumerate() {
        let field = format!("model_prefixes[{index}]");
        if let Some(prefix) = violations.check(&field, DisplayName::parse(raw)) {
            if seen.insert(prefix.as_ref().to_lowercase()) {
                prefixes.push(prefix.to_string());
            } else {
                violations.add(field, Invalid::Duplicate);
            }
        }
    }
    match (name, description) {
        (Some(name), Some(description)) if violations.is_empty() => Ok(ValidSeries {
            maker: request.maker_id,
            name,
            description,
            prefixes,
        }),
        _ => Err(violations.into_error()),
    }
}

/// Writes a series' fields and prefixes (`id` none: a new series).
fn save_series(
    conn: &mut DbConn,
    id: Option<SeriesId>,
    series: &ValidSeries,
    now: chrono::NaiveDateTime,
) -> Result<SeriesId, ApiError> {
    let maker_exists: bool =
        diesel::select(diesel::dsl::exists(product_makers::table.find(series.maker))).get_result(conn)?;
    if !maker_exists {
        return Err(ApiError::invalid("maker_id", Invalid::NotAllowed));
    }
    let id = match id {
        Some(id) => {
            let updated = diesel::update(product_series::table.find(id))
                .set((
                    product_series::maker_id.eq(series.maker),
                    product_series::name.eq(series.name.as_ref()),
                    product_series::description.eq(&series.description),
                    product_series::updated_at.eq(now),
                ))
                .execute(conn)?;
            if updated == 0 {
                return Err(ApiError::NotFound);
            }
            diesel::delete(product_series_models::table.filter(product_series_models::series_id.eq(id)))
                .execute(conn)?;
            id
        }
        None => diesel::insert_into(product_series::table)
            .values((
                product_series::maker_id.eq(series.maker),
                product_series::name.eq(series.name.as_ref()),
                product_series::description.eq(&series.description),
                product_series::created_at.eq(now),
                product_series::updated_at.eq(now),
            ))
            .returning(product_series::id)
            .get_result(conn)?,
    };
    for prefix in &series.prefixes {
        diesel::insert_into(product_series_models::table)
            .values((
                product_series_models::series_id.eq(id),
                product_series_models::model_prefix.eq(prefix),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// Add a series to a maker, with the model prefixes it covers (staff).
#[utoipa::path(
    tag = "products",
    request_body = SeriesRequest,
    responses(
        (status = 201, description = "Created", body = Series),
        (status = 403, description = "Only provider staff maintain the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The maker has a series of this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no such maker", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/products/series")]
pub async fn create_series(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<SeriesRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let series = validate_series(&body)?;
    let now = state.clock.now_naive();
    let page = db::transaction(&state.pool, move |conn| {
        let id = save_series(conn, None, &series, now)?;
        audit::record(
            conn,
            &catalog_event(&user, &client, format!("series {}", series.name)),
            now,
        )?;
        series_page(conn, Scope::AllOrganizations, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(page))
}

/// Replace a series' maker, name, description and model prefixes (staff).
#[utoipa::path(
    tag = "products",
    params(("id" = SeriesId, Path, description = "The series' id")),
    request_body = SeriesRequest,
    responses(
        (status = 200, description = "The series as it is now", body = Series),
        (status = 403, description = "Only provider staff maintain the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such series", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The maker has a series of this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no such maker", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/products/series/{id}")]
pub async fn replace_series(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SeriesId>,
    body: Json<SeriesRequest>,
) -> Result<web::Json<Series>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let series = validate_series(&body)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let page = db::transaction(&state.pool, move |conn| {
        save_series(conn, Some(id), &series, now)?;
        audit::record(
            conn,
            &catalog_event(&user, &client, format!("series {}", series.name)),
            now,
        )?;
        series_page(conn, Scope::AllOrganizations, id)
    })
    .await?;
    Ok(web::Json(page))
}

/// Delete a series with its entries and their files (staff). Its knowledge articles stay,
/// without a series.
#[utoipa::path(
    tag = "products",
    params(("id" = SeriesId, Path, description = "The series' id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only provider staff maintain the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such series", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/products/series/{id}")]
pub async fn delete_series(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SeriesId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let keys = db::transaction(&state.pool, move |conn| {
        let name: String = product_series::table
            .find(id)
            .select(product_series::name)
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        let keys: Vec<Option<String>> = product_entries::table
            .filter(product_entries::series_id.eq(id))
            .select(product_entries::storage_key)
            .load(conn)?;
        diesel::delete(product_series::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            &catalog_event(&user, &client, format!("series {name} deleted")),
            now,
        )?;
        Ok(keys.into_iter().flatten().collect::<Vec<_>>())
    })
    .await?;
    // After the commit: a file without a row is only garbage.
    for key in keys {
        if let Err(error) = state.storage.delete(&key).await {
            tracing::warn!(%key, %error, "a deleted catalog entry's file could not be removed");
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

/// What the entry form sends.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct EntryUpload {
    kind: EntryKind,
    #[schema(min_length = 1, max_length = 100)]
    title: String,
    /// Required for a shipping version.
    #[schema(max_length = 100)]
    version: Option<String>,
    #[schema(max_length = 2000)]
    note: Option<String>,
    #[schema(format = Date)]
    published_on: Option<String>,
    /// End of engineering (end of support: this or `eol_on` required).
    #[schema(format = Date)]
    eoe_on: Option<String>,
    /// End of life.
    #[schema(format = Date)]
    eol_on: Option<String>,
    /// A download or document kept elsewhere (https), instead of a file.
    #[schema(max_length = 2000)]
    link_url: Option<String>,
    /// A download or document's file, instead of a link.
    #[schema(value_type = Option<String>, format = Binary)]
    file: Option<Vec<u8>>,
}

/// An optional date field of a form: empty is none.
fn form_date(violations: &mut Violations, field: &str, text: &str) -> Option<Option<NaiveDate>> {
    match text.trim() {
        "" => Some(None),
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d").map(crate::domain::business_date) {
            Ok(Ok(date)) => Some(Some(date)),
            Ok(Err(reason)) => {
                violations.add(field, reason);
                None
            }
            Err(_) => {
                violations.add(
                    field,
                    Invalid::Format {
                        expected: "YYYY-MM-DD",
                    },
                );
                None
            }
        },
    }
}

/// An entry form's fields, each refusal named: a download or document is a file or a link
/// (not both), a shipping version has its version, an end-of-support notice a date.
fn validate_entry(
    upload: &uploads::Upload,
    series: SeriesId,
    now: chrono::NaiveDateTime,
) -> Result<NewEntry, ApiError> {
    let mut violations = Violations::default();
    let kind = match upload.text("kind").parse::<EntryKind>() {
        Ok(kind) => Some(kind),
        Err(_) => {
            let reason = if upload.text("kind").is_empty() {
                Invalid::Required
            } else {
                Invalid::NotAllowed
            };
            violations.add("kind", reason);
            None
        }
    };
    let title = violations.check("title", DisplayName::parse(upload.text("title")));
    let version = match upload.text("version").trim() {
        "" => Some(String::new()),
        text => violations
            .check("version", DisplayName::parse(text))
            .map(String::from),
    };
    let note = violations
        .check("note", crate::domain::comment(upload.text("note"), NOTE_MAX))
        .map(Option::unwrap_or_default);
    let published_on = form_date(&mut violations, "published_on", upload.text("published_on"));
    let eoe_on = form_date(&mut violations, "eoe_on", upload.text("eoe_on"));
    let eol_on = form_date(&mut violations, "eol_on", upload.text("eol_on"));
    let link_url = match upload.text("link_url").trim() {
        "" => Some(None),
        text if text.chars().count() <= 2000
            && (text.starts_with("https://") || text.starts_with("http://"))
            && !text.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Some(Some(text.to_owned()))
        }
        _ => {
            violations.add(
                "link_url",
                Invalid::Format {
                    expected: "an http(s) address",
                },
            );
            None
        }
    };
    let has_file = upload.file.is_some();
    let has_link = matches!(link_url, Some(Some(_)));
    match kind {
        Some(EntryKind::Download | EntryKind::Document) => {
            if has_file && has_link {
                violations.add("link_url", Invalid::NotAllowed);
            } else if !has_file && !has_link && link_url.is_some() {
                violations.add("file", Invalid::Required);
            }
        }
        Some(EntryKind::ShippingVersion | EntryKind::EndOfSupport) => {
            if has_file {
                violations.add("file", Invalid::NotAllowed);
            }
            if has_link {
                violations.add("link_url", Invalid::NotAllowed);
            }
        }
        None => {}
    }
    if kind == Some(EntryKind::ShippingVersion) && version.as_deref() == Some("") {
        violations.add("version", Invalid::Required);
    }
    if kind == Some(EntryKind::EndOfSupport) && eoe_on == Some(None) && eol_on == Some(None) {
        violations.add("eol_on", Invalid::Required);
    }
    if let (Some(Some(eoe)), Some(Some(eol))) = (eoe_on, eol_on)
        && eol < eoe
    {
        violations.add("eol_on", Invalid::EndsBeforeStart);
    }
    match (kind, title, version, note, published_on, eoe_on, eol_on, link_url) {
        (
            Some(kind),
            Some(title),
            Some(version),
            Some(note),
            Some(published_on),
            Some(eoe_on),
            Some(eol_on),
            Some(link_url),
        ) if violations.is_empty() => {
            let file = upload.file.as_ref();
            Ok(NewEntry {
                series_id: series,
                kind,
                title: title.to_string(),
                version,
                note,
                published_on,
                eoe_on,
                eol_on,
                link_url,
                file_name: file.map(|file| file.name.clone()),
                size_bytes: file.map(|file| i64::try_from(file.stored.size).unwrap_or(i64::MAX)),
                sha256: file.map(|file| file.stored.sha256.clone()),
                storage_key: file.map(|file| file.key.clone()),
                created_at: now,
            })
        }
        _ => Err(violations.into_error()),
    }
}

/// Add an entry to a series' page (staff): a download or document (a file of any kind, or
/// a link), a standard shipping version or an end-of-support notice. A file larger than
/// the configured limit → 413 and nothing is stored.
#[utoipa::path(
    tag = "products",
    params(("id" = SeriesId, Path, description = "The series' id")),
    request_body(content = EntryUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Added", body = ProductEntry),
        (status = 400, description = "A malformed or interrupted upload", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only provider staff maintain the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such series", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than allowed; nothing was stored", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart/form-data body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/products/series/{id}/entries")]
pub async fn add_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SeriesId>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let series = id.into_inner();
    let series_name: String = db::run(&state.pool, move |conn| {
        Ok(product_series::table
            .find(series)
            .select(product_series::name)
            .get_result(conn)
            .optional()?)
    })
    .await?
    .ok_or(ApiError::NotFound)?;
    let key = format!("products/{}", uuid::Uuid::new_v4());
    let upload = uploads::read(multipart, &state.storage, key, state.file_max_bytes, Accept::Any).await?;
    let now = state.clock.now_naive();
    let new = match validate_entry(&upload, series, now) {
        Ok(new) => new,
        Err(error) => {
            upload.discard(&state.storage).await;
            return Err(error);
        }
    };
    let saved = db::transaction(&state.pool, move |conn| {
        let entry: Entry = diesel::insert_into(product_entries::table)
            .values(&new)
            .returning(product_entries::all_columns)
            .get_result(conn)?;
        let note = format!("{series_name}: {} {}", entry.kind, entry.title);
        audit::record(conn, &catalog_event(&user, &client, note), now)?;
        Ok(entry_dto(entry))
    })
    .await;
    match saved {
        Ok(entry) => Ok(HttpResponse::Created().json(entry)),
        Err(error) => {
            upload.discard(&state.storage).await;
            Err(error)
        }
    }
}

/// Remove an entry and its file (staff).
#[utoipa::path(
    tag = "products",
    params(("id" = ProductEntryId, Path, description = "The entry's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Only provider staff maintain the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/products/entries/{id}")]
pub async fn delete_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ProductEntryId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let key = db::transaction(&state.pool, move |conn| {
        let entry: Entry = product_entries::table
            .find(id)
            .select(Entry::as_select())
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        diesel::delete(product_entries::table.find(id)).execute(conn)?;
        let note = format!("{} {} deleted", entry.kind, entry.title);
        audit::record(conn, &catalog_event(&user, &client, note), now)?;
        Ok(entry.storage_key)
    })
    .await?;
    if let Some(key) = key
        && let Err(error) = state.storage.delete(&key).await
    {
        tracing::warn!(%key, %error, "a deleted catalog entry's file could not be removed");
    }
    Ok(HttpResponse::NoContent().finish())
}
