//! Tickets (お問い合わせ): the list, one ticket with its timeline, filing, replies, incident
//! progress, status and assignee changes (sent with the `ETag` read, `If-Match`), and
//! attachment downloads.

use gloo_net::http::Method;
use madoguchi_types::ids::{ContractId, OrganizationId, TicketAttachmentId, TicketId};
use madoguchi_types::tickets::{
    ProgressRequest, ReplyRequest, Ticket, TicketCategory, TicketChange, TicketKind, TicketPage,
    TicketPerson, TicketProduct, TicketRequest, TicketStatus,
};

use super::{ApiError, NO_BODY, encode, private, private_with};
use crate::auth::Auth;
use crate::i18n::Lang;

/// Whose tickets a staff list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Assigned {
    #[default]
    Anyone,
    Nobody,
    To(madoguchi_types::ids::AccountId),
}

/// The list's filters, as the page holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketQuery {
    /// Every ticket, not only the open ones.
    pub all: bool,
    pub status: Option<TicketStatus>,
    pub kind: Option<TicketKind>,
    pub category: Option<TicketCategory>,
    pub product: String,
    pub contract: Option<ContractId>,
    pub organization: Option<OrganizationId>,
    pub assigned: Assigned,
    pub from: String,
    pub to: String,
    pub q: String,
    /// `updated_desc` (the server's default), `updated_asc`, `created_desc`, `created_asc`.
    pub sort: String,
    pub page: i64,
    pub per_page: i64,
}

pub async fn tickets(auth: Auth, lang: Lang, query: &TicketQuery) -> Result<TicketPage, ApiError> {
    let mut path = format!(
        "/api/v1/tickets?tab={}&page={}&per_page={}",
        if query.all { "all" } else { "open" },
        query.page.max(1),
        query.per_page.max(1)
    );
    if let Some(status) = query.status {
        path.push_str(&format!("&status={status}"));
    }
    if let Some(kind) = query.kind {
        path.push_str(&format!("&kind={kind}"));
    }
    if let Some(category) = query.category {
        path.push_str(&format!("&category={category}"));
    }
    if let Some(contract) = query.contract {
        path.push_str(&format!("&contract_id={contract}"));
    }
    if let Some(organization) = query.organization {
        path.push_str(&format!("&organization_id={organization}"));
    }
    match query.assigned {
        Assigned::Anyone => {}
        Assigned::Nobody => path.push_str("&unassigned=true"),
        Assigned::To(account) => path.push_str(&format!("&assignee_id={account}")),
    }
    for (name, value) in [
        ("product", &query.product),
        ("from", &query.from),
        ("to", &query.to),
        ("q", &query.q),
        ("sort", &query.sort),
    ] {
        if !value.trim().is_empty() {
            path.push_str(&format!("&{name}={}", encode(value.trim())));
        }
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

/// The products a ticket may be about (staff: of one organization).
pub async fn products(
    auth: Auth,
    lang: Lang,
    organization: Option<OrganizationId>,
) -> Result<Vec<TicketProduct>, ApiError> {
    let path = match organization {
        Some(organization) => format!("/api/v1/ticket-products?organization_id={organization}"),
        None => "/api/v1/ticket-products".to_owned(),
    };
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

/// Staff accounts a ticket can be assigned to.
pub async fn assignees(auth: Auth, lang: Lang) -> Result<Vec<TicketPerson>, ApiError> {
    private(auth, Method::GET, "/api/v1/ticket-assignees", lang, NO_BODY).await
}

pub async fn ticket(auth: Auth, lang: Lang, id: TicketId) -> Result<Ticket, ApiError> {
    private(auth, Method::GET, &format!("/api/v1/tickets/{id}"), lang, NO_BODY).await
}

pub async fn create(auth: Auth, lang: Lang, request: &TicketRequest) -> Result<Ticket, ApiError> {
    private(auth, Method::POST, "/api/v1/tickets", lang, Some(request)).await
}

/// A status or assignee change on the version read (412 `stale_version` when another
/// change came first).
pub async fn change(
    auth: Auth,
    lang: Lang,
    id: TicketId,
    version: i64,
    change: &TicketChange,
) -> Result<Ticket, ApiError> {
    private_with(
        auth,
        Method::PATCH,
        &format!("/api/v1/tickets/{id}"),
        lang,
        &[("If-Match", format!("\"{version}\""))],
        Some(change),
    )
    .await
}

pub async fn reply(auth: Auth, lang: Lang, id: TicketId, request: &ReplyRequest) -> Result<Ticket, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/tickets/{id}/replies"),
        lang,
        Some(request),
    )
    .await
}

pub async fn progress(
    auth: Auth,
    lang: Lang,
    id: TicketId,
    request: &ProgressRequest,
) -> Result<Ticket, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/tickets/{id}/progress"),
        lang,
        Some(request),
    )
    .await
}

/// An attachment as an object URL (revoke it with `Url::revoke_object_url` when done).
pub async fn attachment_url(auth: Auth, lang: Lang, id: TicketAttachmentId) -> Result<String, ApiError> {
    super::documents::blob_url(auth, lang, &format!("/api/v1/tickets/attachments/{id}/file")).await
}
