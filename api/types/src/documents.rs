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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct DocumentPage {
    pub items: Vec<Document>,
    pub total: i64,
}
