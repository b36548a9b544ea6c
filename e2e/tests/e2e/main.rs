//! Black-box tests: the real `madoguchi` binary on a fresh database of the backend under
//! test (`MADOGUCHI_TEST_BACKEND`), spoken to over HTTP and through headless Chromium.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod accounts;
mod analytics;
mod browser;
mod cdrs;
mod client;
mod contracts;
mod extensions;
mod groups;
mod http;
mod mail;
mod mobile;
mod organizations;
mod products;
mod quotes;
mod scale_out;
mod security;
mod steps;
mod tickets;
