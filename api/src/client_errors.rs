//! Crash reports from the SPA, written to the server log.

use actix_web::{HttpResponse, post, web};
use madoguchi_types::{ClientErrorReport, Problem};

use crate::domain::Invalid;
use crate::error::{ApiError, FieldViolation};

const MESSAGE_MAX: usize = 2000;
const CONTEXT_MAX: usize = 500;

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
/// Logged at `error` level with the request id; answers 204. The text is logged as data
/// (escaped by the log formatter), never interpreted.
#[utoipa::path(
    tag = "system",
    request_body = ClientErrorReport,
    responses(
        (status = 204, description = "Logged"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/client-errors")]
pub async fn report_client_error(body: web::Json<ClientErrorReport>) -> Result<HttpResponse, ApiError> {
    let ValidReport(report) = ValidReport::try_from(body.into_inner())?;
    tracing::error!(
        client_message = %report.message,
        client_location = report.location.as_deref().unwrap_or("-"),
        client_page = report.page.as_deref().unwrap_or("-"),
        "browser app crashed"
    );
    Ok(HttpResponse::NoContent().finish())
}
