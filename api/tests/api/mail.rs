use std::time::Duration;

use chrono::TimeDelta;
use madoguchi_api::accounts::Role;
use madoguchi_api::mail::worker::{Transport, Worker};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

/// A port where nothing listens: SMTP delivery to it fails at once.
fn dead_smtp_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    format!("smtp://127.0.0.1:{port}")
}

#[tokio::test]
async fn queued_mail_is_delivered_as_files_by_the_worker() {
    let app = spawn_app().await;
    let organization = app
        .organization_with_contract("N600000001", "配信株式会社", "hosyu@haishin.co.jp")
        .await;
    app.account(Some(organization), "haishin", Role::InquiryStaff)
        .await;
    app.post(
        "/api/v1/auth/forgot-login-id",
        json!({"email": "haishin@example.co.jp"}),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let outbox = app.outbox().await;
        if outbox.iter().all(|mail| mail.sent_at.is_some()) && !outbox.is_empty() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not delivered: {outbox:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let files: Vec<_> = std::fs::read_dir(app.mail_dir.path())
        .expect("mail dir")
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(files[0].path()).expect("eml");
    assert!(eml.contains("To: haishin@example.co.jp"), "{eml}");
    assert!(eml.contains("Subject:"), "{eml}");
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff_until_they_succeed() {
    // The application's own worker idles (it polls once an hour); this test drives rounds.
    let app = spawn_app_with(|settings| settings.mail_poll_interval_ms = 3_600_000).await;
    let organization = app
        .organization_with_contract("N600000002", "再送株式会社", "hosyu@saisou.co.jp")
        .await;
    app.account(Some(organization), "saisou", Role::InquiryStaff)
        .await;
    let worker = |transport| Worker {
        pool: app.pool.clone(),
        clock: app.clock.clone(),
        transport,
        from: "窓口 <no-reply@madoguchi.example.jp>".parse().expect("mailbox"),
        poll_interval: Duration::from_secs(3600),
    };
    let mail_dir = app.mail_dir.path().to_path_buf();
    let smtp_down = worker(Transport::new(Some(&dead_smtp_url().into()), &mail_dir).expect("transport"));
    let smtp_back = worker(Transport::new(None, &mail_dir).expect("transport"));

    app.post(
        "/api/v1/auth/forgot-login-id",
        json!({"email": "saisou@example.co.jp"}),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    assert_eq!(smtp_down.deliver_due().await.expect("round"), 0);
    let mail = app.outbox().await.pop().expect("queued");
    assert_eq!((mail.attempts, mail.sent_at), (1, None));
    assert!(mail.last_error.as_deref().is_some_and(|error| !error.is_empty()));
    assert!(mail.next_attempt_at - app.clock.now_naive() > TimeDelta::seconds(50));

    // Not due before the backoff (1 minute after the first failure).
    assert_eq!(smtp_back.deliver_due().await.expect("round"), 0);
    app.advance(TimeDelta::seconds(61));
    assert_eq!(smtp_down.deliver_due().await.expect("round"), 0);
    let mail = app.outbox().await.pop().expect("queued");
    assert_eq!(mail.attempts, 2);
    assert!(
        mail.next_attempt_at - app.clock.now_naive() > TimeDelta::seconds(110),
        "backoff doubles"
    );

    app.advance(TimeDelta::minutes(3));
    assert_eq!(smtp_back.deliver_due().await.expect("round"), 1);
    let mail = app.outbox().await.pop().expect("queued");
    assert_eq!(mail.attempts, 3);
    assert!(mail.sent_at.is_some() && mail.last_error.is_none());
    assert_eq!(std::fs::read_dir(&mail_dir).expect("mail dir").count(), 1);
    assert_eq!(smtp_back.deliver_due().await.expect("round"), 0, "sent once only");
}
