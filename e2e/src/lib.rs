//! The test kit shared by the API tests (`api/tests`) and the black-box tests (`e2e/tests`):
//! a fresh database per test on the backend under test, the real server binary on a free
//! port, and headless Chromium driven through ChromeDriver.

// Test code: a failed expectation should panic with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod browser;
pub mod database;
pub mod s3;
pub mod server;

pub use browser::Browser;
pub use database::{Backend, TestDatabase};
pub use server::TestServer;
