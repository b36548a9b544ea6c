//! Request and response bodies of the Madoguchi REST API, shared by the server and the SPA.
//!
//! Serde only: this crate builds for wasm32. OpenAPI schemas (feature `schema`) and the
//! database mappings of ids and enums (feature `diesel`) are for the server only.

mod macros;

pub mod accounts;
pub mod analytics;
pub mod auth;
pub mod cdrs;
pub mod client_errors;
pub mod contracts;
pub mod documents;
pub mod extensions;
pub mod features;
pub mod groups;
pub mod health;
pub mod ids;
pub mod jobs;
pub mod knowledge;
pub mod lang;
pub mod mobile;
pub mod organizations;
pub mod policy;
pub mod problem;
pub mod products;
pub mod projects;
pub mod tickets;
pub mod uploads;
pub mod validation;

pub use client_errors::ClientErrorReport;
pub use health::{DatabaseBackend, DatabaseHealth, HealthResponse, HealthStatus};
pub use lang::Lang;
pub use macros::UnknownVariant;
pub use problem::{FieldError, PROBLEM_CONTENT_TYPE, Problem};
