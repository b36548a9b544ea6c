//! API tests: the `Application` in-process on port 0, over real HTTP, on a fresh database of
//! the backend under test (`MADOGUCHI_TEST_BACKEND`; `cargo xtask test` runs both).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod account_admin;
mod analytics;
mod analytics_signup;
mod api_tokens;
mod cdrs;
mod contracts;
mod database;
mod documents;
mod extensions;
mod extensions_csv;
mod groups;
mod helpers;
mod jobs;
mod knowledge;
mod mail;
mod mobile;
mod observed;
mod organizations;
mod products;
mod projects;
mod quotes;
mod registration;
mod security;
mod sessions;
mod sign_in;
mod system;
mod tenancy;
mod tickets;
