//! Resumable uploads (the shape of the tus protocol): announce a file with its size, send
//! its bytes in one or more `PATCH` requests at the offset the server has, and after an
//! interruption ask for that offset and go on from it. A complete upload is attached to a
//! ticket or a reply by its id.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::UploadId;

/// The request header carrying the offset a `PATCH` starts at (and, in answers, the
/// offset the server has).
pub const OFFSET_HEADER: &str = "Upload-Offset";
/// The media type of a `PATCH` body.
pub const CHUNK_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// A file about to be uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct UploadRequest {
    /// The name the file is shown and downloaded under (Japanese kept).
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 255))]
    pub file_name: String,
    /// The whole file's size; larger than the limit (1 GB) → 413.
    #[cfg_attr(feature = "schema", schema(minimum = 1))]
    pub size_bytes: i64,
    /// The file's media type as the browser knows it; `application/octet-stream` if none.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 100))]
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Upload {
    pub id: UploadId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// How many bytes the server has: the next `PATCH` starts here.
    pub offset: i64,
    /// All bytes are in and checked: the upload can be attached.
    pub complete: bool,
    /// SHA-256 of the complete file, lower-case hex.
    pub sha256: Option<String>,
    /// An upload not attached by then is deleted.
    pub expires_at: DateTime<Utc>,
}
