//! `/uploads`: announce a file, send its bytes (resuming at the offset the server has),
//! ask how far it got, cancel it.

use actix_web::http::header::{CONTENT_TYPE, LOCATION};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use bytes::{Bytes, BytesMut};
use diesel::prelude::*;
use futures_util::StreamExt;
use madoguchi_types::Problem;
use madoguchi_types::uploads::{CHUNK_CONTENT_TYPE, OFFSET_HEADER, Upload, UploadRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{
    PART_BYTES, PENDING_BYTES_MAX, PENDING_MAX, UPLOAD_TTL, UploadId, UploadRow, clean_content_type, find,
    part_keys,
};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::schema::{upload_parts, uploads};
use crate::storage::{Accept, UploadError};
use crate::uploads::clean_file_name;

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(create_upload)
        .service(get_upload)
        .service(send_bytes)
        .service(cancel_upload);
}

/// The answer about an upload: its state, and its offset in the `Upload-Offset` header as
/// tus clients read it.
fn answer(builder: &mut actix_web::HttpResponseBuilder, row: &UploadRow) -> HttpResponse {
    builder
        .insert_header((OFFSET_HEADER, row.received_bytes.to_string()))
        .insert_header(("Upload-Length", row.size_bytes.to_string()))
        .insert_header(("Cache-Control", "no-store"))
        .json(row.dto())
}

/// Announce a file to upload. Larger than the limit (1 GB) → 413, nothing is kept.
#[utoipa::path(
    tag = "uploads",
    request_body = UploadRequest,
    responses(
        (status = 201, description = "Announced: send the bytes with `PATCH` from offset 0", body = Upload,
            headers(("Location" = String, description = "The upload's address"), ("Upload-Offset" = i64, description = "0"))),
        (status = 413, description = "The file is larger than allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No name, or a size below 1", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unfinished uploads", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/uploads")]
pub async fn create_upload(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<UploadRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut violations = Violations::default();
    let file_name = body.file_name.trim();
    if file_name.is_empty() {
        violations.add("file_name", Invalid::Required);
    } else if file_name.chars().count() > 255 {
        violations.add("file_name", Invalid::TooLong { max: 255 });
    }
    if body.size_bytes < 1 {
        violations.add(
            "size_bytes",
            Invalid::Format {
                expected: "at least 1 byte",
            },
        );
    }
    if !violations.is_empty() {
        return Err(violations.into_error());
    }
    if u64::try_from(body.size_bytes).unwrap_or(u64::MAX) > state.file_max_bytes {
        return Err(ApiError::PayloadTooLarge);
    }
    let file_name = clean_file_name(file_name, Accept::Any);
    let content_type = clean_content_type(body.content_type.as_deref());
    let (account, size, now) = (user.id(), body.size_bytes, state.clock.now_naive());
    let key = format!("attachments/{}", uuid::Uuid::new_v4());
    let row: UploadRow = db::transaction(&state.pool, move |conn| {
        // Unattached uploads, finished or not, count against the account until they expire:
        // so many, and so many bytes.
        let pending: Vec<i64> = uploads::table
            .filter(uploads::account_id.eq(account))
            .filter(uploads::expires_at.gt(now))
            .select(uploads::size_bytes)
            .load(conn)?;
        let pending_bytes: i64 = pending.iter().sum();
        if pending.len() as i64 >= PENDING_MAX || pending_bytes.saturating_add(size) > PENDING_BYTES_MAX {
            return Err(ApiError::TooManyRequests {
                retry_after_secs: 3600,
            });
        }
        Ok(diesel::insert_into(uploads::table)
            .values((
                uploads::account_id.eq(account),
                uploads::file_name.eq(file_name),
                uploads::content_type.eq(content_type),
                uploads::size_bytes.eq(size),
                uploads::storage_key.eq(key),
                uploads::created_at.eq(now),
                uploads::expires_at.eq(now + UPLOAD_TTL),
            ))
            .returning(uploads::all_columns)
            .get_result(conn)?)
    })
    .await?;
    Ok(answer(
        HttpResponse::Created().insert_header((LOCATION, format!("/api/v1/uploads/{}", row.id))),
        &row,
    ))
}

/// How far an upload got: resume with `PATCH` from its `offset`.
#[utoipa::path(
    tag = "uploads",
    params(("id" = UploadId, Path, description = "The upload's id")),
    responses(
        (status = 200, description = "The upload", body = Upload,
            headers(("Upload-Offset" = i64, description = "The bytes the server has"))),
        (status = 404, description = "No such upload of the caller (or it expired)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/uploads/{id}")]
pub async fn get_upload(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<UploadId>,
) -> Result<HttpResponse, ApiError> {
    let (id, account, now) = (id.into_inner(), user.id(), state.clock.now_naive());
    let row = db::run(&state.pool, move |conn| find(conn, account, id, now)).await?;
    Ok(answer(&mut HttpResponse::Ok(), &row))
}

/// The bytes of one `PATCH`, stored as parts as they arrive.
struct Receiver<'a> {
    state: &'a AppState,
    upload: UploadRow,
    buffer: BytesMut,
}

impl Receiver<'_> {
    /// Stores the buffered bytes as a part and moves the upload's offset past them, unless
    /// another request moved it meanwhile (then the part is dropped: 409).
    async fn flush(&mut self) -> Result<(), ApiError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes: Bytes = self.buffer.split().freeze();
        let length = i64::try_from(bytes.len()).map_err(ApiError::internal)?;
        let key = format!("uploads/{}/{}", self.upload.id, uuid::Uuid::new_v4());
        self.state
            .storage
            .put_bytes(&key, bytes)
            .await
            .map_err(ApiError::internal)?;
        let (id, start) = (self.upload.id, self.upload.received_bytes);
        let part_key = key.clone();
        let committed = db::transaction(&self.state.pool, move |conn| {
            let moved = diesel::update(
                uploads::table
                    .filter(uploads::id.eq(id))
                    .filter(uploads::received_bytes.eq(start))
                    .filter(uploads::completed_at.is_null()),
            )
            .set(uploads::received_bytes.eq(start + length))
            .execute(conn)?;
            if moved == 0 {
                let current: Option<i64> = uploads::table
                    .find(id)
                    .select(uploads::received_bytes)
                    .get_result(conn)
                    .optional()?;
                return Err(match current {
                    Some(offset) => ApiError::OffsetMismatch { offset },
                    None => ApiError::NotFound,
                });
            }
            diesel::insert_into(upload_parts::table)
                .values((
                    upload_parts::upload_id.eq(id),
                    upload_parts::start_offset.eq(start),
                    upload_parts::size_bytes.eq(length),
                    upload_parts::storage_key.eq(part_key),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await;
        match committed {
            Ok(()) => {
                self.upload.received_bytes += length;
                Ok(())
            }
            Err(error) => {
                if let Err(error) = self.state.storage.delete(&key).await {
                    tracing::warn!(%key, %error, "a part that lost a race could not be deleted");
                }
                Err(error)
            }
        }
    }

    /// Takes a chunk of the body: buffered, flushed whenever a part is full.
    async fn take(&mut self, mut chunk: Bytes) -> Result<(), ApiError> {
        while !chunk.is_empty() {
            let room = PART_BYTES - self.buffer.len();
            let piece = chunk.split_to(room.min(chunk.len()));
            self.buffer.extend_from_slice(&piece);
            if self.buffer.len() == PART_BYTES {
                self.flush().await?;
            }
        }
        Ok(())
    }

    /// Bytes the upload would have with this request's buffered ones.
    fn offset_with_buffer(&self) -> i64 {
        self.upload.received_bytes + i64::try_from(self.buffer.len()).unwrap_or(i64::MAX)
    }

    /// Joins the parts into the upload's object, hashing it, and marks it complete.
    async fn finish(mut self) -> Result<UploadRow, ApiError> {
        let id = self.upload.id;
        let parts = db::run(&self.state.pool, move |conn| Ok(part_keys(conn, id)?)).await?;
        let stored = self
            .state
            .storage
            .join(&parts, &self.upload.storage_key)
            .await
            .map_err(|error| match error {
                UploadError::Storage(error) => ApiError::internal(error),
                other => ApiError::internal(anyhow::anyhow!("{other}")),
            })?;
        if i64::try_from(stored.size).ok() != Some(self.upload.size_bytes) {
            return Err(ApiError::internal(anyhow::anyhow!(
                "upload {id}: parts hold {} bytes, {} announced",
                stored.size,
                self.upload.size_bytes
            )));
        }
        let now = self.state.clock.now_naive();
        let sha256 = stored.sha256.clone();
        let row = db::transaction(&self.state.pool, move |conn| {
            diesel::delete(upload_parts::table.filter(upload_parts::upload_id.eq(id))).execute(conn)?;
            Ok(diesel::update(uploads::table.find(id))
                .set((uploads::sha256.eq(sha256), uploads::completed_at.eq(now)))
                .returning(uploads::all_columns)
                .get_result(conn)?)
        })
        .await?;
        for key in parts {
            if let Err(error) = self.state.storage.delete(&key).await {
                tracing::warn!(%key, %error, "a joined part could not be deleted");
            }
        }
        self.upload = row;
        Ok(self.upload)
    }
}

/// The offset a `PATCH` says it starts at.
fn requested_offset(request: &HttpRequest) -> Result<i64, ApiError> {
    let value = request
        .headers()
        .get(OFFSET_HEADER)
        .ok_or_else(|| ApiError::MalformedParameter(format!("the {OFFSET_HEADER} header is required")))?;
    value
        .to_str()
        .ok()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .filter(|offset| *offset >= 0)
        .ok_or_else(|| ApiError::MalformedParameter(format!("{OFFSET_HEADER}: a number of bytes")))
}

/// Bytes of an upload from `Upload-Offset` on (the offset the server has; else 409 with
/// that offset). The body may be the rest of the file or any part of it; bytes that
/// reached the server stay even when the connection breaks, so the client resumes from
/// `GET /uploads/{id}`'s offset. The last byte completes the upload: its SHA-256 is in the
/// answer.
#[utoipa::path(
    tag = "uploads",
    params(
        ("id" = UploadId, Path, description = "The upload's id"),
        ("Upload-Offset" = i64, Header, description = "Where these bytes start: the server's offset"),
    ),
    request_body(content = crate::uploads::FileBytes, content_type = "application/offset+octet-stream"),
    responses(
        (status = 200, description = "Stored; `complete` once the last byte is in", body = Upload,
            headers(("Upload-Offset" = i64, description = "The bytes the server has now"))),
        (status = 400, description = "No or a malformed `Upload-Offset`, or the connection broke (what arrived is kept)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such upload of the caller (or it expired)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The offset is not the server's (`offset` in the problem), or the upload is complete", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More bytes than announced", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/offset+octet-stream`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/uploads/{id}")]
pub async fn send_bytes(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<UploadId>,
    request: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let media_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !media_type.eq_ignore_ascii_case(CHUNK_CONTENT_TYPE) {
        return Err(ApiError::UnsupportedMediaType {
            expected: CHUNK_CONTENT_TYPE,
        });
    }
    let offset = requested_offset(&request)?;
    let (id, account, now) = (id.into_inner(), user.id(), state.clock.now_naive());
    let upload = db::run(&state.pool, move |conn| find(conn, account, id, now)).await?;
    // Every byte is in while the request that sent the last one joins the parts: a second
    // request must not join them too.
    let joining = upload.completed_at.is_none() && upload.received_bytes == upload.size_bytes;
    if upload.completed_at.is_some() || joining || offset != upload.received_bytes {
        return Err(ApiError::OffsetMismatch {
            offset: upload.received_bytes,
        });
    }
    let capacity = usize::try_from(upload.size_bytes - upload.received_bytes)
        .unwrap_or(PART_BYTES)
        .min(PART_BYTES);
    let mut receiver = Receiver {
        state: &state,
        upload,
        buffer: BytesMut::with_capacity(capacity),
    };
    while let Some(chunk) = payload.next().await {
        match chunk {
            Ok(chunk) => {
                let after = receiver.offset_with_buffer() + i64::try_from(chunk.len()).unwrap_or(i64::MAX);
                if after > receiver.upload.size_bytes {
                    // What came before the excess is good: keep it.
                    receiver.flush().await?;
                    return Err(ApiError::PayloadTooLarge);
                }
                receiver.take(chunk).await?;
            }
            Err(error) => {
                // The connection broke: keep what arrived, for the client to resume after.
                receiver.flush().await?;
                tracing::info!(upload_id = %id, offset = receiver.upload.received_bytes, "upload interrupted");
                return Err(ApiError::MalformedBody(format!(
                    "the upload was interrupted: {error}"
                )));
            }
        }
    }
    receiver.flush().await?;
    let row = if receiver.upload.received_bytes == receiver.upload.size_bytes {
        receiver.finish().await?
    } else {
        receiver.upload
    };
    Ok(answer(&mut HttpResponse::Ok(), &row))
}

/// Cancel an upload: its bytes are deleted.
#[utoipa::path(
    tag = "uploads",
    params(("id" = UploadId, Path, description = "The upload's id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 404, description = "No such upload of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/uploads/{id}")]
pub async fn cancel_upload(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<UploadId>,
) -> Result<HttpResponse, ApiError> {
    let (id, account, now) = (id.into_inner(), user.id(), state.clock.now_naive());
    let keys = db::transaction(&state.pool, move |conn| {
        let row = find(conn, account, id, now)?;
        let mut keys = part_keys(conn, id)?;
        keys.push(row.storage_key);
        diesel::delete(uploads::table.find(id)).execute(conn)?;
        Ok(keys)
    })
    .await?;
    for key in keys {
        match state.storage.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(error) => tracing::warn!(%key, %error, "a cancelled upload's object could not be deleted"),
        }
    }
    Ok(HttpResponse::NoContent().finish())
}
