use std::time::Duration;

use madoguchi_e2e::{Backend, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PROBLEM: &str = "application/problem+json";

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn problem(response: reqwest::Response) -> Value {
    assert_eq!(content_type(&response), PROBLEM);
    response.json().await.expect("problem document")
}

#[tokio::test]
async fn health_reports_version_and_the_database_backend() {
    let server = TestServer::start();
    let response = reqwest::get(server.url("/api/v1/health")).await.expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key("x-request-id"));
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["reachable"], true);
    assert!(
        body.get("version").is_none(),
        "the version is for staff only: {body}"
    );
    // Signed-in provider staff see the engine and version.
    let tokens: Value = reqwest::Client::new()
        .post(server.url("/api/v1/auth/sign-in"))
        .json(&json!({"login_id": "staff", "password": "Madoguchi-Staff-2026"}))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let body: Value = reqwest::Client::new()
        .get(server.url("/api/v1/health"))
        .bearer_auth(tokens["access_token"].as_str().expect("token"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["database"]["backend"], Backend::under_test().health_name());
    assert!(
        body["server_time"]
            .as_str()
            .is_some_and(|time| time.ends_with('Z'))
    );
}

#[tokio::test]
async fn unknown_routes_answer_problem_json_in_the_asked_language() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    for path in ["/api/v1/no-such-thing", "/api/nothing-here", "/missing-asset.js"] {
        let response = client.get(server.url(path)).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body = problem(response).await;
        assert_eq!(body["code"], "not_found", "{path}");
        assert_eq!(body["status"], 404);
        assert_eq!(body["instance"], path);
        assert_eq!(body["title"], "見つかりません", "Japanese by default");
        assert!(body["request_id"].is_string());
    }
    let english = client
        .get(server.url("/api/v1/no-such-thing"))
        .header("Accept-Language", "en-US,en;q=0.9")
        .send()
        .await
        .expect("request");
    assert_eq!(problem(english).await["title"], "Not found");
}

#[tokio::test]
async fn bad_bodies_answer_4xx_problem_json_naming_the_cause() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/api/v1/client-errors");

    let malformed = client
        .post(&url)
        .header("Content-Type", "application/json")
        .body("{\"message\": ")
        .send()
        .await
        .expect("request");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body = problem(malformed).await;
    assert_eq!(body["code"], "malformed_body");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("line 1")),
        "{body}"
    );

    let wrong_type = client
        .post(&url)
        .json(&json!({"message": 42}))
        .send()
        .await
        .expect("request");
    // A value of the wrong type names its field.
    assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = problem(wrong_type).await;
    assert_eq!(body["errors"][0]["field"], "message", "{body}");
    assert_eq!(body["errors"][0]["code"], "wrong_type", "{body}");

    let not_json = client
        .post(&url)
        .header("Content-Type", "text/plain")
        .body("hello")
        .send()
        .await
        .expect("request");
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(problem(not_json).await["code"], "unsupported_media_type");

    let invalid = client
        .post(&url)
        .header("Accept-Language", "en")
        .json(&json!({"message": "  ", "page": "x".repeat(501)}))
        .send()
        .await
        .expect("request");
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = problem(invalid).await;
    assert_eq!(body["code"], "validation_failed");
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| {
            (
                error["field"].as_str().unwrap_or_default(),
                error["code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(fields, [("message", "required"), ("page", "too_long")]);

    let too_large = client
        .post(&url)
        .json(&json!({"message": "x".repeat(2 * 1024 * 1024)}))
        .send()
        .await
        .expect("request");
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem(too_large).await["code"], "payload_too_large");

    // Nested scopes too (they do not inherit the outer fallback).
    for (method, path, allow) in [
        (reqwest::Method::DELETE, "/api/v1/health", "GET"),
        (reqwest::Method::GET, "/api/v1/auth/sign-in", "POST"),
        (reqwest::Method::PUT, "/api/v1/me", "GET, PATCH"),
        (reqwest::Method::GET, "/api/v1/registrations", "POST"),
    ] {
        let wrong_method = client
            .request(method.clone(), server.url(path))
            .send()
            .await
            .expect("request");
        assert_eq!(
            wrong_method.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(wrong_method.headers()["allow"], allow, "{method} {path}");
        assert_eq!(content_type(&wrong_method), PROBLEM);
    }
}

#[tokio::test]
async fn client_error_reports_reach_the_server_log() {
    let server = TestServer::start();
    let response = reqwest::Client::new()
        .post(server.url("/api/v1/client-errors?token=SECRET-IN-QUERY"))
        .json(&json!({"message": "panicked at 'boom'", "location": "src/app.rs:1:1", "page": "/status"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let logs = server.logs();
        if let Some(line) = logs.iter().find(|line| line.contains("browser app crashed")) {
            assert!(line.contains("boom") && line.contains("/status"), "{line}");
            assert!(
                line.contains("/api/v1/client-errors"),
                "the request path is logged: {line}"
            );
            assert!(
                logs.iter().all(|line| !line.contains("SECRET-IN-QUERY")),
                "query strings (mailed tokens) never reach the log"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "report not logged: {logs:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn serves_the_openapi_document_equal_to_the_committed_one() {
    let server = TestServer::start();
    let served: Value = reqwest::get(server.url("/api/openapi.json"))
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let committed_path = madoguchi_e2e::server::workspace_root().join("openapi/openapi.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(committed_path).expect("committed spec"))
            .expect("json");
    assert_eq!(served, committed, "run `cargo xtask openapi`");
    assert_eq!(served["openapi"], "3.1.0");
    assert!(served["paths"]["/api/v1/health"]["get"]["responses"]["200"].is_object());
}

#[tokio::test]
async fn serves_the_docs_ui_offline_and_the_spa_for_client_routes() {
    let server = TestServer::start();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .expect("client");
    let docs = client.get(server.url("/api/docs")).send().await.expect("request");
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "docs page");
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from a CDN"
    );
    let bundle = client
        .get(server.url("/api/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .expect("request");
    assert_eq!(bundle.status(), StatusCode::OK, "vendored assets are served");

    for path in ["/", "/status", "/some/client/route"] {
        let page = client.get(server.url(path)).send().await.expect("request");
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert!(
            page.text().await.expect("html").contains("/boot.js"),
            "{path} serves index.html"
        );
    }
    let boot = client.get(server.url("/boot.js")).send().await.expect("request");
    assert!(
        boot.text().await.expect("js").contains("madoguchi_web.js"),
        "boot.js starts the app"
    );
    let wasm = client
        .get(server.url("/madoguchi_web_bg.wasm"))
        .send()
        .await
        .expect("request");
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(content_type(&wasm), "application/wasm");
}

#[tokio::test]
async fn stops_gracefully_on_sigterm() {
    let mut server = TestServer::start();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = server
        .wait_for_exit(Duration::from_secs(20))
        .expect("exits after SIGTERM");
    assert!(exit.success(), "{exit:?}");
}
