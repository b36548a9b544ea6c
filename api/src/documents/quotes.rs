//! Renewal quotes (SPEC §4, seed 001 "発注・再見積依頼"): a quote is unanswered until the
//! customer orders it (one action, a purchase-order PDF required as evidence) or asks for a
//! re-quote with a comment; staff answer a re-quote with a new quote that supersedes the
//! old one. Each step notifies the organization's contract contacts and staff through the
//! outbox in the same transaction, and is audited. `GET /home` lists what waits.

use actix_multipart::Multipart;
use actix_web::{get, post, web};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{AccountStatus, AuditAction, Role};
use madoguchi_types::contracts::{ContractStatus, ContractSummary};
use madoguchi_types::documents::{COMMENT_MAX, Document as DocumentDto, Home, RequoteRequest};
use serde::Serialize;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::routes::{dto, visible};
use super::{Document, DocumentId, DocumentKind, NewDocument, QuoteState};
use crate::accounts::Account;
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::contracts::{Contract, ContractId};
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::ApiError;
use crate::json::Json;
use crate::mail::{self, templates::MailTemplate};
use crate::net::ClientInfo;
use crate::organizations::{Organization, OrganizationId};
use crate::policy::{Permission, Scope};
use crate::schema::{accounts, contracts, documents, organizations, project_contracts, project_members};
use crate::storage::Accept;
use crate::uploads;

pub(super) fn routes(config: &mut ServiceConfig) {
    config.service(order_quote).service(request_requote).service(home);
}

/// Contracts ending within this many days show on the home screen.
const ENDING_SOON_DAYS: i64 = 90;

#[derive(Serialize)]
struct QuoteMail<'a> {
    /// `issued`, `ordered` or `requote_requested`.
    event: &'a str,
    contract_number: &'a str,
    number: &'a str,
    title: &'a str,
    comment: Option<&'a str>,
    url: &'a str,
}
impl MailTemplate for QuoteMail<'_> {
    const NAME: &'static str = "quote";
}

/// The organization's contract contacts for a contract: active user administrators and
/// contract managers who see it (in no project group, or in one of a project holding it).
fn contract_contacts(
    conn: &mut DbConn,
    organization: OrganizationId,
    contract: ContractId,
) -> QueryResult<Vec<Account>> {
    let in_a_group = project_members::table
        .filter(project_members::account_id.eq(accounts::id))
        .select(project_members::account_id);
    let in_a_project_with_it = project_members::table
        .inner_join(
            project_contracts::table.on(project_contracts::project_id.eq(project_members::project_id)),
        )
        .filter(project_members::account_id.eq(accounts::id))
        .filter(project_contracts::contract_id.eq(contract))
        .select(project_members::account_id);
    accounts::table
        .filter(accounts::organization_id.eq(organization))
        .filter(accounts::role.eq_any([Role::UserAdmin, Role::ContractManager]))
        .filter(accounts::status.eq(AccountStatus::Active))
        .filter(
            diesel::dsl::not(diesel::dsl::exists(in_a_group)).or(diesel::dsl::exists(in_a_project_with_it)),
        )
        .select(Account::as_select())
        .load(conn)
}

fn active_staff(conn: &mut DbConn) -> QueryResult<Vec<Account>> {
    accounts::table
        .filter(accounts::role.eq(Role::Staff))
        .filter(accounts::status.eq(AccountStatus::Active))
        .select(Account::as_select())
        .load(conn)
}

/// Queues the mail about `quote` to the contract contacts (and to staff unless it is staff
/// who acted: a new quote).
fn notify(
    conn: &mut DbConn,
    quote: &Document,
    event: &str,
    contract_number: &str,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let mut recipients = contract_contacts(conn, quote.organization_id, quote.contract_id)?;
    if event != "issued" {
        recipients.extend(active_staff(conn)?);
    }
    let url = format!("{public_url}/contracts/{}", quote.contract_id);
    let mail = QuoteMail {
        event,
        contract_number,
        number: &quote.number,
        title: &quote.title,
        comment: quote.answer_comment.as_deref(),
        url: &url,
    };
    for account in &recipients {
        mail::notify(conn, account, &mail, now)?;
    }
    Ok(())
}

/// A new quote was uploaded: its customer's contacts hear of it.
pub(super) fn notify_issued(
    conn: &mut DbConn,
    quote: &Document,
    contract_number: &str,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    notify(conn, quote, "issued", contract_number, public_url, now)
}

/// Marks the quote a new one answers as superseded; it must be a quote of the same contract
/// whose customer asked for a re-quote.
pub(super) fn supersede(conn: &mut DbConn, old: DocumentId, contract: ContractId) -> Result<(), ApiError> {
    let updated = diesel::update(
        documents::table
            .find(old)
            .filter(documents::contract_id.eq(contract))
            .filter(documents::kind.eq(DocumentKind::Quote))
            .filter(documents::quote_state.eq(QuoteState::RequoteRequested)),
    )
    .set(documents::quote_state.eq(QuoteState::Superseded))
    .execute(conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(ApiError::invalid("supersedes_id", Invalid::NotAllowed))
    }
}

/// The quote, if the caller sees it and it is still unanswered (else 409 naming its state).
fn unanswered(conn: &mut DbConn, scope: Scope, id: DocumentId) -> Result<(Document, String), ApiError> {
    let (quote, contract_number) = visible(conn, scope, id)?;
    match quote.quote_state {
        Some(QuoteState::Unanswered) => Ok((quote, contract_number)),
        Some(state) => Err(ApiError::QuoteAnswered(state)),
        None => Err(ApiError::NotFound),
    }
}

/// The 409 for a quote someone else answered between our check and our update, naming
/// the state it is in now.
fn answered_meanwhile(conn: &mut DbConn, id: DocumentId) -> ApiError {
    let state: Option<Option<QuoteState>> = documents::table
        .find(id)
        .select(documents::quote_state)
        .get_result(conn)
        .optional()
        .unwrap_or(None);
    ApiError::QuoteAnswered(state.flatten().unwrap_or(QuoteState::Ordered))
}

/// Moves an unanswered quote to `state`; `false` when someone answered it first.
fn answer(
    conn: &mut DbConn,
    quote: DocumentId,
    state: QuoteState,
    by: crate::accounts::AccountId,
    comment: Option<&str>,
    order: Option<DocumentId>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        documents::table
            .find(quote)
            .filter(documents::quote_state.eq(QuoteState::Unanswered)),
    )
    .set((
        documents::quote_state.eq(state),
        documents::answered_at.eq(now),
        documents::answered_by.eq(by),
        documents::answer_comment.eq(comment),
        documents::order_document_id.eq(order),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The purchase order's form.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct OrderUpload {
    /// A note for the order (optional).
    #[schema(max_length = 2000)]
    comment: Option<String>,
    /// The purchase order (注文書), a PDF.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Order a quote (発注): one action with the purchase-order PDF as evidence (required). The
/// purchase order is kept as a document of the contract; the contract contacts and staff
/// are notified.
#[utoipa::path(
    tag = "documents",
    params(("id" = DocumentId, Path, description = "The quote's id")),
    request_body(content = OrderUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The quote, now ordered", body = DocumentDto),
        (status = 400, description = "A malformed or interrupted upload", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only user administrators, contract managers and staff answer quotes", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such quote, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The quote is answered already", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The purchase order is larger than allowed", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart/form-data body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purchase order, or one that is not a PDF", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/documents/{id}/order")]
pub async fn order_quote(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<DocumentId>,
    multipart: Multipart,
) -> Result<web::Json<DocumentDto>, ApiError> {
    user.require(Permission::Documents)?;
    let (id, scope) = (id.into_inner(), user.scope());
    // Refuse an answered or invisible quote before taking the file.
    db::run(&state.pool, move |conn| unanswered(conn, scope, id).map(|_| ())).await?;
    let key = format!("documents/{}.pdf", uuid::Uuid::new_v4());
    let upload = uploads::read(
        multipart,
        &state.storage,
        key,
        state.document_max_bytes,
        Accept::Pdf,
    )
    .await?;
    let comment = crate::domain::comment(upload.text("comment"), COMMENT_MAX);
    let comment = match (upload.file.is_some(), comment) {
        (true, Ok(comment)) => comment,
        (false, _) => {
            upload.discard(&state.storage).await;
            return Err(ApiError::invalid("file", Invalid::Required));
        }
        (true, Err(reason)) => {
            upload.discard(&state.storage).await;
            return Err(ApiError::invalid("comment", reason));
        }
    };
    let Some(file) = upload.file.as_ref() else {
        return Err(ApiError::invalid("file", Invalid::Required));
    };
    let (now, today) = (state.clock.now_naive(), state.clock.today());
    let (file_name, size, sha256, storage_key) = (
        file.name.clone(),
        i64::try_from(file.stored.size).unwrap_or(i64::MAX),
        file.stored.sha256.clone(),
        file.key.clone(),
    );
    let public_url = state.public_url.clone();
    let actor = user.id();
    let ordered = db::transaction(&state.pool, move |conn| {
        let (quote, contract_number) = unanswered(conn, scope, id)?;
        let order: Document = diesel::insert_into(documents::table)
            .values(&NewDocument {
                organization_id: quote.organization_id,
                contract_id: quote.contract_id,
                kind: DocumentKind::PurchaseOrder,
                number: format!("{}-PO", quote.number),
                title: quote.title.clone(),
                issued_on: today,
                amount_yen: quote.amount_yen,
                file_name,
                size_bytes: size,
                sha256,
                storage_key,
                uploaded_by: Some(actor),
                created_at: now,
                quote_state: None,
                supersedes_id: None,
            })
            .returning(documents::all_columns)
            .get_result(conn)?;
        if !answer(conn, id, QuoteState::Ordered, actor, comment.as_deref(), Some(order.id), now)? {
            return Err(answered_meanwhile(conn, id));
        }
        let (quote, _) = visible(conn, Scope::AllOrganizations, quote.id)?;
        notify(conn, &quote, "ordered", &contract_number, &public_url, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::QuoteOrdered, &client)
                .organization(Some(quote.organization_id))
                .actor(Some(actor))
                .detail(json!({"contract_number": contract_number, "number": quote.number, "order": order.number})),
            now,
        )?;
        Ok(dto(quote, contract_number))
    })
    .await;
    match ordered {
        Ok(quote) => Ok(web::Json(quote)),
        Err(error) => {
            upload.discard(&state.storage).await;
            Err(error)
        }
    }
}

/// Ask for a re-quote (再見積依頼) with a comment; staff answer with a new quote.
#[utoipa::path(
    tag = "documents",
    params(("id" = DocumentId, Path, description = "The quote's id")),
    request_body = RequoteRequest,
    responses(
        (status = 200, description = "The quote, now waiting for a new version", body = DocumentDto),
        (status = 403, description = "Only user administrators, contract managers and staff answer quotes", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such quote, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The quote is answered already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No comment, or one too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/documents/{id}/requote")]
pub async fn request_requote(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<DocumentId>,
    body: Json<RequoteRequest>,
) -> Result<web::Json<DocumentDto>, ApiError> {
    user.require(Permission::Documents)?;
    let comment = crate::domain::comment(&body.comment, COMMENT_MAX)
        .map_err(|reason| ApiError::invalid("comment", reason))?
        .ok_or_else(|| ApiError::invalid("comment", Invalid::Required))?;
    let (id, scope, now, actor) = (id.into_inner(), user.scope(), state.clock.now_naive(), user.id());
    let public_url = state.public_url.clone();
    let quote = db::transaction(&state.pool, move |conn| {
        let (quote, contract_number) = unanswered(conn, scope, id)?;
        if !answer(
            conn,
            id,
            QuoteState::RequoteRequested,
            actor,
            Some(&comment),
            None,
            now,
        )? {
            return Err(answered_meanwhile(conn, id));
        }
        let (quote, _) = visible(conn, Scope::AllOrganizations, quote.id)?;
        notify(
            conn,
            &quote,
            "requote_requested",
            &contract_number,
            &public_url,
            now,
        )?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::RequoteRequested, &client)
                .organization(Some(quote.organization_id))
                .actor(Some(actor))
                .detail(json!({"contract_number": contract_number, "number": quote.number})),
            now,
        )?;
        Ok(dto(quote, contract_number))
    })
    .await?;
    Ok(web::Json(quote))
}

/// Active contracts the scope shows ending within [`ENDING_SOON_DAYS`] of `today`.
pub fn contracts_ending(
    conn: &mut DbConn,
    scope: Scope,
    today: NaiveDate,
) -> QueryResult<Vec<ContractSummary>> {
    let mut query = contracts::table.inner_join(organizations::table).into_boxed();
    query = crate::scoped_contracts!(query, contracts::id, contracts::organization_id, scope);
    let rows: Vec<(Contract, Organization)> = query
        .filter(contracts::status.eq(ContractStatus::Active))
        .filter(contracts::ends_on.ge(today))
        .filter(contracts::ends_on.le(today + TimeDelta::days(ENDING_SOON_DAYS)))
        .order((contracts::ends_on.asc(), contracts::contract_number.asc()))
        .limit(50)
        .select((Contract::as_select(), Organization::as_select()))
        .load(conn)?;
    crate::contracts::summaries(conn, rows, today)
}

/// What waits for the caller: unanswered quotes (roles that see documents) and contracts
/// ending within 90 days.
#[utoipa::path(
    tag = "documents",
    responses((status = 200, description = "The home screen's lists", body = Home)),
    security(("bearer" = []))
)]
#[get("/home")]
pub async fn home(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Home>, ApiError> {
    let (scope, today) = (user.scope(), state.clock.today());
    let documents = user.can(Permission::Documents);
    let home = db::run(&state.pool, move |conn| {
        let unanswered_quotes = if documents {
            super::routes::visible_documents!(scope)
                .filter(documents::quote_state.eq(QuoteState::Unanswered))
                .order((documents::created_at.asc(), documents::id.asc()))
                .limit(50)
                .select((Document::as_select(), contracts::contract_number))
                .load::<(Document, String)>(conn)?
                .into_iter()
                .map(|(document, number)| dto(document, number))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Home {
            unanswered_quotes,
            contracts_ending: contracts_ending(conn, scope, today)?,
        })
    })
    .await?;
    Ok(web::Json(home))
}
