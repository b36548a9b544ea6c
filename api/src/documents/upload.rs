//! Reading a `multipart/form-data` upload: small text fields into memory, the one `file`
//! part streamed into storage as it arrives (checked, sized, hashed). Whoever calls
//! [`read`] and then refuses the upload deletes the stored file ([`Upload::discard`]).

use std::collections::HashMap;

use actix_multipart::{Multipart, MultipartError};
use futures_util::{StreamExt, TryStreamExt};

use crate::domain::Invalid;
use crate::error::ApiError;
use crate::storage::{Accept, Storage, Stored, UploadError};

/// Longest text field, in bytes.
const TEXT_FIELD_MAX: usize = 4096;
/// Most parts in one upload.
const PARTS_MAX: usize = 20;

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
        | MultipartError::BoundaryMissing => ApiError::UnsupportedMediaType,
        other => ApiError::MalformedBody(other.to_string()),
    }
}

/// Reads the parts; the `file` part goes to `key` in `storage` (a PDF of at most `max`
/// bytes). Refusals leave nothing in storage.
pub async fn read(
    mut multipart: Multipart,
    storage: &Storage,
    key: String,
    max: u64,
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
                let stored = storage
                    .put(&key, &mut field, max, Accept::Pdf)
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
                    name: super::clean_file_name(&file_name),
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
