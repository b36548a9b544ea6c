//! Builds the HTTP application: `Application::build(settings)` binds (port 0 in tests) and
//! reports its port; `main` only loads settings and runs it.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::app::AppState;
use crate::auth::jwt::JwtKeys;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db;
use crate::error;
use crate::jobs::worker::{Handlers, Worker};
use crate::net::{RateLimits, TargetLimit, TrustedProxies, rate_limit};
use crate::routing::{self, RouteTable};
use crate::storage::Storage;
use crate::{auth, mail, openapi, router, security, spa, telemetry};

/// Largest JSON body accepted; uploads (attachments, CSV) have their own limits.
const JSON_LIMIT: usize = 1024 * 1024;

pub struct Application {
    port: u16,
    address: String,
    server: Server,
    state: AppState,
    worker: Worker,
    run_jobs: bool,
}

impl Application {
    /// Checks the settings, connects to the database (applying migrations), binds the
    /// listener and prepares the server; nothing is served until
    /// [`Application::run_until_stopped`].
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        // Refuse a weak signing secret before anything else happens.
        let jwt = Arc::new(JwtKeys::new(settings.jwt_secret.as_ref())?);
        let trusted_proxies = Arc::new(
            TrustedProxies::parse(&settings.trusted_proxies)
                .map_err(|reason| anyhow::anyhow!("MADOGUCHI_TRUSTED_PROXIES: {reason}"))?,
        );
        let database_url = settings.database_url.clone();
        let parsed_url = db::DatabaseUrl::parse(&database_url)?;
        let backend = parsed_url.backend();
        // Refused before the database is touched, like a weak signing secret.
        let sealing = Arc::new(crate::sealing::SealingKey::load(
            settings.pbx_secret_key.as_ref(),
            &parsed_url,
        )?);
        let pool_size = settings.database_pool_size;
        let pool = tokio::task::spawn_blocking(move || db::connect(&database_url, pool_size)).await??;
        tracing::info!(backend = backend.label(), "database ready, migrations applied");

        let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
        let port = listener.local_addr()?.port();
        let public_url = settings.public_url.trim_end_matches('/').to_owned();
        let state = AppState {
            pool: pool.clone(),
            backend,
            clock: clock.clone(),
            jwt,
            secure_cookies: secure_cookies(&public_url),
            public_url: public_url.clone(),
            trusted_proxies,
            registration_targets: Arc::new(TargetLimit::per_hour(
                settings.registrations_per_target_per_hour,
                settings.registrations_per_target_per_hour,
            )),
            storage: Storage::from_settings(&settings)?,
            document_max_bytes: settings.document_max_bytes,
            cdr_retention_days: settings.cdr_retention_days,
            file_max_bytes: settings.file_max_bytes,
            inbound_mail_token: settings.inbound_mail_token.clone(),
            sealing,
        };
        let worker = Worker {
            pool,
            clock,
            handlers: Arc::new(job_handlers(
                &settings,
                &public_url,
                &state.storage,
                state.sealing.clone(),
            )?),
            name: format!("{}:{}", hostname(), std::process::id()),
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
            run_jobs: settings.run_jobs,
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

    /// Serves, and runs the job worker, until stopped (see
    /// [`Application::stop_gracefully_on_signals`]).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = self.run_jobs.then(|| tokio::spawn(self.worker.run()));
        let served = self.server.await;
        if let Some(worker) = worker {
            worker.abort();
        }
        served
    }
}

/// Cookies are `Secure` over HTTPS, and on loopback addresses (which browsers treat as
/// secure even over plain HTTP); only a plain-HTTP deployment elsewhere goes without.
fn secure_cookies(public_url: &str) -> bool {
    let Some(authority) = public_url
        .strip_prefix("http://")
        .map(|rest| rest.split('/').next().unwrap_or_default())
    else {
        return true;
    };
    let host = authority.rsplit_once(':').map_or(authority, |(host, _)| host);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost")
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|_| "madoguchi".into())
}

/// Every job kind's handler.
fn job_handlers(
    settings: &Settings,
    public_url: &str,
    storage: &Storage,
    sealing: Arc<crate::sealing::SealingKey>,
) -> anyhow::Result<Handlers> {
    let mut handlers = Handlers::default();
    mail::Sender {
        transport: mail::transport::Transport::new(settings.smtp_url.as_ref(), &settings.mail_dir)?,
        from: settings.mail_from.parse()?,
        per_recipient_per_hour: settings.mail_per_recipient_per_hour,
    }
    .register(&mut handlers);
    auth::recovery::register(&mut handlers, public_url.to_owned());
    auth::purge::register(&mut handlers);
    crate::resumable::register_purge(&mut handlers, storage.clone());
    crate::extensions::bulk::register_job(&mut handlers, sealing);
    crate::cdrs::retention::register(&mut handlers, settings.cdr_retention_days);
    crate::analytics::retention::register(&mut handlers, storage.clone());
    crate::analytics::downloads::register_job(&mut handlers, storage.clone());
    crate::analytics::warming::register(&mut handlers);
    Ok(handlers)
}

fn serve(listener: TcpListener, state: AppState, settings: &Settings) -> anyhow::Result<Server> {
    let web_dir = settings.web_dir.clone();
    if spa::files(&web_dir).is_none() {
        tracing::warn!(web_dir = %web_dir.display(), "SPA not built (run `cargo xtask web`); serving the API only");
    }
    let limits = RateLimits {
        auth: rate_limit(
            &state.trusted_proxies,
            settings.auth_rate_per_minute,
            settings.auth_rate_burst,
        ),
        sensitive: rate_limit(
            &state.trusted_proxies,
            settings.sensitive_rate_per_minute,
            settings.sensitive_rate_burst,
        ),
    };
    let routes = web::Data::new(RouteTable::from_document(&openapi::document()));
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        let (app, _) = router::mount_api(
            App::new()
                .app_data(data.clone())
                .app_data(routes.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(JSON_LIMIT)
                        .error_handler(error::json_error),
                )
                .app_data(web::PathConfig::default().error_handler(error::path_error))
                .app_data(web::QueryConfig::default().error_handler(error::query_error))
                .into_utoipa_app(),
            &limits,
        )
        .split_for_parts();
        let spa_files = spa::files(&web_dir);
        app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", openapi::document()))
            .service(web::redirect("/api/docs", "/api/docs/"))
            .service(web::scope("/api").default_service(web::to(routing::fallback)))
            .configure(|config| match spa_files {
                Some(files) => {
                    config.service(files);
                }
                None => {
                    config.default_service(web::to(routing::fallback));
                }
            })
            .wrap(from_fn(error::problem_details))
            .wrap(from_fn(security::headers))
            .wrap(Compress::default())
            .wrap(from_fn(telemetry::request_id_header))
            .wrap(TracingLogger::<telemetry::RedactedRootSpan>::new())
    })
    .listen(listener)?
    // Signals are ours (`stop_gracefully_on_signals`), installed before start-up is logged.
    .disable_signals()
    .shutdown_timeout(settings.shutdown_timeout_secs);
    let workers = if settings.workers > 0 {
        settings.workers
    } else {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    };
    // Blocking work is database work: more threads than pooled connections only queue on
    // the pool's lock (and cost context switches); a few spare serve password hashing.
    let blocking = (settings.database_pool_size as usize).div_ceil(workers) + 2;
    server = server.workers(workers).worker_max_blocking_threads(blocking);
    Ok(server.run())
}

#[cfg(test)]
mod tests {
    #[test]
    fn cookies_are_secure_except_on_plain_http_elsewhere() {
        assert!(super::secure_cookies("https://portal.example.jp"));
        assert!(super::secure_cookies("http://127.0.0.1:8080"));
        assert!(super::secure_cookies("http://localhost:8080"));
        assert!(!super::secure_cookies("http://192.168.1.20:8080"));
    }
}
