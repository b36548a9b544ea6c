//! Serves the built SPA (`web/dist`) on the same origin as the API: its files, and
//! `index.html` for client-side routes such as `/health` or `/login`.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};

use crate::error::ApiError;

/// `None` when the SPA has not been built (API-only use); the caller then answers 404.
pub fn files(web_dir: &Path) -> Option<Files> {
    let index = web_dir.join("index.html");
    if !index.is_file() {
        return None;
    }
    Some(
        Files::new("/", web_dir)
            .index_file("index.html")
            .use_etag(true)
            .default_handler(fn_service(move |request: ServiceRequest| {
                client_route(request, index.clone())
            })),
    )
}

/// A path without a file extension is a client route: answer `index.html` and let the
/// router draw it. A missing file (`/missing.js`) stays a 404.
async fn client_route(request: ServiceRequest, index: PathBuf) -> Result<ServiceResponse, actix_web::Error> {
    let is_file = request
        .path()
        .rsplit('/')
        .next()
        .is_some_and(|segment| segment.contains('.'));
    let (request, _payload) = request.into_parts();
    if is_file {
        // Keeps the error on the response, so that it is rendered in the caller's language.
        return Ok(ServiceResponse::from_err(ApiError::NotFound, request));
    }
    let mut response = NamedFile::open_async(&index).await?.into_response(&request);
    // index.html names the current wasm; never let a browser keep an old one.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(ServiceResponse::new(request, response))
}
