//! Madoguchi's browser app: client-side rendered Leptos, served by the API server at `/`.

mod api;
mod app;
mod auth;
mod components;
mod crash_report;
mod i18n;
mod pages;

fn main() {
    crash_report::install();
    leptos::mount::mount_to_body(app::App);
}
