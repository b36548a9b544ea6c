//! The one place that mounts every resource's routes. The server and the OpenAPI document
//! both come from [`mount_api`], so the document lists exactly what is served. Resources
//! never import this module (it imports them).

use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::web;
use utoipa_actix_web::{UtoipaApp, scope};

use crate::net::RateLimits;
use crate::{
    accounts, analytics, audit, auth, cdrs, client_errors, contracts, documents, extensions, groups, health,
    jobs, knowledge, mobile, organizations, products, projects, resumable, routing, tickets,
};

pub fn mount_api<T>(app: UtoipaApp<T>, limits: &RateLimits) -> UtoipaApp<T>
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse,
            Error = actix_web::Error,
            InitError = (),
        >,
{
    app.service(
        scope("/api/v1")
            .configure(health::routes)
            .configure(|config| client_errors::routes(config, limits))
            .configure(|config| auth::routes(config, limits))
            .configure(|config| accounts::routes(config, limits))
            .configure(audit::routes)
            .configure(organizations::routes)
            .configure(contracts::routes)
            .configure(projects::routes)
            .configure(documents::routes)
            .configure(products::routes)
            .configure(knowledge::routes)
            .configure(tickets::routes)
            .configure(mobile::routes)
            .configure(extensions::routes)
            .configure(groups::routes)
            .configure(cdrs::routes)
            .configure(|config| analytics::routes(config, limits))
            .configure(resumable::routes::routes)
            .configure(jobs::routes::routes)
            .default_service(web::to(routing::fallback)),
    )
}
