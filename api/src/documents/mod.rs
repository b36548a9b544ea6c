//! Documents (SPEC §4): PDF quotes, contracts, invoices and purchase orders attached to a
//! contract, their files in the [`Storage`](crate::storage::Storage). Staff upload them;
//! user administrators, contract managers and staff list, search and download them
//! ([`routes`]); the project scope applies through the contract.

mod quotes;
mod routes;

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
