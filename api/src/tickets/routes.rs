//! `/tickets`: list, file, read and answer tickets; change their status and assignee with
//! optimistic concurrency (`If-Match`); download their attachments (`Range` supported).

use actix_web::http::header::{ETAG, IF_MATCH};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use madoguchi_types::Problem;
use madoguchi_types::tickets::{
    ATTACHMENTS_MAX, BODY_MAX, CC_MAX, OTHER_PRODUCT, ProgressRequest, ReplyRequest, SUBJECT_MAX, Ticket,
    TicketChange, TicketPage, TicketPerson, TicketProduct, TicketRequest, UNKNOWN, parse_ticket_number,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::notify::{self, Occasion};
use super::{
    AttachmentRow, FileToAttach, NewEvent, TicketAttachmentId, TicketCategory, TicketChannel,
    TicketEventKind, TicketId, TicketKind, TicketRow, TicketStatus, append, attach, detail, find_visible,
    summaries, touch, visible_tickets,
};
use crate::accounts::{self, AccountId, AccountStatus, Role};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::contracts::{ContractId, ContractStatus};
use crate::db::{self, DbConn};
use crate::domain::{EmailAddress, Invalid};
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::listing::Window;
use crate::organizations::OrganizationId;
use crate::policy::{Permission, Scope};
use crate::resumable;
use crate::schema::{accounts as accounts_table, contract_equipment, contracts, ticket_attachments, tickets};
use crate::search::{self, TICKETS};
use crate::uploads;

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_tickets)
        .service(ticket_products)
        .service(list_assignees)
        .service(create_ticket)
        .service(get_ticket)
        .service(change_ticket)
        .service(reply_to_ticket)
        .service(post_progress)
        .service(download_ticket_attachment)
        .service(super::inbound::receive_mail);
}

/// `text` trimmed, required, at most `max` characters, one line without control characters.
fn line(violations: &mut Violations, field: &str, text: &str, max: usize, required: bool) -> String {
    let value = text.trim();
    if value.is_empty() {
        if required {
            violations.add(field, Invalid::Required);
        }
        return String::new();
    }
    if value.chars().count() > max {
        violations.add(field, Invalid::TooLong { max });
    } else if value.chars().any(crate::domain::is_unprintable) {
        violations.add(
            field,
            Invalid::Format {
                expected: "no control characters",
            },
        );
    }
    value.to_owned()
}

/// Text of several lines: required, at most [`BODY_MAX`] characters.
fn body_text(violations: &mut Violations, field: &str, text: &str) -> String {
    violations
        .check(field, crate::domain::required_text(text, BODY_MAX))
        .unwrap_or_default()
}

/// The CC field: addresses separated by commas (spaces around them allowed), each a valid
/// address; the first bad one is named. Stored lower-case, without duplicates.
pub fn cc_addresses(raw: &str) -> Result<Vec<EmailAddress>, Invalid> {
    let mut addresses: Vec<EmailAddress> = Vec::new();
    if raw.trim().is_empty() {
        return Ok(addresses);
    }
    for part in raw.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let address = EmailAddress::parse(part).map_err(|_| Invalid::BadAddress {
            address: part.chars().take(100).collect(),
        })?;
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    if addresses.len() > CC_MAX {
        return Err(Invalid::TooMany { max: CC_MAX });
    }
    Ok(addresses)
}

/// A ticket as checked, before the checks that need the database.
struct ValidTicket {
    kind: TicketKind,
    product: String,
    subject: String,
    contract_number: String,
    serial_number: String,
    model: String,
    os_version: String,
    cc: Vec<EmailAddress>,
    category: TicketCategory,
    body: String,
}

fn validate(request: &TicketRequest) -> Result<ValidTicket, ApiError> {
    let mut violations = Violations::default();
    let product = line(&mut violations, "product", &request.product, 200, true);
    let subject = line(&mut violations, "subject", &request.subject, SUBJECT_MAX, true);
    let contract_number = line(
        &mut violations,
        "contract_number",
        &request.contract_number,
        20,
        true,
    );
    let serial_number = line(&mut violations, "serial_number", &request.serial_number, 60, true);
    let model = line(&mut violations, "model", &request.model, 100, false);
    let os_version = line(&mut violations, "os_version", &request.os_version, 60, false);
    let cc = violations
        .check("cc", cc_addresses(&request.cc))
        .unwrap_or_default();
    let body = body_text(&mut violations, "body", &request.body);
    if request.attachments.len() > ATTACHMENTS_MAX {
        violations.add("attachments", Invalid::TooMany { max: ATTACHMENTS_MAX });
    }
    // Seed 004 ⑤: either may be 不明, not both.
    if contract_number == UNKNOWN && serial_number == UNKNOWN {
        violations.add("contract_number", Invalid::BothUnknown);
        violations.add("serial_number", Invalid::BothUnknown);
    }
    violations.finish()?;
    Ok(ValidTicket {
        kind: request.kind,
        product,
        subject,
        contract_number,
        serial_number,
        model,
        os_version,
        cc,
        category: request.category,
        body,
    })
}

/// The equipment on the non-cancelled contracts a scope shows, as ticket products.
fn products_of(conn: &mut DbConn, scope: Scope) -> QueryResult<Vec<TicketProduct>> {
    let query = contract_equipment::table
        .inner_join(contracts::table)
        .filter(contracts::status.ne(ContractStatus::Cancelled))
        .into_boxed();
    let rows: Vec<(String, String, String, String, String)> =
        crate::scoped_contracts!(query, contracts::id, contracts::organization_id, scope)
            .select((
                contract_equipment::maker,
                contract_equipment::model,
                contract_equipment::serial_number,
                contract_equipment::os_version,
                contracts::contract_number,
            ))
            .order((
                contract_equipment::maker,
                contract_equipment::model,
                contract_equipment::position,
            ))
            .limit(1000)
            .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(maker, model, serial_number, os_version, contract_number)| TicketProduct {
                product: format!("{maker} {model}").trim().to_owned(),
                maker,
                model,
                serial_number,
                os_version,
                contract_number,
            },
        )
        .collect())
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Staff: whose equipment (required for staff, who see every organization).
    pub organization_id: Option<OrganizationId>,
}

/// The products the caller may open a ticket about: equipment on the contracts it sees
/// (pick one to fill in model, serial number, OS version and contract number).
#[utoipa::path(
    tag = "tickets",
    params(ProductFilter),
    responses((status = 200, description = "Equipment, by maker and model", body = Vec<TicketProduct>)),
    security(("bearer" = []))
)]
#[get("/ticket-products")]
pub async fn ticket_products(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<ProductFilter>,
) -> Result<web::Json<Vec<TicketProduct>>, ApiError> {
    user.require(Permission::Tickets)?;
    let scope = user.scope();
    let asked = filter.organization_id;
    let products = db::run(&state.pool, move |conn| {
        if scope == Scope::AllOrganizations && asked.is_none() {
            return Ok(Vec::new());
        }
        Ok(products_of(conn, scope.narrowed_to(asked))?)
    })
    .await?;
    Ok(web::Json(products))
}

/// Provider staff a ticket can be assigned to (staff only).
#[utoipa::path(
    tag = "tickets",
    responses(
        (status = 200, description = "Active staff accounts by name", body = Vec<TicketPerson>),
        (status = 403, description = "Only provider staff assign tickets", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/ticket-assignees")]
pub async fn list_assignees(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<TicketPerson>>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let people = db::run(&state.pool, move |conn| {
        let rows: Vec<(AccountId, String)> = accounts_table::table
            .filter(accounts_table::role.eq(Role::Staff))
            .filter(accounts_table::status.eq(AccountStatus::Active))
            .order((accounts_table::full_name, accounts_table::id))
            .select((accounts_table::id, accounts_table::full_name))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| TicketPerson {
                account_id: Some(id),
                name,
                staff: true,
            })
            .collect())
    })
    .await?;
    Ok(web::Json(people))
}

/// Which tickets a list shows.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketTab {
    /// New, open, in progress or waiting for the customer (the オープン tab).
    #[default]
    Open,
    All,
}

#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketSort {
    #[default]
    UpdatedDesc,
    UpdatedAsc,
    CreatedDesc,
    CreatedAsc,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketFilter {
    #[param(inline)]
    pub tab: Option<TicketTab>,
    pub status: Option<TicketStatus>,
    pub kind: Option<TicketKind>,
    pub category: Option<TicketCategory>,
    /// Exactly this product (`maker model`).
    #[param(max_length = 200)]
    pub product: Option<String>,
    pub contract_id: Option<ContractId>,
    /// Staff: one organization's tickets.
    pub organization_id: Option<OrganizationId>,
    /// Staff: the tickets assigned to this staff account.
    pub assignee_id: Option<AccountId>,
    /// Staff: only tickets nobody is assigned to.
    pub unassigned: Option<bool>,
    /// Filed on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Filed on or before this day (UTC).
    pub to: Option<NaiveDate>,
    /// Terms separated by spaces, each found in the subject or body (any substring,
    /// Japanese included), or a ticket id `T-000123`.
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[param(inline)]
    pub sort: Option<TicketSort>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

fn day_start(day: NaiveDate) -> Result<NaiveDateTime, Invalid> {
    Ok(crate::domain::business_date(day)?.and_time(chrono::NaiveTime::MIN))
}

/// List the tickets the caller sees: the open ones by default.
#[utoipa::path(
    tag = "tickets",
    params(TicketFilter),
    responses(
        (status = 200, description = "A page of tickets", body = TicketPage),
        (status = 422, description = "A bad date range or search", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/tickets")]
pub async fn list_tickets(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<TicketFilter>,
) -> Result<web::Json<TicketPage>, ApiError> {
    user.require(Permission::Tickets)?;
    let filter = filter.into_inner();
    let mut violations = Violations::default();
    let from = filter
        .from
        .and_then(|day| violations.check("from", day_start(day)));
    let to = filter.to.and_then(|day| violations.check("to", day_start(day)));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        violations.add("to", Invalid::EndsBeforeStart);
    }
    // The product as tickets store it: a line of at most 200 characters.
    if let Some(product) = filter.product.as_deref() {
        line(&mut violations, "product", product, 200, false);
    }
    violations.finish()?;
    let number = filter.q.as_deref().and_then(parse_ticket_number);
    let terms = if number.is_some() {
        Vec::new()
    } else {
        search::terms(filter.q.as_deref())?
    };
    let staff = user.role() == Role::Staff;
    let scope = user.scope().narrowed_to(filter.organization_id);
    let backend = state.backend;
    let window = Window::new(filter.page, filter.per_page, 20, 100);
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = visible_tickets!(scope);
            match (filter.status, filter.tab.unwrap_or_default()) {
                (Some(status), _) => query = query.filter(tickets::status.eq(status)),
                (None, TicketTab::Open) => query = query.filter(tickets::status.eq_any(TicketStatus::OPEN)),
                (None, TicketTab::All) => {}
            }
            if let Some(kind) = filter.kind {
                query = query.filter(tickets::kind.eq(kind));
            }
            if let Some(category) = filter.category {
                query = query.filter(tickets::category.eq(category));
            }
            if let Some(product) = filter.product.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                query = query.filter(tickets::product.eq(product.to_owned()));
            }
            if let Some(contract) = filter.contract_id {
                query = query.filter(tickets::contract_id.eq(contract));
            }
            if staff {
                if let Some(assignee) = filter.assignee_id {
                    query = query.filter(tickets::assignee_id.eq(assignee));
                }
                if filter.unassigned == Some(true) {
                    query = query.filter(tickets::assignee_id.is_null());
                }
            }
            if let Some(from) = from {
                query = query.filter(tickets::created_at.ge(from));
            }
            if let Some(to) = to {
                query = query.filter(tickets::created_at.lt(to + chrono::TimeDelta::days(1)));
            }
            if let Some(id) = number {
                query = query.filter(tickets::id.eq(id));
            }
            for term in &terms {
                let (before, bound, after) = search::term_condition(backend, &TICKETS, term);
                query = query.filter(sql::<Bool>(&before).bind::<Text, _>(bound).sql(after));
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let ordered = match filter.sort.unwrap_or_default() {
            TicketSort::UpdatedDesc => query().order((tickets::updated_at.desc(), tickets::id.desc())),
            TicketSort::UpdatedAsc => query().order((tickets::updated_at.asc(), tickets::id.asc())),
            TicketSort::CreatedDesc => query().order(tickets::id.desc()),
            TicketSort::CreatedAsc => query().order(tickets::id.asc()),
        };
        let rows: Vec<TicketRow> = ordered
            .select(TicketRow::as_select())
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(TicketPage {
            items: summaries(conn, rows)?,
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// The ticket answer: the body and its version as a strong `ETag`.
fn ticket_answer(mut builder: actix_web::HttpResponseBuilder, ticket: &Ticket) -> HttpResponse {
    builder
        .insert_header((ETAG, format!("\"{}\"", ticket.version)))
        .insert_header(("Cache-Control", "private, no-store"))
        .json(ticket)
}

/// The reporter of a new ticket: the caller, or for staff the customer account named.
fn reporter_of(
    conn: &mut DbConn,
    user: &AuthUser,
    request: &TicketRequest,
) -> Result<(AccountId, OrganizationId, TicketChannel), ApiError> {
    if user.role() != Role::Staff {
        if request.reporter_id.is_some() {
            return Err(ApiError::invalid("reporter_id", Invalid::NotAllowed));
        }
        if request
            .channel
            .is_some_and(|channel| channel != TicketChannel::Web)
        {
            return Err(ApiError::invalid("channel", Invalid::NotAllowed));
        }
        let organization = user.organization_id().ok_or(ApiError::Forbidden)?;
        return Ok((user.id(), organization, TicketChannel::Web));
    }
    let reporter = request
        .reporter_id
        .ok_or_else(|| ApiError::invalid("reporter_id", Invalid::Required))?;
    let account = accounts::find(conn, reporter)?
        .filter(|account| account.role != Role::Staff && account.status == AccountStatus::Active)
        .ok_or_else(|| ApiError::invalid("reporter_id", Invalid::UnknownAccount))?;
    let organization = account
        .organization_id
        .ok_or_else(|| ApiError::invalid("reporter_id", Invalid::UnknownAccount))?;
    Ok((
        reporter,
        organization,
        request.channel.unwrap_or(TicketChannel::Phone),
    ))
}

/// File a ticket. Contract and serial number may be `不明`, not both; the product is one
/// of `GET /ticket-products` or `その他`; every CC address must be valid (the first bad
/// one is named). The reporter and the CC list are mailed.
#[utoipa::path(
    tag = "tickets",
    request_body = TicketRequest,
    responses(
        (status = 201, description = "Filed: `number` is its id (T-000123)", body = Ticket,
            headers(("ETag" = String, description = "The ticket's version"))),
        (status = 422, description = "Invalid fields: both numbers unknown, a bad CC address, a product or contract the caller does not have, an upload that is not complete", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/tickets")]
pub async fn create_ticket(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<TicketRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Tickets)?;
    let request = body.into_inner();
    let valid = validate(&request)?;
    let now = state.clock.now_naive();
    let public_url = state.public_url.clone();
    let ticket = db::transaction(&state.pool, move |conn| {
        let (reporter, organization, channel) = reporter_of(conn, &user, &request)?;
        // The contract and product must be among those the reporter's side sees: the
        // caller's scope, or (staff recording for a customer) the reporter's organization.
        let scope = match user.scope() {
            Scope::AllOrganizations => Scope::Organization(organization),
            scope => scope,
        };
        let mut violations = Violations::default();
        let contract_id = if valid.contract_number == UNKNOWN {
            None
        } else {
            let query = contracts::table
                .filter(contracts::contract_number.eq(valid.contract_number.to_ascii_uppercase()))
                .filter(contracts::status.ne(ContractStatus::Cancelled))
                .select(contracts::id)
                .into_boxed();
            let found: Option<ContractId> =
                crate::scoped_contracts!(query, contracts::id, contracts::organization_id, scope)
                    .first(conn)
                    .optional()?;
            if found.is_none() {
                violations.add("contract_number", Invalid::UnknownContract);
            }
            found
        };
        if user.role() != Role::Staff
            && valid.product != OTHER_PRODUCT
            && !products_of(conn, scope)?
                .iter()
                .any(|product| product.product == valid.product)
        {
            violations.add("product", Invalid::NotAllowed);
        }
        violations.finish()?;
        let files: Vec<FileToAttach> =
            resumable::take_complete(conn, user.id(), &request.attachments, "attachments", now)?
                .into_iter()
                .map(FileToAttach::from)
                .collect();
        let cc: Vec<&str> = valid.cc.iter().map(EmailAddress::as_str).collect();
        let row: TicketRow = diesel::insert_into(tickets::table)
            .values((
                tickets::organization_id.eq(organization),
                tickets::contract_id.eq(contract_id),
                tickets::reporter_id.eq(reporter),
                tickets::kind.eq(valid.kind),
                tickets::status.eq(TicketStatus::New),
                tickets::category.eq(valid.category),
                tickets::channel.eq(channel),
                tickets::product.eq(&valid.product),
                tickets::subject.eq(&valid.subject),
                tickets::contract_number.eq(&valid.contract_number),
                tickets::serial_number.eq(&valid.serial_number),
                tickets::model.eq(&valid.model),
                tickets::os_version.eq(&valid.os_version),
                tickets::cc.eq(cc.join(",")),
                tickets::body.eq(&valid.body),
                tickets::created_at.eq(now),
                tickets::updated_at.eq(now),
            ))
            .returning(tickets::all_columns)
            .get_result(conn)?;
        attach(conn, row.id, None, &files, now)?;
        notify::queue(conn, &row, Occasion::Created, &public_url, now)?;
        detail(conn, row, user.role() == Role::Staff)
    })
    .await?;
    Ok(ticket_answer(HttpResponse::Created(), &ticket))
}

/// One ticket with its timeline (internal notes for staff only).
#[utoipa::path(
    tag = "tickets",
    params(("id" = TicketId, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The ticket", body = Ticket,
            headers(("ETag" = String, description = "The ticket's version, for `If-Match`"))),
        (status = 404, description = "No such ticket, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/tickets/{id}")]
pub async fn get_ticket(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<TicketId>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Tickets)?;
    let (id, scope, staff) = (id.into_inner(), user.scope(), user.role() == Role::Staff);
    let ticket = db::run(&state.pool, move |conn| {
        let row = find_visible(conn, scope, id)?;
        detail(conn, row, staff)
    })
    .await?;
    Ok(ticket_answer(HttpResponse::Ok(), &ticket))
}

/// The version an `If-Match` header names: `"7"` (or `W/"7"`); `*` matches any.
fn expected_version(request: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let value = request
        .headers()
        .get(IF_MATCH)
        .ok_or(ApiError::PreconditionRequired)?
        .to_str()
        .map_err(|_| ApiError::MalformedParameter("If-Match: an ETag of the ticket".to_owned()))?
        .trim();
    if value == "*" {
        return Ok(None);
    }
    value
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::MalformedParameter("If-Match: an ETag of the ticket".to_owned()))
}

/// Change a ticket's status (staff along the workflow; a customer closes or reopens) or
/// assignee (staff), sent with `If-Match` carrying the `ETag` the change was made on: a
/// change on an older version is refused (412) instead of overwriting another's.
#[utoipa::path(
    tag = "tickets",
    params(
        ("id" = TicketId, Path, description = "The ticket's id"),
        ("If-Match" = String, Header, description = "The ticket's `ETag` as read"),
    ),
    request_body = TicketChange,
    responses(
        (status = 200, description = "The ticket as it is now", body = Ticket,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "A customer assigning the ticket", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A status the ticket cannot move to from its own (`allowed` lists those it can)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The ticket changed since it was read: read it again", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An assignee that is no active staff account", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match` header", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/tickets/{id}")]
pub async fn change_ticket(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<TicketId>,
    request: HttpRequest,
    body: Json<TicketChange>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Tickets)?;
    let change = body.into_inner();
    let staff = user.role() == Role::Staff;
    if change.assignee_id.is_some() && !staff {
        return Err(ApiError::Forbidden);
    }
    // Checked once the ticket is known to be the caller's: another's answers 404 first.
    let expected = expected_version(&request);
    let (id, scope, actor, now) = (id.into_inner(), user.scope(), user.id(), state.clock.now_naive());
    let public_url = state.public_url.clone();
    let ticket = db::transaction(&state.pool, move |conn| {
        let row = find_visible(conn, scope, id)?;
        if expected?.is_some_and(|version| version != row.version) {
            return Err(ApiError::PreconditionFailed);
        }
        let mut changed = row.clone();
        if let Some(status) = change.status.filter(|status| *status != row.status) {
            let allowed = row.status.next(staff);
            if !allowed.contains(&status) {
                return Err(ApiError::IllegalTransition {
                    from: row.status,
                    allowed: allowed.to_vec(),
                });
            }
            let mut event = NewEvent::new(id, TicketEventKind::StatusChange, TicketChannel::Web, now);
            event.author_id = Some(actor);
            event.from_status = Some(row.status);
            event.to_status = Some(status);
            append(conn, &event)?;
            changed.status = status;
        }
        if let Some(assignee) = change.assignee_id.filter(|assignee| *assignee != row.assignee_id) {
            if let Some(assignee) = assignee {
                let active_staff = accounts::find(conn, assignee)?.is_some_and(|account| {
                    account.role == Role::Staff && account.status == AccountStatus::Active
                });
                if !active_staff {
                    return Err(ApiError::invalid("assignee_id", Invalid::UnknownAccount));
                }
            }
            let mut event = NewEvent::new(id, TicketEventKind::Assignment, TicketChannel::Web, now);
            event.author_id = Some(actor);
            event.internal = true;
            event.assignee_id = assignee;
            append(conn, &event)?;
            changed.assignee_id = assignee;
        }
        if changed.status == row.status && changed.assignee_id == row.assignee_id {
            return detail(conn, row, staff);
        }
        // The version read above must still be the ticket's: a change committed since
        // (by a request that read the same version) makes this one stale.
        let updated: TicketRow = diesel::update(
            tickets::table
                .filter(tickets::id.eq(id))
                .filter(tickets::version.eq(row.version)),
        )
        .set((
            tickets::status.eq(changed.status),
            tickets::assignee_id.eq(changed.assignee_id),
            tickets::version.eq(row.version + 1),
            tickets::updated_at.eq(now),
        ))
        .returning(tickets::all_columns)
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::PreconditionFailed)?;
        if updated.status != row.status {
            notify::queue(
                conn,
                &updated,
                Occasion::Status { from: row.status },
                &public_url,
                now,
            )?;
        }
        detail(conn, updated, staff)
    })
    .await?;
    Ok(ticket_answer(HttpResponse::Ok(), &ticket))
}

/// What a reply does to the status: a customer's answer reopens a ticket that waited for
/// it or was resolved or closed; staff's first answer opens a new one.
pub fn status_after_reply(status: TicketStatus, staff: bool) -> TicketStatus {
    use TicketStatus as S;
    match (status, staff) {
        (S::WaitingForCustomer | S::Resolved | S::Closed, false) => S::Open,
        (S::New, true) => S::Open,
        (status, _) => status,
    }
}

/// Adds a reply (or a note) and its files, moves the status as [`status_after_reply`]
/// says, and mails the reporter and CC unless it is a note. Used by the web and by mail.
pub fn add_reply(
    conn: &mut DbConn,
    row: &TicketRow,
    mut event: NewEvent,
    staff: bool,
    files: &[FileToAttach],
    author_name: &str,
    public_url: &str,
) -> Result<TicketRow, ApiError> {
    let now = event.created_at;
    let text = event.body.clone().unwrap_or_default();
    let internal = event.internal;
    let (author_id, author_email, channel) = (event.author_id, event.author_email.clone(), event.channel);
    event.kind = if internal {
        TicketEventKind::Note
    } else {
        TicketEventKind::Reply
    };
    let event_id = append(conn, &event)?;
    attach(conn, row.id, Some(event_id), files, now)?;
    let next = if internal {
        row.status
    } else {
        status_after_reply(row.status, staff)
    };
    if next != row.status {
        let mut change = NewEvent::new(row.id, TicketEventKind::StatusChange, channel, now);
        change.author_id = author_id;
        change.author_email = author_email;
        change.from_status = Some(row.status);
        change.to_status = Some(next);
        append(conn, &change)?;
    }
    let updated = touch(conn, row.id, next, row.estimated_recovery_at, now)?;
    if !internal {
        notify::queue(
            conn,
            &updated,
            Occasion::Reply {
                author: author_name,
                text: &text,
            },
            public_url,
            now,
        )?;
    }
    Ok(updated)
}

/// Reply to a ticket (any customer role in scope, or staff); staff may add an internal note
/// instead (`internal`), which customers never see and nobody is mailed about.
#[utoipa::path(
    tag = "tickets",
    params(("id" = TicketId, Path, description = "The ticket's id")),
    request_body = ReplyRequest,
    responses(
        (status = 201, description = "Added: the ticket with its timeline", body = Ticket,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such ticket, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No text, a note by a customer, or an upload that is not complete", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/tickets/{id}/replies")]
pub async fn reply_to_ticket(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<TicketId>,
    body: Json<ReplyRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Tickets)?;
    let request = body.into_inner();
    let staff = user.role() == Role::Staff;
    let mut violations = Violations::default();
    let text = body_text(&mut violations, "body", &request.body);
    if request.internal && !staff {
        violations.add("internal", Invalid::NotAllowed);
    }
    if request.attachments.len() > ATTACHMENTS_MAX {
        violations.add("attachments", Invalid::TooMany { max: ATTACHMENTS_MAX });
    }
    violations.finish()?;
    let (id, scope, actor, now) = (id.into_inner(), user.scope(), user.id(), state.clock.now_naive());
    let public_url = state.public_url.clone();
    let ticket = db::transaction(&state.pool, move |conn| {
        let row = find_visible(conn, scope, id)?;
        let files: Vec<FileToAttach> =
            resumable::take_complete(conn, actor, &request.attachments, "attachments", now)?
                .into_iter()
                .map(FileToAttach::from)
                .collect();
        let author_name: String = accounts::find(conn, actor)?
            .map(|account| account.full_name)
            .unwrap_or_default();
        let mut event = NewEvent::new(id, TicketEventKind::Reply, TicketChannel::Web, now);
        event.author_id = Some(actor);
        event.internal = request.internal;
        event.body = Some(text);
        let updated = add_reply(conn, &row, event, staff, &files, &author_name, &public_url)?;
        detail(conn, updated, staff)
    })
    .await?;
    Ok(ticket_answer(HttpResponse::Created(), &ticket))
}

/// Post incident progress with an estimated recovery time (staff, incidents only); the
/// reporter and CC are mailed.
#[utoipa::path(
    tag = "tickets",
    params(("id" = TicketId, Path, description = "The ticket's id")),
    request_body = ProgressRequest,
    responses(
        (status = 201, description = "Posted: the ticket with its timeline", body = Ticket,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Only provider staff post progress", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No text, a time outside 1900–2199, or a ticket that is no incident", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/tickets/{id}/progress")]
pub async fn post_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<TicketId>,
    body: Json<ProgressRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let request = body.into_inner();
    let mut violations = Violations::default();
    let text = body_text(&mut violations, "body", &request.body);
    let recovery = request.estimated_recovery_at.map(|at| at.naive_utc());
    if let Some(at) = recovery {
        violations.check("estimated_recovery_at", crate::domain::business_date(at.date()));
        // An estimate already past would tell the customer a recovery that did not happen.
        if at < state.clock.now_naive() {
            violations.add(
                "estimated_recovery_at",
                Invalid::Format {
                    expected: "a time from now on",
                },
            );
        }
    }
    violations.finish()?;
    let (id, actor, now) = (id.into_inner(), user.id(), state.clock.now_naive());
    let public_url = state.public_url.clone();
    let ticket = db::transaction(&state.pool, move |conn| {
        let row = find_visible(conn, Scope::AllOrganizations, id)?;
        if row.kind != TicketKind::Incident {
            return Err(ApiError::invalid("kind", Invalid::NotAllowed));
        }
        let mut event = NewEvent::new(id, TicketEventKind::Progress, TicketChannel::Web, now);
        event.author_id = Some(actor);
        event.body = Some(text.clone());
        event.estimated_recovery_at = recovery.or(row.estimated_recovery_at);
        append(conn, &event)?;
        let updated = touch(conn, id, row.status, event.estimated_recovery_at, now)?;
        notify::queue(
            conn,
            &updated,
            Occasion::Progress { text: &text },
            &public_url,
            now,
        )?;
        detail(conn, updated, true)
    })
    .await?;
    Ok(ticket_answer(HttpResponse::Created(), &ticket))
}

/// A file of a ticket the caller sees (a note's only for staff), streamed with its media
/// type as an attachment; `Range` requests get the bytes asked for (206).
#[utoipa::path(
    tag = "tickets",
    params(
        ("id" = TicketAttachmentId, Path, description = "The attachment's id"),
        ("Range" = Option<String>, Header, description = "`bytes=start-end`: part of the file"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = uploads::FileBytes),
        (status = 206, description = "The range asked for", content_type = "application/octet-stream", body = uploads::FileBytes),
        (status = 404, description = "No such attachment, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "A range outside the file", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/tickets/attachments/{id}/file")]
pub async fn download_ticket_attachment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<TicketAttachmentId>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Tickets)?;
    let (id, scope, staff) = (id.into_inner(), user.scope(), user.role() == Role::Staff);
    let row = db::run(&state.pool, move |conn| {
        let row: AttachmentRow = ticket_attachments::table
            .find(id)
            .select(AttachmentRow::as_select())
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        find_visible(conn, scope, row.ticket_id)?;
        if let Some(event) = row.event_id
            && !staff
        {
            let internal: bool = crate::schema::ticket_events::table
                .find(event)
                .select(crate::schema::ticket_events::internal)
                .get_result(conn)?;
            if internal {
                return Err(ApiError::NotFound);
            }
        }
        Ok(row)
    })
    .await?;
    let range = request
        .headers()
        .get(actix_web::http::header::RANGE)
        .and_then(|value| value.to_str().ok());
    uploads::download_range(
        &state.storage,
        &row.storage_key,
        &row.file_name,
        &row.content_type,
        u64::try_from(row.size_bytes).unwrap_or_default(),
        range,
    )
    .await
}
