//! Structured logging with `tracing`: pretty for people, JSON for collectors.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber. `RUST_LOG` wins over the configured filter.
/// Calling it twice (tests) is harmless: the second call keeps the first subscriber.
pub fn init(format: LogFormat, filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _already_installed = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Echoes the request id (assigned by `TracingLogger`, logged with every line of the
/// request) in an `X-Request-Id` response header, so that a user can quote it to support.
pub async fn request_id_header(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    use actix_web::http::header::{HeaderName, HeaderValue};

    let request_id = req.extensions().get::<tracing_actix_web::RequestId>().copied();
    let mut response = next.call(req).await?;
    if let Some(value) = request_id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}

/// The root span of every request, as tracing-actix-web's default but with the path only:
/// query strings can carry secrets (the confirmation and reset links' tokens land on SPA
/// routes), and logs must never hold one.
pub struct RedactedRootSpan;

impl tracing_actix_web::RootSpanBuilder for RedactedRootSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use actix_web::HttpMessage;
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        let route = request.match_pattern().unwrap_or_else(|| "default".into());
        let client_ip = request
            .app_data::<actix_web::web::Data<crate::app::AppState>>()
            .map(|state| std::sync::Arc::clone(&state.trusted_proxies))
            .unwrap_or_default()
            .client_ip(request.peer_addr().map(|address| address.ip()), request.headers())
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.path(),
            http.client_ip = %client_ip,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
