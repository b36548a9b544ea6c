//! Request and response bodies of the Madoguchi REST API, shared by the server and the SPA.
//!
//! Serde only: this crate builds for wasm32. OpenAPI schemas are derived behind the
//! `schema` feature, which only the server enables.

pub mod health;
pub mod problem;

pub use health::{DatabaseBackend, DatabaseHealth, HealthResponse, HealthStatus};
pub use problem::{FieldError, PROBLEM_CONTENT_TYPE, Problem};
pub mod client_errors;
pub use client_errors::ClientErrorReport;
pub mod accounts;
pub mod auth;
