//! Crash reports from the SPA, written to the server log. Limited per client address, and
//! every client-supplied string is logged escaped: a report cannot forge log lines.

use actix_web::{HttpResponse, post, web};
use madoguchi_types::{ClientErrorReport, Problem};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Invalid;
use crate::error::{ApiError, FieldViolation};
use crate::net::RateLimits;

const MESSAGE_MAX: usize = 2000;
const CONTEXT_MAX: usize = 500;

pub fn routes(config: &mut ServiceConfig, limits: &RateLimits) {
    config.service(
        scope("/client-errors")
            .wrap(actix_governor::Governor::new(&limits.sensitive))
            .service(report_client_error),
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

/// Control characters (line breaks, terminal escapes) as visible escapes: client text
/// stays one field on one log line.
pub fn log_safe(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_unicode().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// Report a crash of the browser app.
///
/// Logged at `error` level with the request id; answers 204. The text is logged as
/// escaped data, never interpreted.
#[utoipa::path(
    tag = "system",
    request_body = ClientErrorReport,
    responses(
        (status = 204, description = "Logged"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn report_client_error(body: web::Json<ClientErrorReport>) -> Result<HttpResponse, ApiError> {
    let ValidReport(report) = ValidReport::try_from(body.into_inner())?;
    tracing::error!(
        client_message = %log_safe(&report.message),
        client_location = %log_safe(report.location.as_deref().unwrap_or("-")),
        client_page = %log_safe(report.page.as_deref().unwrap_or("-")),
        "browser app crashed"
    );
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_escaped() {
        let forged = "boom\n{\"level\":\"INFO\",\"message\":\"admin signed in\"}\u{1b}[31m";
        let safe = super::log_safe(forged);
        assert!(!safe.chars().any(char::is_control), "{safe}");
        assert!(safe.contains("\\u{a}") && safe.contains("\\u{1b}"));
        assert_eq!(super::log_safe("日本語 text"), "日本語 text");
    }
}
