//! Documents (SPEC §4): quotes (見積書), contracts (契約書), invoices (請求書) and purchase
//! orders (注文書) as PDF files attached to a contract. Only user administrators, contract
//! managers and staff see them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ContractId, DocumentId};

crate::text_enum! {
    pub enum DocumentKind {
        Quote = "quote",
        Contract = "contract",
        Invoice = "invoice",
        PurchaseOrder = "purchase_order",
    }
}

crate::text_enum! {
    /// Where a renewal quote stands.
    pub enum QuoteState {
        /// Waiting for the customer: order it or ask for a re-quote.
        Unanswered = "unanswered",
        /// Ordered, with a purchase order.
        Ordered = "ordered",
        /// The customer asked for a re-quote; staff answer with a new quote.
        RequoteRequested = "requote_requested",
        /// Replaced by a newer quote.
        Superseded = "superseded",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Document {
    pub id: DocumentId,
    pub contract_id: ContractId,
    pub contract_number: String,
    pub kind: DocumentKind,
    /// The document's own number (見積番号, 請求番号…).
    pub number: String,
    pub title: String,
    pub issued_on: NaiveDate,
    /// Yen, tax included.
    pub amount_yen: Option<i64>,
    /// The name the file was uploaded with.
    pub file_name: String,
    pub size_bytes: i64,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// Quotes only: where the quote stands.
    pub quote_state: Option<QuoteState>,
    /// Quotes only: the quote this one replaces (a re-quote's answer).
    pub supersedes_id: Option<DocumentId>,
    /// When the customer ordered or asked for a re-quote.
    pub answered_at: Option<DateTime<Utc>>,
    /// The re-quote request's comment, or the order's.
    pub answer_comment: Option<String>,
    /// The purchase order the quote was ordered with.
    pub order_document_id: Option<DocumentId>,
}

/// Longest re-quote or order comment.
pub const COMMENT_MAX: usize = 2000;

/// A re-quote request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RequoteRequest {
    /// What should change (quantities, period, conditions).
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 2000))]
    pub comment: String,
}

/// What the signed-in user should look at first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Home {
    /// Quotes waiting for an order or a re-quote request (empty for roles without
    /// documents), oldest first.
    pub unanswered_quotes: Vec<Document>,
    /// Active contracts ending within 90 days, soonest first.
    pub contracts_ending: Vec<crate::contracts::ContractSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct DocumentPage {
    pub items: Vec<Document>,
    pub total: i64,
}
