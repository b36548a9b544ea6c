use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use madoguchi_api::accounts::Role;
use madoguchi_api::jobs::JobState;
use madoguchi_api::jobs::worker::{Handlers, Worker};
use madoguchi_api::mail::{Sender, transport::Transport};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// A port where nothing listens: SMTP delivery to it fails at once.
pub fn dead_smtp_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    format!("smtp://127.0.0.1:{port}")
}

/// A worker of `app`'s queue that delivers mail through `transport` (and runs the recovery
/// jobs that queue mails), driven round by round by the test.
pub fn worker(app: &TestApp, transport: Transport, per_recipient_per_hour: i64) -> Worker {
    let mut handlers = Handlers::default();
    Sender {
        transport,
        from: "窓口 <no-reply@madoguchi.example.jp>".parse().expect("mailbox"),
        per_recipient_per_hour,
    }
    .register(&mut handlers);
    madoguchi_api::auth::recovery::register(&mut handlers, "http://portal.test".into());
    Worker {
        pool: app.pool.clone(),
        clock: app.clock.clone(),
        handlers: Arc::new(handlers),
        name: "test-worker".into(),
        poll_interval: Duration::from_secs(3600),
    }
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
        if !outbox.is_empty() && outbox.iter().all(|mail| mail.delivered()) {
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
    // The application runs no jobs itself; this test drives the worker round by round.
    let app = spawn_app_with(|settings| settings.run_jobs = false).await;
    let organization = app
        .organization_with_contract("N600000002", "再送株式会社", "hosyu@saisou.co.jp")
        .await;
    app.account(Some(organization), "saisou", Role::InquiryStaff)
        .await;
    let mail_dir = app.mail_dir.path().to_path_buf();
    let smtp_down = worker(
        &app,
        Transport::new(Some(&dead_smtp_url().into()), &mail_dir).expect("transport"),
        100,
    );
    let smtp_back = worker(&app, Transport::new(None, &mail_dir).expect("transport"), 100);

    app.post(
        "/api/v1/auth/forgot-login-id",
        json!({"email": "saisou@example.co.jp"}),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    // The form's job looks the address up and queues the mail; the mail fails.
    assert_eq!(smtp_down.run_due().await.expect("round"), 1);
    assert_eq!(smtp_down.run_due().await.expect("round"), 1);
    let mail = app.outbox().await.pop().expect("queued");
    assert_eq!((mail.job.attempts, mail.job.state), (1, JobState::Queued));
    assert!(
        mail.job
            .last_error
            .as_deref()
            .is_some_and(|error| !error.is_empty())
    );
    assert!(mail.job.run_after - app.clock.now_naive() > TimeDelta::seconds(50));

    // Not due before the backoff (1 minute after the first failure).
    assert_eq!(smtp_back.run_due().await.expect("round"), 0);
    app.advance(TimeDelta::seconds(61));
    assert_eq!(smtp_down.run_due().await.expect("round"), 1);
    let mail = app.outbox().await.pop().expect("queued");
    assert_eq!(mail.job.attempts, 2);
    assert!(
        mail.job.run_after - app.clock.now_naive() > TimeDelta::seconds(110),
        "backoff doubles"
    );

    app.advance(TimeDelta::minutes(3));
    assert_eq!(smtp_back.run_due().await.expect("round"), 1);
    let mail = app.outbox().await.pop().expect("queued");
    assert_eq!(mail.job.attempts, 3);
    assert!(mail.delivered());
    assert_eq!(std::fs::read_dir(&mail_dir).expect("mail dir").count(), 1);
    assert_eq!(smtp_back.run_due().await.expect("round"), 0, "sent once only");
}

/// Nobody can flood an inbox through the public forms: past the hourly limit per
/// recipient, mails are dropped (and the job records why).
#[tokio::test]
async fn mails_to_one_recipient_are_limited_per_hour() {
    let app = spawn_app_with(|settings| settings.run_jobs = false).await;
    let organization = app
        .organization_with_contract("N600000003", "上限株式会社", "hosyu@jougen.co.jp")
        .await;
    app.account(Some(organization), "jougen", Role::InquiryStaff)
        .await;
    let limited = worker(
        &app,
        Transport::new(None, app.mail_dir.path()).expect("transport"),
        3,
    );
    for _ in 0..5 {
        app.post(
            "/api/v1/auth/forgot-login-id",
            json!({"email": "jougen@example.co.jp"}),
        )
        .await
        .expect(StatusCode::ACCEPTED);
    }
    while limited.run_due().await.expect("round") > 0 {}
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 5);
    assert!(outbox.iter().all(|mail| mail.delivered()), "all finished");
    assert_eq!(
        std::fs::read_dir(app.mail_dir.path()).expect("mail dir").count(),
        3
    );
    let dropped = outbox
        .iter()
        .filter(|mail| mail.dropped_by_hourly_limit())
        .count();
    assert_eq!(dropped, 2);
    // An hour later the address receives mail again.
    app.advance(TimeDelta::minutes(61));
    app.post(
        "/api/v1/auth/forgot-login-id",
        json!({"email": "jougen@example.co.jp"}),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    while limited.run_due().await.expect("round") > 0 {}
    assert_eq!(
        std::fs::read_dir(app.mail_dir.path()).expect("mail dir").count(),
        4
    );
}
