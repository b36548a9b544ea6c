//! Crash reports from the SPA, written to the server log. Limited per client address, and
//! every client-supplied string is logged escaped: a report cannot forge log lines.

use actix_web::{HttpResponse, post, web};
use madoguchi_types::{ClientErrorReport, Problem};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Invalid;
use crate::error::{ApiError, FieldViolation};
use crate::json::Json;
use crate::net::RateLimits;

const MESSAGE_MAX: usize = 2000;
const CONTEXT_MAX: usize = 500;

pub fn routes(config: &mut ServiceConfig, limits: &RateLimits) {
    config.service(
        scope("/client-errors")
            .wrap(actix_governor::Governor::new(&limits.sensitive))
            .service(report_client_error)
            .default_service(web::to(crate::routing::fallback)),
    );
}

/// A report that passed the size checks; nothing else is trusted about it.
struct ValidReport(ClientErrorReport);

impl TryFrom<ClientErrorReport> for ValidReport {
    type Error = ApiError;

    fn try_from(report: ClientErrorReport) -> Result<Self, ApiError> {
        let mut violations = Vec::new();
        let length = report.message.trim().chars().count();
        if length == 0 {
            violations.push(FieldViolation::new("message", Invalid::Required));
        } else if length > MESSAGE_MAX {
            violations.push(FieldViolation::new(
                "message",
                Invalid::TooLong { max: MESSAGE_MAX },
            ));
        }
        for (field, value) in [("location", &report.location), ("page", &report.page)] {
            if value
                .as_ref()
                .is_some_and(|value| value.chars().count() > CONTEXT_MAX)
            {
                violations.push(FieldViolation::new(field, Invalid::TooLong { max: CONTEXT_MAX }));
            }
        }
        if violations.is_empty() {
            Ok(Self(report))
        } else {
            Err(ApiError::Validation(violations))
        }
    }
}

/// Report a crash of the browser app.
///
/// Logged at `error` level with the request id; answers 204. The text is logged quoted
/// and escaped, never interpreted.
#[utoipa::path(
    tag = "system",
    request_body = ClientErrorReport,
    responses(
        (status = 204, description = "Logged"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn report_client_error(body: Json<ClientErrorReport>) -> Result<HttpResponse, ApiError> {
    let ValidReport(report) = ValidReport::try_from(body.into_inner())?;
    // Debug-formatted: quoted, with line breaks, separators (U+2028), direction overrides
    // and terminal escapes shown escaped — client text stays one quoted value on one line,
    // so it can neither forge a line nor pose as another field.
    tracing::error!(
        client_message = ?report.message,
        client_location = ?report.location.as_deref().unwrap_or("-"),
        client_page = ?report.page.as_deref().unwrap_or("-"),
        "browser app crashed"
    );
    Ok(HttpResponse::NoContent().finish())
}
