//! Resumable uploads of large files (ticket attachments up to 1 GB), in the shape of the
//! tus protocol. A request's bytes are stored as parts of at most [`PART_BYTES`] as they
//! arrive, each committed with the offset it ends at, so that an interrupted request keeps
//! what reached the server and the client goes on from that offset. When the last byte is
//! in, the parts are joined into one object (hashed on the way) and removed.
//!
//! Several API instances may serve one upload's requests: a part is committed only if the
//! upload still ends where the part starts (compare-and-set on `received_bytes`), so two
//! racing requests cannot both extend it.

pub mod routes;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::uploads::Upload;
use serde_json::json;

pub use madoguchi_types::ids::UploadId;

use crate::accounts::AccountId;
use crate::db::DbConn;
use crate::domain::Invalid;
use crate::error::ApiError;
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{JobError, JobKind};
use crate::schema::{upload_parts, uploads};
use crate::storage::Storage;

/// Largest part one request stores at a time (and the memory it holds per upload).
pub const PART_BYTES: usize = 8 * 1024 * 1024;
/// An upload nobody attached is deleted this long after it was announced.
pub const UPLOAD_TTL: TimeDelta = TimeDelta::hours(24);
/// Unattached uploads (finished or not) one account may have at a time.
pub const PENDING_MAX: i64 = 50;
/// Their bytes together: a ticket's 20 attachments of 1 GiB.
pub const PENDING_BYTES_MAX: i64 = 20 * 1024 * 1024 * 1024;
/// Uploads the purge deletes per run (it runs again while there are more).
const PURGE_BATCH: i64 = 500;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = uploads)]
pub struct UploadRow {
    pub id: UploadId,
    pub account_id: AccountId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub received_bytes: i64,
    pub storage_key: String,
    pub sha256: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

impl UploadRow {
    pub fn dto(&self) -> Upload {
        Upload {
            id: self.id,
            file_name: self.file_name.clone(),
            content_type: self.content_type.clone(),
            size_bytes: self.size_bytes,
            offset: self.received_bytes,
            complete: self.completed_at.is_some(),
            sha256: self.sha256.clone(),
            expires_at: self.expires_at.and_utc(),
        }
    }
}

/// The caller's upload that has not expired; any other id is a 404.
pub fn find(
    conn: &mut DbConn,
    account: AccountId,
    id: UploadId,
    now: NaiveDateTime,
) -> Result<UploadRow, ApiError> {
    uploads::table
        .filter(uploads::id.eq(id))
        .filter(uploads::account_id.eq(account))
        .filter(uploads::expires_at.gt(now))
        .select(UploadRow::as_select())
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// A media type as a browser names one (`image/png`, `application/vnd.ms-excel`), lower
/// case; anything else is stored as `application/octet-stream`. Downloads are attachments
/// whatever the type, so a stated `text/html` is never shown as a page.
pub fn clean_content_type(raw: Option<&str>) -> String {
    let raw = raw.unwrap_or_default().trim().to_ascii_lowercase();
    let token = |part: &str| {
        !part.is_empty()
            && part.len() <= 60
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    match raw.split_once('/') {
        Some((kind, subtype)) if token(kind) && token(subtype) => raw,
        _ => "application/octet-stream".to_owned(),
    }
}

/// Takes the caller's complete uploads `ids` for attaching: their rows are deleted (in the
/// caller's transaction), their objects stay under their keys for the attachment rows. An
/// id that is not a complete upload of the caller refuses the whole request.
pub fn take_complete(
    conn: &mut DbConn,
    account: AccountId,
    ids: &[UploadId],
    field: &str,
    now: NaiveDateTime,
) -> Result<Vec<UploadRow>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != ids.len() {
        return Err(ApiError::invalid(field, Invalid::Duplicate));
    }
    let rows: Vec<UploadRow> = uploads::table
        .filter(uploads::id.eq_any(ids))
        .filter(uploads::account_id.eq(account))
        .filter(uploads::completed_at.is_not_null())
        .filter(uploads::expires_at.gt(now))
        .select(UploadRow::as_select())
        .load(conn)?;
    if rows.len() != ids.len() {
        return Err(ApiError::invalid(field, Invalid::UnknownUpload));
    }
    let deleted = diesel::delete(uploads::table.filter(uploads::id.eq_any(ids))).execute(conn)?;
    if deleted != ids.len() {
        // Attached by a racing request a moment ago.
        return Err(ApiError::invalid(field, Invalid::UnknownUpload));
    }
    // Keep the order the caller gave.
    let mut ordered = Vec::with_capacity(rows.len());
    for id in ids {
        if let Some(row) = rows.iter().find(|row| row.id == *id) {
            ordered.push(row.clone());
        }
    }
    Ok(ordered)
}

/// The storage keys of an upload's parts, in order.
pub fn part_keys(conn: &mut DbConn, id: UploadId) -> QueryResult<Vec<String>> {
    upload_parts::table
        .filter(upload_parts::upload_id.eq(id))
        .order(upload_parts::start_offset)
        .select(upload_parts::storage_key)
        .load(conn)
}

/// Deletes expired uploads (and their parts' objects): announced and never finished, or
/// finished and never attached.
pub fn register_purge(handlers: &mut Handlers, storage: Storage) {
    handlers.register(JobKind::PurgeUploads, move |context| {
        let storage = storage.clone();
        async move { purge(context, storage).await }
    });
}

async fn purge(context: JobContext, storage: Storage) -> Result<serde_json::Value, JobError> {
    let now = context.clock.now_naive();
    let mut uploads_deleted = 0_i64;
    let mut objects_deleted = 0_i64;
    loop {
        let batch: Vec<(UploadId, String, Vec<String>)> = context
            .db(move |conn| {
                crate::db::write_transaction(conn, |conn| {
                    let expired: Vec<(UploadId, String)> = uploads::table
                        .filter(uploads::expires_at.le(now))
                        .order(uploads::id)
                        .limit(PURGE_BATCH)
                        .select((uploads::id, uploads::storage_key))
                        .load(conn)?;
                    let mut batch = Vec::with_capacity(expired.len());
                    for (id, key) in expired {
                        let parts = part_keys(conn, id)?;
                        batch.push((id, key, parts));
                    }
                    let ids: Vec<UploadId> = batch.iter().map(|(id, _, _)| *id).collect();
                    diesel::delete(uploads::table.filter(uploads::id.eq_any(&ids))).execute(conn)?;
                    Ok(batch)
                })
            })
            .await?;
        let last = (batch.len() as i64) < PURGE_BATCH;
        for (id, key, parts) in batch {
            uploads_deleted += 1;
            for key in parts.iter().chain(std::iter::once(&key)) {
                match storage.delete(key).await {
                    Ok(()) => objects_deleted += 1,
                    // The final object exists only for a finished upload.
                    Err(object_store::Error::NotFound { .. }) => {}
                    Err(error) => {
                        tracing::warn!(upload_id = %id, %key, %error, "an expired upload's object could not be deleted")
                    }
                }
            }
        }
        context.progress(uploads_deleted, None).await?;
        if last {
            break;
        }
    }
    if uploads_deleted > 0 {
        tracing::info!(uploads_deleted, objects_deleted, "expired uploads purged");
    }
    Ok(json!({ "uploads": uploads_deleted, "objects": objects_deleted }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_tokens_or_octet_stream() {
        assert_eq!(clean_content_type(Some("Image/PNG")), "image/png");
        assert_eq!(
            clean_content_type(Some("application/vnd.ms-excel")),
            "application/vnd.ms-excel"
        );
        assert_eq!(clean_content_type(None), "application/octet-stream");
        assert_eq!(
            clean_content_type(Some("text/html; charset=utf-8")),
            "application/octet-stream"
        );
        assert_eq!(
            clean_content_type(Some("text/\r\nX: y")),
            "application/octet-stream"
        );
        assert_eq!(clean_content_type(Some("/")), "application/octet-stream");
    }
}
