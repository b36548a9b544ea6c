//! Documents (SPEC §4): PDF quotes, contracts, invoices and purchase orders attached to a
//! contract, their files in the [`Storage`](crate::storage::Storage). Staff upload them;
//! user administrators, contract managers and staff list, search and download them
//! ([`routes`]); the project scope applies through the contract.

mod quotes;
mod routes;
mod upload;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
pub use madoguchi_types::documents::{DocumentKind, QuoteState};
pub use madoguchi_types::ids::DocumentId;

use crate::accounts::AccountId;
use crate::contracts::ContractId;
use crate::organizations::OrganizationId;
use crate::schema::documents;

pub use quotes::contracts_ending;

/// Every document route: search, files, uploads, and the quote answers.
pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::routes(config);
    quotes::routes(config);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = documents)]
pub struct Document {
    pub id: DocumentId,
    pub organization_id: OrganizationId,
    pub contract_id: ContractId,
    pub kind: DocumentKind,
    pub number: String,
    pub title: String,
    pub issued_on: NaiveDate,
    pub amount_yen: Option<i64>,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Option<AccountId>,
    pub created_at: NaiveDateTime,
    pub quote_state: Option<QuoteState>,
    pub supersedes_id: Option<DocumentId>,
    pub answered_at: Option<NaiveDateTime>,
    pub answered_by: Option<AccountId>,
    pub answer_comment: Option<String>,
    pub order_document_id: Option<DocumentId>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument {
    pub organization_id: OrganizationId,
    pub contract_id: ContractId,
    pub kind: DocumentKind,
    pub number: String,
    pub title: String,
    pub issued_on: NaiveDate,
    pub amount_yen: Option<i64>,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Option<AccountId>,
    pub created_at: NaiveDateTime,
    pub quote_state: Option<QuoteState>,
    pub supersedes_id: Option<DocumentId>,
}

/// A file name as it may be stored and sent back: its last path component, without
/// control, direction-override or invisible characters, at most 200 characters, never
/// empty.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control() && !crate::domain::is_direction_control(*c) && !crate::domain::is_invisible(*c)
        })
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        return "document.pdf".to_owned();
    }
    // The content is a PDF: so is the name a download is saved under.
    if cleaned.to_lowercase().ends_with(".pdf") {
        cleaned
    } else {
        format!("{cleaned}.pdf")
    }
}

#[cfg(test)]
mod tests {
    use super::clean_file_name;

    #[test]
    fn file_names_keep_japanese_and_lose_paths_and_controls() {
        assert_eq!(clean_file_name("見積書_2026年度.pdf"), "見積書_2026年度.pdf");
        assert_eq!(clean_file_name("C:\\Users\\taro\\請求書.pdf"), "請求書.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd.pdf");
        assert_eq!(clean_file_name("注文書.html"), "注文書.html.pdf");
        assert_eq!(clean_file_name("Quote.PDF"), "Quote.PDF");
        assert_eq!(clean_file_name("invoice\u{202e}fdp.exe"), "invoicefdp.exe.pdf");
        assert_eq!(clean_file_name("a\r\nb.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("..."), "document.pdf");
        assert_eq!(clean_file_name(""), "document.pdf");
    }
}
