//! `/documents` and `/contracts/{id}/documents`: staff upload PDFs to a contract; user
//! administrators, contract managers and staff search, read and download them (others:
//! 403). Downloads stream from storage with a `Content-Disposition` that keeps Japanese
//! file names (RFC 6266 `filename*`).

use actix_multipart::Multipart;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::documents::{Document as DocumentDto, DocumentPage};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Document, DocumentId, DocumentKind, NewDocument, QuoteState};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::contracts::ContractId;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, Invalid};
use crate::error::{ApiError, Violations};
use crate::listing::{self, Window, lower};
use crate::net::ClientInfo;
use crate::policy::{Permission, Scope};
use crate::schema::{contracts, documents};
use crate::storage::Accept;
use crate::uploads;

pub(super) fn routes(config: &mut ServiceConfig) {
    config
        .service(list_documents)
        .service(get_document)
        .service(download_document)
        .service(upload_document)
        .service(delete_document);
}

/// The documents (joined with their contract) a scope shows: the project scope applies,
/// and customers never see a cancelled contract's documents (as they never see the
/// contract).
macro_rules! visible_documents {
    ($scope:expr) => {{
        let scope: Scope = $scope;
        let query = documents::table.inner_join(contracts::table).into_boxed();
        let mut query =
            crate::scoped_contracts!(query, documents::contract_id, documents::organization_id, scope);
        if scope != Scope::AllOrganizations {
            query = query.filter(contracts::status.ne(crate::contracts::ContractStatus::Cancelled));
        }
        query
    }};
}
pub(super) use visible_documents;

pub(super) fn dto(document: Document, contract_number: String) -> DocumentDto {
    DocumentDto {
        id: document.id,
        contract_id: document.contract_id,
        contract_number,
        kind: document.kind,
        number: document.number,
        title: document.title,
        issued_on: document.issued_on,
        amount_yen: document.amount_yen,
        file_name: document.file_name,
        size_bytes: document.size_bytes,
        sha256: document.sha256,
        created_at: document.created_at.and_utc(),
        quote_state: document.quote_state,
        supersedes_id: document.supersedes_id,
        answered_at: document.answered_at.map(|at| at.and_utc()),
        answer_comment: document.answer_comment,
        order_document_id: document.order_document_id,
    }
}

pub(super) fn visible(
    conn: &mut DbConn,
    scope: Scope,
    id: DocumentId,
) -> Result<(Document, String), ApiError> {
    visible_documents!(scope)
        .filter(documents::id.eq(id))
        .select((Document::as_select(), contracts::contract_number))
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentFilter {
    pub contract_id: Option<ContractId>,
    pub kind: Option<DocumentKind>,
    /// Part of the document's number or title (case-insensitive).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Issued on or after.
    pub issued_from: Option<NaiveDate>,
    /// Issued on or before.
    pub issued_to: Option<NaiveDate>,
    #[param(minimum = 0)]
    pub amount_min: Option<i64>,
    #[param(minimum = 0)]
    pub amount_max: Option<i64>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Documents, newest issue first, by contract, kind, number or title, issue date and
/// amount.
#[utoipa::path(
    tag = "documents",
    params(DocumentFilter),
    responses(
        (status = 200, description = "A page of documents", body = DocumentPage),
        (status = 403, description = "Only user administrators, contract managers and staff see documents", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A filter out of range", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<DocumentFilter>,
) -> Result<web::Json<DocumentPage>, ApiError> {
    user.require(Permission::Documents)?;
    let filter = filter.into_inner();
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let mut violations = Violations::default();
    for (field, date) in [
        ("issued_from", filter.issued_from),
        ("issued_to", filter.issued_to),
    ] {
        if let Some(date) = date {
            violations.check(field, crate::domain::business_date(date));
        }
    }
    for (field, amount) in [
        ("amount_min", filter.amount_min),
        ("amount_max", filter.amount_max),
    ] {
        if amount.is_some_and(|amount| amount < 0) {
            violations.add(
                field,
                Invalid::Format {
                    expected: "0 or more yen",
                },
            );
        }
    }
    if let (Some(from), Some(to)) = (filter.issued_from, filter.issued_to)
        && to < from
    {
        violations.add("issued_to", Invalid::EndsBeforeStart);
    }
    if let (Some(min), Some(max)) = (filter.amount_min, filter.amount_max)
        && max < min
    {
        violations.add("amount_max", Invalid::EndsBeforeStart);
    }
    violations.finish()?;
    let scope = user.scope();
    let window = Window::new(filter.page, filter.per_page, 50, 200);
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = visible_documents!(scope);
            if let Some(contract) = filter.contract_id {
                query = query.filter(documents::contract_id.eq(contract));
            }
            if let Some(kind) = filter.kind {
                query = query.filter(documents::kind.eq(kind));
            }
            if let Some(from) = filter.issued_from {
                query = query.filter(documents::issued_on.ge(from));
            }
            if let Some(to) = filter.issued_to {
                query = query.filter(documents::issued_on.le(to));
            }
            if let Some(min) = filter.amount_min {
                query = query.filter(documents::amount_yen.ge(min));
            }
            if let Some(max) = filter.amount_max {
                query = query.filter(documents::amount_yen.le(max));
            }
            if let Some(pattern) = pattern.clone() {
                query = query.filter(
                    lower(documents::number)
                        .like(lower(pattern.clone()))
                        .escape('\\')
                        .or(lower(documents::title).like(lower(pattern)).escape('\\')),
                );
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(Document, String)> = query()
            .select((Document::as_select(), contracts::contract_number))
            .order((documents::issued_on.desc(), documents::id.desc()))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(DocumentPage {
            items: rows
                .into_iter()
                .map(|(document, number)| dto(document, number))
                .collect(),
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// One document's details.
#[utoipa::path(
    tag = "documents",
    params(("id" = DocumentId, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The document", body = DocumentDto),
        (status = 403, description = "Only user administrators, contract managers and staff see documents", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/documents/{id}")]
pub async fn get_document(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<DocumentId>,
) -> Result<web::Json<DocumentDto>, ApiError> {
    user.require(Permission::Documents)?;
    let (id, scope) = (id.into_inner(), user.scope());
    let (document, number) = db::run(&state.pool, move |conn| visible(conn, scope, id)).await?;
    Ok(web::Json(dto(document, number)))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadParams {
    /// `inline` shows the PDF in the browser (preview); the default saves it.
    pub disposition: Option<String>,
}

/// The document's PDF, streamed.
#[utoipa::path(
    tag = "documents",
    params(("id" = DocumentId, Path, description = "The document's id"), DownloadParams),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = PdfFile),
        (status = 403, description = "Only user administrators, contract managers and staff see documents", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/documents/{id}/file")]
pub async fn download_document(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<DocumentId>,
    params: web::Query<DownloadParams>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Documents)?;
    let (id, scope) = (id.into_inner(), user.scope());
    let (document, _) = db::run(&state.pool, move |conn| visible(conn, scope, id)).await?;
    let inline = params.disposition.as_deref() == Some("inline");
    uploads::download(
        &state.storage,
        &document.storage_key,
        &document.file_name,
        "application/pdf",
        inline,
    )
    .await
}

/// A PDF file's bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct PdfFile(Vec<u8>);

/// What the upload form sends.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    kind: DocumentKind,
    /// The document's own number.
    #[schema(min_length = 1, max_length = 100)]
    number: String,
    #[schema(min_length = 1, max_length = 100)]
    title: String,
    #[schema(format = Date)]
    issued_on: String,
    /// Yen, tax included (digits only).
    #[schema(pattern = "^[0-9]{0,15}$")]
    amount_yen: Option<String>,
    /// Quotes only: the quote this one answers (one whose customer asked for a re-quote).
    supersedes_id: Option<i64>,
    /// The PDF.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Upload a PDF document to a contract (staff). The content must be a PDF whatever its
/// name; larger than the configured limit → 413 and nothing is stored.
#[utoipa::path(
    tag = "documents",
    params(("id" = ContractId, Path, description = "The contract's id")),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = DocumentDto),
        (status = 400, description = "A malformed or interrupted upload", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only provider staff upload documents", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than allowed; nothing was stored", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart/form-data body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a file that is not a PDF", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/contracts/{id}/documents")]
pub async fn upload_document(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ContractId>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let contract_id = id.into_inner();
    let contract = db::run(&state.pool, move |conn| {
        Ok(contracts::table
            .find(contract_id)
            .select((contracts::organization_id, contracts::contract_number))
            .get_result::<(crate::organizations::OrganizationId, String)>(conn)
            .optional()?)
    })
    .await?
    .ok_or(ApiError::NotFound)?;
    let key = format!("documents/{}.pdf", uuid::Uuid::new_v4());
    let upload = uploads::read(
        multipart,
        &state.storage,
        key,
        state.document_max_bytes,
        Accept::Pdf,
    )
    .await?;
    let validated = validate(&upload);
    let (kind, number, title, issued_on, amount_yen, supersedes) = match validated {
        Ok(fields) => fields,
        Err(error) => {
            upload.discard(&state.storage).await;
            return Err(error);
        }
    };
    let Some(file) = upload.file.as_ref() else {
        return Err(ApiError::invalid("file", Invalid::Required));
    };
    let now = state.clock.now_naive();
    let new = NewDocument {
        organization_id: contract.0,
        contract_id,
        kind,
        number: number.to_string(),
        title: title.to_string(),
        issued_on,
        amount_yen,
        file_name: file.name.clone(),
        size_bytes: i64::try_from(file.stored.size).unwrap_or(i64::MAX),
        sha256: file.stored.sha256.clone(),
        storage_key: file.key.clone(),
        uploaded_by: Some(user.id()),
        created_at: now,
        quote_state: (kind == DocumentKind::Quote).then_some(QuoteState::Unanswered),
        supersedes_id: supersedes,
    };
    let contract_number = contract.1;
    let public_url = state.public_url.clone();
    let saved = db::transaction(&state.pool, move |conn| {
        if let Some(old) = supersedes {
            super::quotes::supersede(conn, old, contract_id)?;
        }
        let document: Document = diesel::insert_into(documents::table)
            .values(&new)
            .returning(documents::all_columns)
            .get_result(conn)?;
        if document.kind == DocumentKind::Quote {
            super::quotes::notify_issued(conn, &document, &contract_number, &public_url, now)?;
        }
        audit::record(
            conn,
            &audit::Event::new(AuditAction::DocumentUploaded, &client)
                .organization(Some(document.organization_id))
                .actor(Some(user.id()))
                .detail(json!({
                    "contract_number": contract_number,
                    "kind": document.kind,
                    "number": document.number,
                    "file_name": document.file_name,
                })),
            now,
        )?;
        Ok(dto(document, contract_number))
    })
    .await;
    match saved {
        Ok(document) => Ok(HttpResponse::Created().json(document)),
        Err(error) => {
            upload.discard(&state.storage).await;
            Err(error)
        }
    }
}

type DocumentFields = (
    DocumentKind,
    DisplayName,
    DisplayName,
    NaiveDate,
    Option<i64>,
    Option<DocumentId>,
);

/// The text fields of an upload, each refusal named; the file must be there.
fn validate(upload: &uploads::Upload) -> Result<DocumentFields, ApiError> {
    let mut violations = Violations::default();
    let kind = match upload.text("kind").parse::<DocumentKind>() {
        Ok(kind) => Some(kind),
        Err(_) if upload.text("kind").is_empty() => {
            violations.add("kind", Invalid::Required);
            None
        }
        Err(_) => {
            violations.add("kind", Invalid::NotAllowed);
            None
        }
    };
    let number = violations.check("number", DisplayName::parse(upload.text("number")));
    let title = violations.check("title", DisplayName::parse(upload.text("title")));
    let issued_on = match upload.text("issued_on").trim() {
        "" => {
            violations.add("issued_on", Invalid::Required);
            None
        }
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d").map(crate::domain::business_date) {
            Ok(Ok(date)) => Some(date),
            Ok(Err(reason)) => {
                violations.add("issued_on", reason);
                None
            }
            Err(_) => {
                violations.add(
                    "issued_on",
                    Invalid::Format {
                        expected: "YYYY-MM-DD",
                    },
                );
                None
            }
        },
    };
    let amount = match upload.text("amount_yen").trim() {
        "" => Some(None),
        text if text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse::<i64>().ok().map(Some)
        }
        _ => {
            violations.add(
                "amount_yen",
                Invalid::Format {
                    expected: "digits (yen)",
                },
            );
            None
        }
    };
    let supersedes = match upload.text("supersedes_id").trim() {
        "" => Some(None),
        _ if kind != Some(DocumentKind::Quote) => {
            violations.add("supersedes_id", Invalid::NotAllowed);
            None
        }
        text => match text.parse::<i64>() {
            Ok(id) => Some(Some(DocumentId(id))),
            Err(_) => {
                violations.add("supersedes_id", Invalid::WrongType);
                None
            }
        },
    };
    if upload.file.is_none() {
        violations.add("file", Invalid::Required);
    }
    match (kind, number, title, issued_on, amount, supersedes) {
        (Some(kind), Some(number), Some(title), Some(issued_on), Some(amount), Some(supersedes))
            if violations.is_empty() =>
        {
            Ok((kind, number, title, issued_on, amount, supersedes))
        }
        _ => Err(violations.into_error()),
    }
}

/// Delete a document and its file (staff).
#[utoipa::path(
    tag = "documents",
    params(("id" = DocumentId, Path, description = "The document's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only provider staff delete documents", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/documents/{id}")]
pub async fn delete_document(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<DocumentId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let key = db::transaction(&state.pool, move |conn| {
        let (document, contract_number) = visible(conn, Scope::AllOrganizations, id)?;
        diesel::delete(documents::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::DocumentDeleted, &client)
                .organization(Some(document.organization_id))
                .actor(Some(user.id()))
                .detail(json!({"contract_number": contract_number, "number": document.number})),
            now,
        )?;
        Ok(document.storage_key)
    })
    .await?;
    // After the commit: a file without a row is only garbage; a row without its file
    // would be a broken download.
    if let Err(error) = state.storage.delete(&key).await {
        tracing::warn!(%key, %error, "a deleted document's file could not be removed");
    }
    Ok(HttpResponse::NoContent().finish())
}
