//! Madoguchi (窓口): the customer self-service portal's API server.
//!
//! Cross-cutting parts are flat modules; each resource has its own folder.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod client_errors;
pub mod clock;
pub mod config;
pub mod contracts;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod health;
pub mod i18n;
pub mod mail;
pub mod openapi;
pub mod organizations;
pub mod schema;
pub mod secrets;
pub mod spa;
pub mod startup;
pub mod telemetry;

pub use startup::Application;
