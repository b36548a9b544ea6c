//! Resumable uploads (`/uploads`): announce the file, send it in parts from the offset the
//! server has, ask that offset again after an interruption and go on from there.

use gloo_net::http::Method;
use madoguchi_types::ids::UploadId;
use madoguchi_types::uploads::{CHUNK_CONTENT_TYPE, OFFSET_HEADER, Upload, UploadRequest};

pub use super::xhr::AbortHandle;
use super::xhr::{self, browser_refused};
use super::{ApiError, NO_BODY, private};
use crate::auth::Auth;
use crate::i18n::Lang;

/// Bytes per `PATCH`: the server stores parts of this size, so a broken connection costs
/// at most one part's worth of resending.
const PART_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

pub async fn announce(auth: Auth, lang: Lang, file: &web_sys::File) -> Result<Upload, ApiError> {
    let content_type = file.type_();
    let request = UploadRequest {
        file_name: file.name(),
        size_bytes: file.size() as i64,
        content_type: (!content_type.is_empty()).then_some(content_type),
    };
    private(auth, Method::POST, "/api/v1/uploads", lang, Some(&request)).await
}

pub async fn status(auth: Auth, lang: Lang, id: UploadId) -> Result<Upload, ApiError> {
    private(auth, Method::GET, &format!("/api/v1/uploads/{id}"), lang, NO_BODY).await
}

pub async fn cancel(auth: Auth, lang: Lang, id: UploadId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/uploads/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

/// Sends `file` from the server's offset of `upload` to its end, one part per request,
/// reporting the bytes the server has plus those in flight. A 409 naming another offset
/// (a part that arrived although its answer did not) moves on from the server's offset.
pub async fn send_rest(
    auth: Auth,
    lang: Lang,
    mut upload: Upload,
    file: &web_sys::File,
    on_progress: impl Fn(f64) + Clone + 'static,
    abort: &AbortHandle,
) -> Result<Upload, ApiError> {
    let path = format!("/api/v1/uploads/{}", upload.id);
    while !upload.complete {
        let start = upload.offset as f64;
        let end = (start + PART_BYTES).min(upload.size_bytes as f64);
        let part = file.slice_with_f64_and_f64(start, end).map_err(browser_refused)?;
        let headers = [
            (OFFSET_HEADER, upload.offset.to_string()),
            ("Content-Type", CHUNK_CONTENT_TYPE.to_owned()),
        ];
        let report = on_progress.clone();
        let sent = xhr::send::<Upload>(
            auth,
            lang,
            ("PATCH", &path),
            &headers,
            xhr::Body::Bytes(part),
            move |sent, _| report(start + sent),
            Some(abort),
        )
        .await;
        upload = match sent {
            Ok(upload) => upload,
            // Every byte is in (the last answer was lost): the server's record says whether
            // it is complete.
            Err(ApiError::Problem(problem))
                if problem.status == 409 && problem.offset >= Some(upload.size_bytes) =>
            {
                let known = status(auth, lang, upload.id).await?;
                if !known.complete {
                    return Err(ApiError::Problem(problem));
                }
                known
            }
            Err(ApiError::Problem(problem)) if problem.status == 409 && problem.offset.is_some() => Upload {
                offset: problem.offset.unwrap_or(upload.offset),
                ..upload
            },
            Err(error) => return Err(error),
        };
        on_progress(upload.offset as f64);
    }
    Ok(upload)
}
