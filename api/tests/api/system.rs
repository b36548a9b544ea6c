use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

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
    assert_eq!(
        body["database"]["backend"],
        madoguchi_e2e::Backend::under_test().health_name()
    );
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
