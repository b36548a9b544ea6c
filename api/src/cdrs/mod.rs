//! Call-detail records of a PBX site (通信履歴, SPEC §8.4, seed 003 §6.3–6.5): provider
//! staff (or their integration tokens) ingest batches, idempotently; the site's
//! administrators read them after answering the site's secret question — browse with
//! filters, counts per day, per-day CSV files of at most 40,000 records in the seed's
//! column order; records older than 92 days are purged by a job.
//!
//! On PostgreSQL the table is partitioned by day: ingestion creates the partitions of the
//! days it brings, the purge drops whole partitions.

pub mod browse;
pub mod ingest;
pub mod retention;
pub mod secret;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Lang;
use madoguchi_types::cdrs::{CallRecord, cause_description};
use madoguchi_types::ids::{AccountId, SiteId};

use crate::db::DbConn;
use crate::error::ApiError;
use crate::schema::{call_records, cdr_grants};

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    ingest::routes(config);
    secret::routes(config);
    browse::routes(config);
}

/// The header that carries a grant from the secret question.
pub const GRANT_HEADER: &str = "X-CDR-Grant";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = call_records)]
pub struct RecordRow {
    pub attempted_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub connected: bool,
    pub requested_service: String,
    pub received_number: String,
    pub caller: String,
    pub callee: String,
    pub forwarding_party: String,
    pub disconnect_type: String,
    pub disconnecting_party: String,
    pub cause_code: String,
}

impl RecordRow {
    pub fn dto(self, lang: Lang) -> CallRecord {
        let duration_seconds = match (self.answered_at, self.ended_at) {
            (Some(answered), Some(ended)) => Some((ended - answered).num_seconds().max(0)),
            _ => None,
        };
        CallRecord {
            cause: cause_description(&self.cause_code, lang).map(str::to_owned),
            duration_seconds,
            attempted_at: self.attempted_at,
            answered_at: self.answered_at,
            ended_at: self.ended_at,
            connected: self.connected,
            requested_service: self.requested_service,
            received_number: self.received_number,
            caller: self.caller,
            callee: self.callee,
            forwarding_party: self.forwarding_party,
            disconnect_type: self.disconnect_type,
            disconnecting_party: self.disconnecting_party,
            cause_code: self.cause_code,
        }
    }
}

/// Refuses a read of the site's records without a live grant of this account for it.
pub fn require_grant(
    conn: &mut DbConn,
    grant: Option<&str>,
    site: SiteId,
    account: AccountId,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let Some(grant) = grant.filter(|grant| !grant.is_empty() && grant.len() <= 200) else {
        return Err(ApiError::CdrGrantRequired);
    };
    let live: i64 = cdr_grants::table
        .filter(cdr_grants::token_hash.eq(crate::secrets::hash(grant)))
        .filter(cdr_grants::site_id.eq(site))
        .filter(cdr_grants::account_id.eq(account))
        .filter(cdr_grants::expires_at.gt(now))
        .count()
        .get_result(conn)?;
    if live == 0 {
        return Err(ApiError::CdrGrantRequired);
    }
    Ok(())
}

/// The grant a request carries, if any.
pub fn grant_of(request: &actix_web::HttpRequest) -> Option<String> {
    request
        .headers()
        .get(GRANT_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}
