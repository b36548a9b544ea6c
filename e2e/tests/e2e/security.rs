//! What the running binary promises about secrets, headers, cookies and logs.

use std::time::Duration;

use madoguchi_e2e::TestServer;
use reqwest::StatusCode;
use serde_json::json;

/// A weak signing secret would let anyone forge staff tokens: the server refuses to start.
#[tokio::test]
async fn weak_signing_secrets_refuse_to_start() {
    for (secret, expected) in [
        ("", "empty"),
        ("short-secret-123", "at least 32"),
        ("change-me-to-a-long-random-secret", "placeholder"),
    ] {
        let (status, log) = TestServer::expect_refusal(&[("MADOGUCHI_JWT_SECRET", secret)]);
        let status = status.unwrap_or_else(|| panic!("{secret:?} was accepted: {log}"));
        assert!(!status.success(), "{secret:?}: {status:?}");
        assert!(
            log.contains("MADOGUCHI_JWT_SECRET") && log.contains(expected),
            "{secret:?}: {log}"
        );
    }
    // The key sealing the PBX passwords is checked the same way.
    let (status, log) = TestServer::expect_refusal(&[("MADOGUCHI_PBX_SECRET_KEY", "short-key")]);
    assert!(!status.expect("refused").success());
    assert!(
        log.contains("MADOGUCHI_PBX_SECRET_KEY") && log.contains("at least 32"),
        "{log}"
    );
    // A real secret starts.
    TestServer::start_with(
        madoguchi_e2e::TestDatabase::create(),
        &[("MADOGUCHI_JWT_SECRET", "q4Jm0Yk1x7vZc2Nn8LrT5wPa9Hs3Ud6Ef0GbXy")],
    );
}

#[tokio::test]
async fn pages_the_docs_and_the_api_carry_their_security_headers() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    for (path, policy) in [
        ("/", "script-src 'self' 'wasm-unsafe-eval'"),
        ("/login", "script-src 'self' 'wasm-unsafe-eval'"),
        ("/api/docs/", "frame-ancestors 'none'"),
        ("/api/v1/health", "default-src 'none'"),
    ] {
        let response = client.get(server.url(path)).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("ascii");
        assert!(
            csp.contains(policy) && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert!(headers.contains_key("permissions-policy"), "{path}");
    }
    // The SPA's page has no inline script the policy would block.
    let html = client
        .get(server.url("/"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("html");
    assert!(
        !html.contains("<script>") && !html.contains("<script type=\"module\">\n"),
        "{html}"
    );

    // The refresh cookie: HttpOnly, Secure (loopback counts as secure), SameSite=Strict.
    let signed_in = client
        .post(server.url("/api/v1/auth/sign-in"))
        .json(&json!({"login_id": "staff", "password": "Madoguchi-Staff-2026", "refresh_token_delivery": "cookie"}))
        .send()
        .await
        .expect("request");
    assert_eq!(signed_in.headers()["cache-control"], "no-store");
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
}

/// A crash report cannot forge log lines: control characters arrive escaped, and the
/// endpoint is rate-limited.
#[tokio::test]
async fn client_error_reports_are_logged_escaped_and_limited() {
    let server = TestServer::start_with(
        madoguchi_e2e::TestDatabase::create(),
        &[
            ("MADOGUCHI_SENSITIVE_RATE_BURST", "3"),
            ("MADOGUCHI_SENSITIVE_RATE_PER_MINUTE", "1"),
        ],
    );
    let client = reqwest::Client::new();
    let forged = "boom\n{\"level\":\"INFO\",\"fields\":{\"message\":\"admin signed in\"}}\u{1b}[2J \
                  client_page=/admin\u{2028}next\u{202e}txt.exe";
    let first = client
        .post(server.url("/api/v1/client-errors"))
        .json(&json!({"message": forged}))
        .send()
        .await
        .expect("request");
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = client
            .post(server.url("/api/v1/client-errors"))
            .json(&json!({"message": "again"}))
            .send()
            .await
            .expect("request");
        statuses.push(response.status());
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let logs = server.logs();
    let crash = logs
        .iter()
        .find(|line| line.contains("browser app crashed"))
        .expect("logged");
    let line: serde_json::Value = serde_json::from_str(crash).expect("one JSON line");
    let message = line["client_message"].as_str().expect("message field");
    // One quoted value, every control, separator and direction character escaped.
    assert!(message.starts_with('"') && message.ends_with('"'), "{message}");
    assert!(
        message.contains("\\n") && message.contains("\\u{2028}") && message.contains("\\u{202e}"),
        "{message}"
    );
    assert_eq!(line["client_page"], "\"-\"", "no second client_page: {crash}");
    assert!(
        !logs
            .iter()
            .any(|line| line.starts_with("{\"level\":\"INFO\",\"fields\":{\"message\":\"admin signed in\""))
    );
    assert!(
        logs.iter()
            .all(|line| !line.contains(['\u{1b}', '\u{2028}', '\u{202e}']))
    );
}
