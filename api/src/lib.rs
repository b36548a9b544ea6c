//! Madoguchi (窓口): the customer self-service portal's API server.
//!
//! Cross-cutting parts are flat modules (`app`, `router`, `policy`, `db`, `error`, `jobs`,
//! `mail`…); each resource has its own folder and exposes one `routes` function, which
//! [`router`] mounts. No module imports the one that mounts it.

pub mod accounts;
pub mod analytics;
pub mod app;
pub mod audit;
pub mod auth;
pub mod cdrs;
pub mod client_errors;
pub mod clock;
pub mod config;
pub mod contracts;
pub mod db;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod error;
pub mod extensions;
pub mod groups;
pub mod health;
pub mod i18n;
pub mod jobs;
pub mod json;
pub mod knowledge;
pub mod listing;
pub mod mail;
pub mod mobile;
pub mod net;
pub mod openapi;
pub mod organizations;
pub mod policy;
pub mod products;
pub mod projects;
pub mod resumable;
pub mod router;
pub mod routing;
pub mod schema;
pub mod sealing;
pub mod search;
pub mod secrets;
pub mod security;
pub mod spa;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod tickets;
pub mod uploads;

pub use startup::Application;

#[cfg(test)]
mod structure_tests;
