//! Security headers on every answer, in one place: no sniffing, no framing, no referrer,
//! no powerful browser features; a strict Content Security Policy for the SPA (scripts only
//! from our origin, WebAssembly allowed), a looser one for the API docs UI (Swagger UI sets
//! inline styles), none-at-all for API answers; and `Cache-Control: no-store` on API
//! answers, which carry tokens and personal data.

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CACHE_CONTROL, CONTENT_ENCODING, HeaderName, HeaderValue};
use actix_web::middleware::Next;

const SPA_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// API answers smaller than this are sent uncompressed.
const SMALL_BODY: u64 = 2048;

pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    };
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "no-referrer");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    );
    set("cross-origin-opener-policy", "same-origin");
    let policy = if path.starts_with("/api/docs") {
        DOCS_POLICY
    } else if path.starts_with("/api/") {
        API_POLICY
    } else {
        SPA_POLICY
    };
    set("content-security-policy", policy);
    if path.starts_with("/api/v1/") {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        // Compressing a few hundred bytes of JSON costs more than sending them.
        if let BodySize::Sized(size) = response.response().body().size()
            && size < SMALL_BODY
        {
            response
                .headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_static("identity"));
        }
    }
    Ok(response)
}
