//! A CSV file of extensions applies all or nothing, also when the process dies while it
//! writes: the real binary is killed (SIGKILL) in the middle of a 20,000-row job, and the
//! next process on the same database finds none of the file's extensions, or all of them.

use madoguchi_e2e::TestServer;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ROWS: usize = 20_000;

async fn sign_in(client: &reqwest::Client, server: &TestServer, login_id: &str, password: &str) -> String {
    let tokens: Value = client
        .post(server.url("/api/v1/auth/sign-in"))
        .json(&json!({"login_id": login_id, "password": password}))
        .send()
        .await
        .expect("sign-in")
        .json()
        .await
        .expect("tokens");
    tokens["access_token"].as_str().expect("access token").to_owned()
}

async fn extension_total(client: &reqwest::Client, server: &TestServer, token: &str, site: i64) -> i64 {
    let page: Value = client
        .get(server.url(&format!("/api/v1/pbx-sites/{site}/extensions?per_page=1")))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("page");
    page["total"].as_i64().expect("total")
}

#[tokio::test]
async fn a_process_killed_while_a_csv_file_applies_leaves_none_or_all_of_it() {
    let client = reqwest::Client::new();
    let server = TestServer::start_with(
        madoguchi_e2e::TestDatabase::create(),
        &[("MADOGUCHI_MAIL_POLL_INTERVAL_MS", "20")],
    );
    let staff = sign_in(&client, &server, "staff", "Madoguchi-Staff-2026").await;
    let admin = sign_in(&client, &server, "demo-admin", "Madoguchi-Demo-2026").await;
    let me: Value = client
        .get(server.url("/api/v1/me"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("profile");
    let site: Value = client
        .post(server.url("/api/v1/pbx-sites"))
        .bearer_auth(&staff)
        .json(&json!({"organization_id": me["organization"]["id"], "name": "障害試験", "domain_name": "crash.example.jp",
                      "site_number": "91", "gateway_ids": [], "park_hold_code": "*8"}))
        .send()
        .await
        .expect("site")
        .json()
        .await
        .expect("site body");
    let site = site["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("site: {site} (me: {me})"));
    let file: String = (0..ROWS)
        .map(|n| format!("{},,0000000000,,,0,0,web{n},P{n:07},0\r\n", 400_000 + n))
        .collect();
    let accepted = client
        .post(server.url(&format!(
            "/api/v1/pbx-sites/{site}/extensions/csv?action=register"
        )))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .expect("upload");
    assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    let job: Value = accepted.json().await.expect("job");
    let job_path = format!("/api/v1/jobs/{}", job["id"]);

    // The job has checked every row (half its progress): it writes now. Kill it there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let seen = loop {
        let job: Value = client
            .get(server.url(&job_path))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("job")
            .json()
            .await
            .expect("job body");
        let validated = job["progress"]["done"].as_i64().unwrap_or(0) >= ROWS as i64;
        if validated || job["state"] == "done" || job["state"] == "failed" {
            break job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the job never got going: {job}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    };
    assert_ne!(seen["state"], "failed", "{seen}");
    let database = server.crash();

    let server = TestServer::start_with(database, &[]);
    let admin = sign_in(&client, &server, "demo-admin", "Madoguchi-Demo-2026").await;
    let total = extension_total(&client, &server, &admin, site).await;
    assert!(
        total == 0 || total == ROWS as i64,
        "a killed import left {total} of {ROWS} extensions (job when killed: {seen})"
    );
    eprintln!(
        "killed with the job {}: {total} extensions after the restart",
        seen["state"]
    );
}
