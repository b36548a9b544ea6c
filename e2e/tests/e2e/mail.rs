use std::time::Duration;

use madoguchi_e2e::TestServer;
use reqwest::StatusCode;
use serde_json::json;

/// Registration commits the account and its (1/3) mail together; the process dies before
/// the worker sends it; the next process on the same database delivers it.
#[tokio::test]
async fn a_crash_between_commit_and_delivery_loses_no_mail() {
    let mail_dir = tempfile::tempdir().expect("mail dir");
    let mail_dir_path = mail_dir.path().to_string_lossy().into_owned();
    // First server: its worker looks once at start-up, then not for an hour.
    let first = TestServer::start_with(
        madoguchi_e2e::TestDatabase::create(),
        &[
            ("MADOGUCHI_MAIL_POLL_INTERVAL_MS", "3600000"),
            ("MADOGUCHI_MAIL_DIR", &mail_dir_path),
        ],
    );
    let registered = reqwest::Client::new()
        .post(first.url("/api/v1/registrations"))
        .json(&json!({
            "company_name": "デモ株式会社",
            "full_name": "障害 試験",
            "login_id": "crash-test",
            "password": "Kurasshu-Test-42",
            "password_confirmation": "Kurasshu-Test-42",
            "contact_email": "crash@demo-corp.example.jp",
            "maintenance_email": "it-admin@demo-corp.example.jp",
            "consent": true,
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(registered.status(), StatusCode::ACCEPTED);
    assert_eq!(
        std::fs::read_dir(mail_dir.path()).expect("dir").count(),
        0,
        "not sent yet"
    );

    let database = first.crash();
    let second = TestServer::start_with(
        database,
        &[
            ("MADOGUCHI_MAIL_POLL_INTERVAL_MS", "50"),
            ("MADOGUCHI_MAIL_DIR", &mail_dir_path),
        ],
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let delivered: Vec<String> = std::fs::read_dir(mail_dir.path())
            .expect("dir")
            .flatten()
            .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
            .collect();
        if let Some(mail) = delivered.first() {
            assert_eq!(delivered.len(), 1);
            assert!(mail.contains("To: crash@demo-corp.example.jp"), "{mail}");
            assert!(
                mail.contains("(1/3)"),
                "the (1/3) provisional-registration mail: {mail}"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "mail lost; server log: {:?}",
            second.logs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
