use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn health_answers_from_the_in_process_application() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["database"]["reachable"], true);
    // Engine and version are for provider staff only.
    assert!(
        body["database"].get("backend").is_none() && body.get("version").is_none(),
        "{body}"
    );
    app.account(None, "health-staff", madoguchi_api::accounts::Role::Staff)
        .await;
    let staff = app.access_token("health-staff").await;
    let body = app.get_as(&staff, "/api/v1/health").await.expect(StatusCode::OK);
    assert_eq!(
        body["database"]["backend"],
        madoguchi_e2e::Backend::under_test().health_name()
    );
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_answers_503_problem_when_the_database_is_gone() {
    let app = spawn_app().await;
    // Exhaust the pool's connections so that the health check cannot get one.
    let pool = app.pool.clone();
    let held: Vec<_> = tokio::task::spawn_blocking(move || {
        (0..pool.max_size())
            .map(|_| pool.get().expect("connection"))
            .collect()
    })
    .await
    .expect("held");
    let response = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "database_unavailable");
    assert!(
        !body.to_string().contains("postgres://"),
        "no connection details leak"
    );
    drop(held);
    let recovered = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(recovered.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_application_serves_api_only_when_the_spa_is_not_built() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/")).send().await.expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.expect("problem");
    assert_eq!(body["code"], "not_found");
}

/// Every documented path answers every method it does not serve with 405 problem+json and
/// an `Allow` listing the ones it does (nested scopes too, which do not inherit a fallback).
#[tokio::test]
async fn a_wrong_method_answers_405_with_allow_on_every_path() {
    // Every request here is refused before any work; the per-client limits would cut in.
    let app = spawn_app_with(|settings| {
        settings.sensitive_rate_burst = 10_000;
        settings.sensitive_rate_per_minute = 60_000;
    })
    .await;
    let document = serde_json::to_value(madoguchi_api::openapi::document()).expect("document");
    // In the order `Allow` lists them (alphabetical).
    let all = ["DELETE", "GET", "PATCH", "POST", "PUT"];
    let mut checked = 0;
    for (template, item) in document["paths"].as_object().expect("paths") {
        // Any value fills a parameter: routing answers before the value is looked at.
        let path = template
            .split('/')
            .map(|segment| if segment.starts_with('{') { "7" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        let served: Vec<&str> = all
            .iter()
            .copied()
            .filter(|method| item.get(method.to_lowercase()).is_some())
            .collect();
        for method in all.iter().filter(|method| !served.contains(method)) {
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let response = app
                .client
                .request(method.clone(), app.url(&path))
                .send()
                .await
                .expect("request");
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            assert_eq!(response.headers()["allow"], served.join(", "), "{method} {path}");
            assert_eq!(response.headers()["content-type"], "application/problem+json");
            let body: Value = response.json().await.expect("problem");
            assert_eq!(body["code"], "method_not_allowed");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} method/path pairs checked");
    let unknown = app
        .client
        .get(app.url("/api/v1/nothing/here"))
        .send()
        .await
        .expect("request");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
