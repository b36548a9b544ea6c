//! Reading a `multipart/form-data` upload (documents, catalog files, knowledge
//! attachments): small text fields into memory, the one `file` part streamed into storage
//! as it arrives (checked, sized, hashed). Whoever calls [`read`] and then refuses the
//! upload deletes the stored file ([`Upload::discard`]).

use std::collections::HashMap;

use actix_multipart::{Multipart, MultipartError};
use actix_web::HttpResponse;
use actix_web::http::header::{
    CONTENT_LENGTH, CONTENT_TYPE, Charset, ContentDisposition, DispositionParam, DispositionType,
    ExtendedValue,
};
use futures_util::{StreamExt, TryStreamExt};

use crate::domain::Invalid;
use crate::error::ApiError;
use crate::storage::{Accept, Storage, Stored, UploadError};

/// Longest text field, in bytes.
const TEXT_FIELD_MAX: usize = 4096;
/// Most parts in one upload.
const PARTS_MAX: usize = 20;

/// A whole request body read into memory, refused (413) past `max` bytes: for bodies a
/// handler must see entire (a CSV file checked as a whole, a mail to parse).
pub async fn read_limited(mut payload: actix_web::web::Payload, max: usize) -> Result<Vec<u8>, ApiError> {
    let mut body: Vec<u8> = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| ApiError::MalformedBody(error.to_string()))?;
        if body.len() + chunk.len() > max {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The `file` part as stored.
pub struct StoredFile {
    pub key: String,
    pub name: String,
    pub stored: Stored,
}

pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Option<StoredFile>,
}

impl Upload {
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// Deletes the stored file (the upload was refused after it was stored).
    pub async fn discard(self, storage: &Storage) {
        if let Some(file) = self.file
            && let Err(error) = storage.delete(&file.key).await
        {
            tracing::warn!(key = %file.key, %error, "a refused upload's file could not be deleted");
        }
    }
}

fn multipart_error(error: MultipartError) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::UnsupportedMediaType {
            expected: "multipart/form-data",
        },
        other => ApiError::MalformedBody(other.to_string()),
    }
}

/// Reads the parts; the `file` part goes to `key` in `storage` (at most `max` bytes, of
/// the `accept`ed content). Refusals leave nothing in storage.
pub async fn read(
    mut multipart: Multipart,
    storage: &Storage,
    key: String,
    max: u64,
    accept: Accept,
) -> Result<Upload, ApiError> {
    let mut upload = Upload {
        fields: HashMap::new(),
        file: None,
    };
    let mut parts = 0;
    let result: Result<(), ApiError> = async {
        while let Some(mut field) = multipart.try_next().await.map_err(multipart_error)? {
            parts += 1;
            if parts > PARTS_MAX {
                return Err(ApiError::MalformedBody(format!("more than {PARTS_MAX} parts")));
            }
            let name = field.name().unwrap_or_default().to_owned();
            if name == "file" {
                if upload.file.is_some() {
                    return Err(ApiError::invalid("file", Invalid::Duplicate));
                }
                let file_name = field
                    .content_disposition()
                    .and_then(|disposition| disposition.get_filename().map(str::to_owned))
                    .unwrap_or_default();
                let stored =
                    storage
                        .put(&key, &mut field, max, accept)
                        .await
                        .map_err(|error| match error {
                            UploadError::TooLarge { .. } => ApiError::PayloadTooLarge,
                            UploadError::WrongContent => ApiError::invalid("file", Invalid::NotPdf),
                            UploadError::Empty => ApiError::invalid("file", Invalid::Required),
                            UploadError::Interrupted(reason) => ApiError::MalformedBody(reason),
                            UploadError::Storage(error) => ApiError::internal(error),
                        })?;
                upload.file = Some(StoredFile {
                    key: key.clone(),
                    name: clean_file_name(&file_name, accept),
                    stored,
                });
            } else {
                let mut text = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(multipart_error)?;
                    if text.len() + chunk.len() > TEXT_FIELD_MAX {
                        return Err(ApiError::invalid(name, Invalid::TooLong { max: TEXT_FIELD_MAX }));
                    }
                    text.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(text)
                    .map_err(|_| ApiError::invalid(name.clone(), Invalid::WrongType))?;
                upload.fields.insert(name, text);
            }
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(upload),
        Err(error) => {
            upload.discard(storage).await;
            Err(error)
        }
    }
}

/// `Content-Disposition` with an ASCII fallback name and the real (Japanese) one as
/// RFC 6266 / RFC 8187 `filename*`.
fn content_disposition(file_name: &str, inline: bool) -> ContentDisposition {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![
            DispositionParam::Filename(fallback),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: file_name.as_bytes().to_vec(),
            }),
        ],
    }
}

/// A file's bytes (the schema of a download).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

/// A stored file as the answer, streamed from storage: `content_type`, the real name in the
/// `Content-Disposition` (Japanese kept), never cached by shared caches. A key that is gone
/// (deleted a moment ago by staff) is a 404, as its row is about to be.
pub async fn download(
    storage: &Storage,
    key: &str,
    file_name: &str,
    content_type: &'static str,
    inline: bool,
) -> Result<HttpResponse, ApiError> {
    let (size, stream) = storage.get(key).await.map_err(|error| match error {
        object_store::Error::NotFound { .. } => ApiError::NotFound,
        other => ApiError::internal(other),
    })?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CONTENT_LENGTH, size))
        .insert_header(content_disposition(file_name, inline))
        .insert_header(("Cache-Control", "private, no-store"))
        .streaming(stream.map_err(actix_web::error::ErrorInternalServerError)))
}

/// The one byte range a `Range` header asks of a file of `size` bytes (end exclusive):
/// `Ok(None)` for the whole file (no header, another unit, several ranges, or a header
/// that does not parse: RFC 9110 lets a server ignore those), an error for a range outside
/// the file.
pub fn byte_range(header: Option<&str>, size: u64) -> Result<Option<std::ops::Range<u64>>, ApiError> {
    let Some(spec) = header.and_then(|header| header.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let (start, end) = (start.trim(), end.trim());
    let range = match (start.parse::<u64>(), end.parse::<u64>()) {
        // `bytes=-500`: the last 500 bytes.
        (Err(_), Ok(suffix)) if start.is_empty() => {
            if suffix == 0 {
                return Err(ApiError::RangeNotSatisfiable { size });
            }
            size.saturating_sub(suffix)..size
        }
        (Ok(start), Err(_)) if end.is_empty() => start..size,
        (Ok(start), Ok(end)) if end >= start => start..(end.saturating_add(1)).min(size),
        _ => return Ok(None),
    };
    if range.start >= size {
        return Err(ApiError::RangeNotSatisfiable { size });
    }
    Ok(Some(range))
}

/// A stored file of `size` bytes as an attachment with its media type, the whole of it or
/// (`Range`) the part asked for, streamed from storage.
pub async fn download_range(
    storage: &Storage,
    key: &str,
    file_name: &str,
    content_type: &str,
    size: u64,
    range_header: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let range = byte_range(range_header, size)?;
    let not_found = |error: object_store::Error| match error {
        object_store::Error::NotFound { .. } => ApiError::NotFound,
        other => ApiError::internal(other),
    };
    let mut response = match &range {
        Some(range) => {
            let mut builder = HttpResponse::PartialContent();
            builder.insert_header((
                actix_web::http::header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", range.start, range.end - 1),
            ));
            builder
        }
        None => HttpResponse::Ok(),
    };
    response
        .insert_header((CONTENT_TYPE, content_type.to_owned()))
        .insert_header((
            CONTENT_LENGTH,
            range.as_ref().map_or(size, |range| range.end - range.start),
        ))
        .insert_header((actix_web::http::header::ACCEPT_RANGES, "bytes"))
        .insert_header(content_disposition(file_name, false))
        .insert_header(("Cache-Control", "private, no-store"));
    Ok(match range {
        Some(range) => {
            let stream = storage.get_range(key, range).await.map_err(not_found)?;
            response.streaming(stream.map_err(actix_web::error::ErrorInternalServerError))
        }
        None => {
            let (_, stream) = storage.get(key).await.map_err(not_found)?;
            response.streaming(stream.map_err(actix_web::error::ErrorInternalServerError))
        }
    })
}

/// A file name as it may be stored and sent back: its last path component, without
/// control, direction-override or invisible characters, at most 200 characters, never
/// empty; a PDF's ends in `.pdf`.
pub fn clean_file_name(raw: &str, accept: Accept) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control() && !crate::domain::is_direction_control(*c) && !crate::domain::is_invisible(*c)
        })
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    match accept {
        Accept::Pdf if cleaned.is_empty() => "document.pdf".to_owned(),
        // The content is a PDF: so is the name a download is saved under.
        Accept::Pdf if !cleaned.to_lowercase().ends_with(".pdf") => format!("{cleaned}.pdf"),
        Accept::Any if cleaned.is_empty() => "file".to_owned(),
        _ => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range(None, 100).ok(), Some(None));
        assert_eq!(byte_range(Some("bytes=0-9"), 100).ok(), Some(Some(0..10)));
        assert_eq!(byte_range(Some("bytes=90-"), 100).ok(), Some(Some(90..100)));
        assert_eq!(byte_range(Some("bytes=-10"), 100).ok(), Some(Some(90..100)));
        assert_eq!(byte_range(Some("bytes=50-500"), 100).ok(), Some(Some(50..100)));
        assert_eq!(byte_range(Some("bytes=0-1,5-6"), 100).ok(), Some(None));
        assert_eq!(byte_range(Some("items=0-1"), 100).ok(), Some(None));
        assert!(byte_range(Some("bytes=100-"), 100).is_err());
        assert!(byte_range(Some("bytes=-0"), 100).is_err());
    }

    #[test]
    fn file_names_keep_japanese_and_lose_paths_and_controls() {
        assert_eq!(
            clean_file_name("見積書_2026年度.pdf", Accept::Pdf),
            "見積書_2026年度.pdf"
        );
        assert_eq!(
            clean_file_name("C:\\Users\\taro\\請求書.pdf", Accept::Pdf),
            "請求書.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd", Accept::Pdf), "passwd.pdf");
        assert_eq!(clean_file_name("注文書.html", Accept::Pdf), "注文書.html.pdf");
        assert_eq!(clean_file_name("Quote.PDF", Accept::Pdf), "Quote.PDF");
        assert_eq!(
            clean_file_name("invoice\u{202e}fdp.exe", Accept::Pdf),
            "invoicefdp.exe.pdf"
        );
        assert_eq!(clean_file_name("a\r\nb.pdf", Accept::Pdf), "ab.pdf");
        assert_eq!(clean_file_name("...", Accept::Pdf), "document.pdf");
        assert_eq!(clean_file_name("", Accept::Pdf), "document.pdf");
        assert_eq!(
            clean_file_name("junos-arm-23.4R2.tgz", Accept::Any),
            "junos-arm-23.4R2.tgz"
        );
        assert_eq!(clean_file_name("/tmp/設定例.txt", Accept::Any), "設定例.txt");
        assert_eq!(clean_file_name("", Accept::Any), "file");
    }
}
