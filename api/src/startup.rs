//! Builds the HTTP application: `Application::build(settings)` binds (port 0 in tests) and
//! reports its port; `main` only loads settings and runs it.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::{Governor, GovernorConfig, GovernorConfigBuilder, PeerIpKeyExtractor};

use actix_web::dev::{Server, ServerHandle, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use madoguchi_types::DatabaseBackend;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::accounts::{admin, api_tokens, profile, registration};
use crate::auth::jwt::JwtKeys;
use crate::auth::routes as auth_routes;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::error::{self, ApiError};
use crate::mail::worker::{Transport, Worker};
use crate::{audit, client_errors, health, spa, telemetry};

/// Largest JSON body accepted; uploads (attachments, CSV) have their own limits.
const JSON_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub backend: DatabaseBackend,
    pub clock: Clock,
    pub jwt: Arc<JwtKeys>,
    /// The portal's address as users reach it, without a trailing slash (for mailed links).
    pub public_url: String,
}

/// Mounts every documented API route. The same function feeds the server and
/// [`crate::openapi::document`], so the served document lists exactly what is served.
pub fn mount_api<T>(app: UtoipaApp<T>, auth_limit: &AuthRateLimit) -> UtoipaApp<T>
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse,
            Error = actix_web::Error,
            InitError = (),
        >,
{
    app.openapi(crate::openapi::base()).service(
        scope("/api/v1")
            .service(health::health)
            .service(client_errors::report_client_error)
            // Unauthenticated endpoints that check passwords or send mail: limited per IP.
            .service(
                scope("/auth")
                    .wrap(Governor::new(auth_limit))
                    .service(auth_routes::sign_in)
                    .service(auth_routes::verify_otp)
                    .service(auth_routes::release_two_factor)
                    .service(auth_routes::refresh)
                    .service(auth_routes::forgot_login_id)
                    .service(auth_routes::forgot_password)
                    .service(auth_routes::set_password)
                    .service(auth_routes::sign_out)
                    .default_service(web::to(not_found)),
            )
            .service(
                scope("/registrations")
                    .wrap(Governor::new(auth_limit))
                    .service(registration::register)
                    .service(registration::confirm_registration)
                    .default_service(web::to(not_found)),
            )
            .service(profile::get_profile)
            .service(profile::update_profile)
            .service(profile::change_password)
            .service(profile::start_two_factor)
            .service(profile::confirm_two_factor)
            .service(profile::disable_two_factor)
            .service(api_tokens::create_api_token)
            .service(api_tokens::list_api_tokens)
            .service(api_tokens::revoke_api_token)
            .service(admin::list_accounts)
            .service(admin::get_account)
            .service(admin::create_account)
            .service(admin::update_account)
            .service(admin::unlock_account)
            .service(audit::list_audit_log)
            .default_service(web::to(not_found)),
    )
}

/// One limiter shared by every worker thread (per client IP).
pub type AuthRateLimit = GovernorConfig<PeerIpKeyExtractor, NoOpMiddleware>;

pub fn auth_rate_limit(per_minute: u64, burst: u32) -> AuthRateLimit {
    let per_minute = per_minute.max(1);
    GovernorConfigBuilder::default()
        .period(Duration::from_millis(60_000 / per_minute))
        .burst_size(burst.max(1))
        .finish()
        .unwrap_or_default()
}

async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

pub struct Application {
    port: u16,
    address: String,
    server: Server,
    state: AppState,
    worker: Worker,
}

impl Application {
    /// Connects to the database (applying migrations), binds the listener and prepares
    /// the server; nothing is served until [`Application::run_until_stopped`].
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let database_url = settings.database_url.clone();
        let backend = db::DatabaseUrl::parse(&database_url)?.backend();
        let pool_size = settings.database_pool_size;
        let pool = tokio::task::spawn_blocking(move || db::connect(&database_url, pool_size)).await??;
        tracing::info!(backend = backend.label(), "database ready, migrations applied");

        let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
        let port = listener.local_addr()?.port();
        let state = AppState {
            pool: pool.clone(),
            backend,
            clock: clock.clone(),
            jwt: Arc::new(JwtKeys::new(settings.jwt_secret.as_ref())),
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
        };
        let worker = Worker {
            pool,
            clock,
            transport: Transport::new(settings.smtp_url.as_ref(), &settings.mail_dir)?,
            from: settings.mail_from.parse()?,
            poll_interval: Duration::from_millis(settings.mail_poll_interval_ms.max(10)),
        };
        let server = serve(listener, state.clone(), &settings)?;
        let address = format!("http://{}:{port}", settings.host);
        Ok(Self {
            port,
            address,
            server,
            state,
            worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://host:port` as bound.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle to stop the server gracefully (tests, embedding).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Makes SIGTERM and SIGINT stop the server gracefully: it stops accepting, lets
    /// in-flight requests finish (up to the shutdown timeout) and returns. The handlers are
    /// installed before this returns, so a signal that arrives right after start-up is
    /// never lost.
    pub fn stop_gracefully_on_signals(&self) -> std::io::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let handle = self.server.handle();
        tokio::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => tracing::info!("SIGTERM received, shutting down"),
                _ = interrupt.recv() => tracing::info!("SIGINT received, shutting down"),
            }
            handle.stop(true).await;
        });
        Ok(())
    }

    /// Serves, and delivers the mail outbox, until stopped (see
    /// [`Application::stop_gracefully_on_signals`]).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = tokio::spawn(self.worker.run());
        let served = self.server.await;
        worker.abort();
        served
    }
}

fn serve(listener: TcpListener, state: AppState, settings: &Settings) -> anyhow::Result<Server> {
    let web_dir = settings.web_dir.clone();
    if spa::files(&web_dir).is_none() {
        tracing::warn!(web_dir = %web_dir.display(), "SPA not built (run `cargo xtask web`); serving the API only");
    }
    let data = web::Data::new(state);
    let auth_limit = auth_rate_limit(settings.auth_rate_per_minute, settings.auth_rate_burst);
    let mut server = HttpServer::new(move || {
        let (app, document) = mount_api(
            App::new()
                .app_data(data.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(JSON_LIMIT)
                        .error_handler(error::json_error),
                )
                .app_data(web::PathConfig::default().error_handler(error::path_error))
                .app_data(web::QueryConfig::default().error_handler(error::query_error))
                .into_utoipa_app(),
            &auth_limit,
        )
        .split_for_parts();
        let spa_files = spa::files(&web_dir);
        app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", document))
            .service(web::redirect("/api/docs", "/api/docs/"))
            .service(web::scope("/api").default_service(web::to(not_found)))
            .configure(|config| match spa_files {
                Some(files) => {
                    config.service(files);
                }
                None => {
                    config.default_service(web::to(not_found));
                }
            })
            .wrap(from_fn(error::problem_details))
            .wrap(Compress::default())
            .wrap(from_fn(telemetry::request_id_header))
            .wrap(TracingLogger::<telemetry::RedactedRootSpan>::new())
    })
    .listen(listener)?
    // Signals are ours (`stop_gracefully_on_signals`), installed before start-up is logged.
    .disable_signals()
    .shutdown_timeout(settings.shutdown_timeout_secs);
    if settings.workers > 0 {
        server = server.workers(settings.workers);
    }
    Ok(server.run())
}
