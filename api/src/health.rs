//! `GET /api/v1/health`: for load balancers, monitoring and the SPA's status page. The
//! engine and version are for provider staff: anyone else learns only that it works.

use std::time::{Duration, Instant};

use actix_web::{get, web};
use diesel::connection::SimpleConnection;
use madoguchi_types::accounts::Role;
use madoguchi_types::{DatabaseHealth, HealthResponse, HealthStatus};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::error::ApiError;

/// How long the check waits for a pooled connection before calling the database unreachable.
const CONNECTION_WAIT: Duration = Duration::from_secs(2);

pub fn routes(config: &mut ServiceConfig) {
    config.service(health);
}

/// Server status and database reachability (with engine and version for signed-in staff).
///
/// Answers 503 (problem+json, code `database_unavailable`) when the database cannot be
/// reached, so that a load balancer takes this instance out of rotation.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "Serving; database reachable", body = HealthResponse),
    ),
    security((), ("bearer" = []))
)]
#[get("/health")]
pub async fn health(
    state: web::Data<AppState>,
    user: Option<AuthUser>,
) -> Result<web::Json<HealthResponse>, ApiError> {
    let pool = state.pool.clone();
    let latency = web::block(move || -> Result<Duration, String> {
        let started = Instant::now();
        let mut conn = pool
            .get_timeout(CONNECTION_WAIT)
            .map_err(|error| error.to_string())?;
        conn.batch_execute("SELECT 1")
            .map_err(|error| error.to_string())?;
        Ok(started.elapsed())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::database_unavailable)?;
    let staff = user.is_some_and(|user| user.role() == Role::Staff);
    Ok(web::Json(HealthResponse {
        status: HealthStatus::Ok,
        version: staff.then(|| env!("CARGO_PKG_VERSION").to_owned()),
        database: DatabaseHealth {
            backend: staff.then_some(state.backend),
            reachable: true,
            latency_ms: u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
        },
        server_time: state.clock.now(),
    }))
}
