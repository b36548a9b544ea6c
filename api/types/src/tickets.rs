//! Tickets (SPEC §6, seed 004 §⑤): inquiries and incident reports with their timeline of
//! replies, status changes, incident progress and internal staff notes; attachments come
//! from resumable uploads ([`crate::uploads`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::ids::{
    AccountId, ContractId, OrganizationId, TicketAttachmentId, TicketEventId, TicketId, UploadId,
};

crate::text_enum! {
    pub enum TicketKind {
        /// 問い合わせ
        Inquiry = "inquiry",
        /// 障害
        Incident = "incident",
    }
}

crate::text_enum! {
    /// new → open → in progress → waiting for customer → resolved → closed; a customer may
    /// reopen a resolved or closed ticket ([`TicketStatus::next`]).
    pub enum TicketStatus {
        New = "new",
        Open = "open",
        InProgress = "in_progress",
        WaitingForCustomer = "waiting_for_customer",
        Resolved = "resolved",
        Closed = "closed",
    }
}

impl TicketStatus {
    /// Statuses a ticket counts as open in (the "オープン" tab).
    pub const OPEN: &'static [Self] = &[Self::New, Self::Open, Self::InProgress, Self::WaitingForCustomer];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// The statuses a ticket may move to from this one: staff along the workflow (and
    /// back to open), a customer only to reopen a resolved or closed ticket, or to close
    /// their own ticket when it no longer needs an answer.
    pub fn next(self, staff: bool) -> &'static [Self] {
        use TicketStatus as S;
        if staff {
            match self {
                S::New => &[
                    S::Open,
                    S::InProgress,
                    S::WaitingForCustomer,
                    S::Resolved,
                    S::Closed,
                ],
                S::Open => &[S::InProgress, S::WaitingForCustomer, S::Resolved, S::Closed],
                S::InProgress => &[S::Open, S::WaitingForCustomer, S::Resolved, S::Closed],
                S::WaitingForCustomer => &[S::Open, S::InProgress, S::Resolved, S::Closed],
                S::Resolved => &[S::Open, S::Closed],
                S::Closed => &[S::Open],
            }
        } else {
            match self {
                S::New | S::Open | S::InProgress | S::WaitingForCustomer => &[S::Closed],
                S::Resolved => &[S::Open, S::Closed],
                S::Closed => &[S::Open],
            }
        }
    }
}

crate::text_enum! {
    /// Seed 004 ⑤【カテゴリ】.
    pub enum TicketCategory {
        /// 技術的なご質問
        TechnicalQuestion = "technical_question",
        /// 障害・不具合
        Fault = "fault",
        /// 設定変更のご依頼
        ConfigurationRequest = "configuration_request",
        /// 契約・お見積り
        Contract = "contract",
        /// その他
        Other = "other",
    }
}

crate::text_enum! {
    /// How a ticket or a reply reached us.
    pub enum TicketChannel {
        Web = "web",
        /// A reply to a notification mail, or a ticket staff recorded from a mail.
        Email = "email",
        /// A ticket staff recorded from a phone call (seed 001 §6.2).
        Phone = "phone",
    }
}

crate::text_enum! {
    pub enum TicketEventKind {
        /// A reply from the customer or staff.
        Reply = "reply",
        /// An internal staff note the customer never sees.
        Note = "note",
        /// An incident progress update (staff), with the estimated recovery time.
        Progress = "progress",
        StatusChange = "status_change",
        Assignment = "assignment",
    }
}

/// The word a customer types when a contract or serial number is unknown (seed 004 ⑤).
pub const UNKNOWN: &str = "不明";
/// Longest ticket or reply text, in characters.
pub const BODY_MAX: usize = 20_000;
pub const SUBJECT_MAX: usize = 200;
/// Most addresses in the CC field.
pub const CC_MAX: usize = 10;
/// Most attachments on one ticket or reply.
pub const ATTACHMENTS_MAX: usize = 20;
/// The product of a ticket about nothing on the customer's contracts.
pub const OTHER_PRODUCT: &str = "その他";

/// `T-000123`: the human-readable id.
pub fn ticket_number(id: TicketId) -> String {
    format!("T-{:06}", id.0)
}

/// The id of a `T-000123` (case-insensitive, zeros optional), if it is one.
pub fn parse_ticket_number(text: &str) -> Option<TicketId> {
    let digits = text
        .trim()
        .strip_prefix("T-")
        .or_else(|| text.trim().strip_prefix("t-"))?;
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(TicketId)
}

/// A product the caller may open a ticket about: equipment on a contract it sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketProduct {
    /// Maker and model, as the ticket's `product`.
    pub product: String,
    pub maker: String,
    pub model: String,
    pub serial_number: String,
    pub os_version: String,
    pub contract_number: String,
}

/// A new ticket. Staff recording a ticket received by phone or mail name the reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketRequest {
    pub kind: TicketKind,
    /// A `product` of `GET /ticket-products`, or `その他`.
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub product: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub subject: String,
    /// A contract number the caller sees, or `不明`.
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20))]
    pub contract_number: String,
    /// The equipment's serial number, or `不明` (not both unknown).
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 60))]
    pub serial_number: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 100))]
    pub model: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 60))]
    pub os_version: String,
    /// Addresses copied on every notification, separated by commas.
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schema(max_length = 2600, example = "tanaka@example.co.jp, suzuki@example.co.jp")
    )]
    pub cc: String,
    pub category: TicketCategory,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20000))]
    pub body: String,
    /// Completed uploads of the caller (`POST /uploads`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_items = 20))]
    pub attachments: Vec<UploadId>,
    /// Staff only: the customer account the ticket is recorded for.
    #[serde(default)]
    pub reporter_id: Option<AccountId>,
    /// Staff only: how the ticket reached us (`phone`, `email`); `web` otherwise.
    #[serde(default)]
    pub channel: Option<TicketChannel>,
}

/// A reply, or (staff, `internal`) a note the customer never sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ReplyRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20000))]
    pub body: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_items = 20))]
    pub attachments: Vec<UploadId>,
    /// Staff only: an internal note.
    #[serde(default)]
    pub internal: bool,
}

/// An incident progress update (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProgressRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20000))]
    pub body: String,
    /// When service is expected back; none leaves the current estimate.
    #[serde(default)]
    pub estimated_recovery_at: Option<DateTime<Utc>>,
}

/// Reads a present JSON value, `null` included, as `Some`: with `#[serde(default)]` an
/// absent field stays `None` ("leave it"), `null` becomes `Some(None)` ("clear it").
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A change of status or assignee, sent with `If-Match` (the ticket's `ETag`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketChange {
    #[serde(default)]
    pub status: Option<TicketStatus>,
    /// Staff only: a staff account, or `null` to unassign; absent leaves it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schema(value_type = Option<AccountId>))]
    pub assignee_id: Option<Option<AccountId>>,
}

/// Who wrote or did something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketPerson {
    pub account_id: Option<AccountId>,
    /// The account's name, or the address a mail came from.
    pub name: String,
    pub staff: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketAttachment {
    pub id: TicketAttachmentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// The reply it came with; none for the ticket's own.
    pub event_id: Option<TicketEventId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketEvent {
    pub id: TicketEventId,
    pub kind: TicketEventKind,
    pub author: Option<TicketPerson>,
    pub channel: TicketChannel,
    pub body: Option<String>,
    pub from_status: Option<TicketStatus>,
    pub to_status: Option<TicketStatus>,
    pub estimated_recovery_at: Option<DateTime<Utc>>,
    /// The new assignee of an assignment.
    pub assignee: Option<TicketPerson>,
    pub attachments: Vec<TicketAttachment>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketSummary {
    pub id: TicketId,
    /// `T-000123`.
    pub number: String,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub kind: TicketKind,
    pub status: TicketStatus,
    pub category: TicketCategory,
    pub product: String,
    pub subject: String,
    pub reporter: TicketPerson,
    pub assignee: Option<TicketPerson>,
    pub estimated_recovery_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TicketPage {
    pub items: Vec<TicketSummary>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Ticket {
    #[serde(flatten)]
    pub summary: TicketSummary,
    pub channel: TicketChannel,
    pub contract_number: String,
    /// The contract the number names, when it is one of the organization's.
    pub contract_id: Option<ContractId>,
    pub serial_number: String,
    pub model: String,
    pub os_version: String,
    pub cc: Vec<String>,
    pub body: String,
    /// The ticket's own attachments (a reply's are on its event).
    pub attachments: Vec<TicketAttachment>,
    /// Oldest first. Internal notes only for staff.
    pub events: Vec<TicketEvent>,
    /// The statuses the caller may move the ticket to.
    pub next_statuses: Vec<TicketStatus>,
    /// Sent back in `If-Match` with a change (also the `ETag` header).
    pub version: i64,
}

/// A reply by mail that was added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct InboundReceipt {
    pub ticket_id: TicketId,
    pub number: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        assert_eq!(ticket_number(TicketId(123)), "T-000123");
        assert_eq!(ticket_number(TicketId(1_234_567)), "T-1234567");
        assert_eq!(parse_ticket_number("T-000123"), Some(TicketId(123)));
        assert_eq!(parse_ticket_number(" t-42 "), Some(TicketId(42)));
        assert_eq!(parse_ticket_number("T-"), None);
        assert_eq!(parse_ticket_number("T-12a"), None);
        assert_eq!(parse_ticket_number("123"), None);
    }

    #[test]
    fn customers_only_reopen_or_close() {
        for status in TicketStatus::ALL.iter().copied() {
            for next in status.next(false) {
                assert!(
                    *next == TicketStatus::Closed || (*next == TicketStatus::Open && !status.is_open()),
                    "{status} → {next}"
                );
            }
            assert!(!status.next(true).contains(&status), "{status} → itself");
            assert!(!status.next(true).contains(&TicketStatus::New), "back to new");
        }
        assert!(TicketStatus::Closed.next(false).contains(&TicketStatus::Open));
        assert!(TicketStatus::Resolved.next(false).contains(&TicketStatus::Open));
    }
}
