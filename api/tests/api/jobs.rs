//! The job queue as a client sees it: `GET /api/v1/jobs/{id}` in each state.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use madoguchi_api::accounts::Role;
use madoguchi_api::db;
use madoguchi_api::jobs::worker::{Handlers, LEASE, Worker};
use madoguchi_api::jobs::{self, Claim, JobId, JobKind, NewJob};
use madoguchi_api::mail::{Mail, transport::Transport};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with};
use crate::mail::dead_smtp_url;

async fn enqueue(app: &TestApp, job: NewJob) -> JobId {
    let now = app.clock.now_naive();
    db::transaction(&app.pool, move |conn| Ok(jobs::enqueue(conn, &job, now)?))
        .await
        .expect("queued")
}

pub fn purge_worker(app: &TestApp) -> Worker {
    let mut handlers = Handlers::default();
    madoguchi_api::auth::purge::register(&mut handlers);
    Worker {
        pool: app.pool.clone(),
        clock: app.clock.clone(),
        handlers: Arc::new(handlers),
        name: "test-worker".into(),
        poll_interval: Duration::from_secs(3600),
    }
}

#[tokio::test]
async fn a_job_reads_queued_then_running_with_progress_then_done() {
    let app = spawn_app_with(|settings| settings.run_jobs = false).await;
    let organization = app
        .organization_with_contract("N700000001", "進捗株式会社", "hosyu@shinchoku.co.jp")
        .await;
    let owner = app
        .account(Some(organization), "shinchoku", Role::UserAdmin)
        .await;
    let other_organization = app
        .organization_with_contract("N700000002", "他社株式会社", "hosyu@tasha.co.jp")
        .await;
    app.account(Some(other_organization), "tasha", Role::UserAdmin)
        .await;
    app.account(None, "staff-jobs", Role::Staff).await;
    let (token, stranger, staff) = (
        app.access_token("shinchoku").await,
        app.access_token("tasha").await,
        app.access_token("staff-jobs").await,
    );

    let id = enqueue(
        &app,
        NewJob::new(JobKind::PurgeExpired, &json!({})).created_by(owner, Some(organization)),
    )
    .await;
    let path = format!("/api/v1/jobs/{id}");
    let queued = app.get_as(&token, &path).await.expect(StatusCode::OK);
    assert_eq!(queued["state"], "queued");
    assert_eq!(queued["kind"], "purge_expired");
    assert_eq!(queued["progress"], json!({"done": 0, "total": null}));
    // Another organization's account does not see it; staff do.
    assert_eq!(app.get_as(&stranger, &path).await.status, StatusCode::NOT_FOUND);
    app.get_as(&staff, &path).await.expect(StatusCode::OK);
    assert_eq!(
        app.get_as(&token, "/api/v1/jobs/999999").await.status,
        StatusCode::NOT_FOUND
    );

    // A worker claims it and reports half of the work.
    let now = app.clock.now_naive();
    let claimed = db::run(&app.pool, move |conn| {
        Ok(jobs::claim_due(
            conn,
            "worker-a",
            &[JobKind::PurgeExpired],
            now,
            LEASE,
            10,
        )?)
    })
    .await
    .expect("claimed");
    assert_eq!(claimed.len(), 1);
    let claim = Claim::from(&claimed[0]);
    let lease_until = now + LEASE;
    let ours = db::run(&app.pool, move |conn| {
        Ok(jobs::report_progress(conn, claim, 2, Some(4), lease_until)?)
    })
    .await
    .expect("reported");
    assert!(ours);
    let running = app.get_as(&token, &path).await.expect(StatusCode::OK);
    assert_eq!(running["state"], "running");
    assert_eq!(running["attempts"], 1);
    assert_eq!(running["progress"], json!({"done": 2, "total": 4}));
    assert!(running["started_at"].is_string());

    // The worker dies; when its lease runs out another instance takes the job over and
    // finishes it, and the dead worker's late report is refused.
    app.advance(LEASE + TimeDelta::seconds(1));
    assert_eq!(purge_worker(&app).run_due().await.expect("round"), 1);
    let stale = db::run(&app.pool, move |conn| {
        Ok(jobs::report_progress(conn, claim, 3, Some(4), lease_until)?)
    })
    .await
    .expect("reported");
    assert!(!stale, "a stale claim cannot report");
    let done = app.get_as(&token, &path).await.expect(StatusCode::OK);
    assert_eq!(done["state"], "done");
    assert_eq!(done["attempts"], 2);
    assert_eq!(done["progress"], json!({"done": 5, "total": 5}));
    assert!(done["result"]["sessions"].is_number(), "{done}");
    assert!(done["finished_at"].is_string());
}

#[tokio::test]
async fn a_job_that_keeps_failing_ends_failed_with_a_problem() {
    let app = spawn_app_with(|settings| settings.run_jobs = false).await;
    let organization = app
        .organization_with_contract("N700000003", "失敗株式会社", "hosyu@shippai.co.jp")
        .await;
    let owner = app.account(Some(organization), "shippai", Role::UserAdmin).await;
    let mail = Mail {
        to: "shippai@example.co.jp".into(),
        subject: "[窓口] test".into(),
        body: "body".into(),
        ..Mail::default()
    };
    let id = enqueue(
        &app,
        NewJob::new(JobKind::Mail, &mail)
            .max_attempts(3)
            .created_by(owner, Some(organization)),
    )
    .await;
    let transport = Transport::new(Some(&dead_smtp_url().into()), app.mail_dir.path()).expect("transport");
    let smtp_down = crate::mail::worker(&app, transport, 100);
    for attempt in 1..=3 {
        assert_eq!(smtp_down.run_due().await.expect("round"), 1, "attempt {attempt}");
        app.advance(TimeDelta::minutes(10));
    }
    assert_eq!(smtp_down.run_due().await.expect("round"), 0, "no attempt left");
    let token = app.access_token("shippai").await;
    let failed = app
        .send_as_english(&token, &format!("/api/v1/jobs/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(failed["state"], "failed");
    assert_eq!(failed["attempts"], 3);
    assert_eq!(failed["problem"]["code"], "internal_error");
    assert_eq!(
        failed["problem"]["title"], "Internal server error",
        "in the reader's language"
    );
    let detail = failed.to_string();
    assert!(
        !detail.contains("127.0.0.1"),
        "the cause stays in the log: {detail}"
    );
}

/// During a rolling upgrade an older instance must not fail a new kind of job: a worker
/// claims only the kinds it has a handler for and leaves the rest queued for the others.
#[tokio::test]
async fn a_worker_leaves_kinds_it_cannot_run_to_the_others() {
    let app = spawn_app_with(|settings| settings.run_jobs = false).await;
    let organization = app
        .organization_with_contract("N700000004", "分担株式会社", "hosyu@buntan.co.jp")
        .await;
    let owner = app.account(Some(organization), "buntan", Role::UserAdmin).await;
    let mail = Mail {
        to: "buntan@example.co.jp".into(),
        subject: "[窓口] test".into(),
        body: "body".into(),
        ..Mail::default()
    };
    let mail_job = enqueue(
        &app,
        NewJob::new(JobKind::Mail, &mail).created_by(owner, Some(organization)),
    )
    .await;
    enqueue(&app, NewJob::new(JobKind::PurgeExpired, &json!({}))).await;

    let purger = purge_worker(&app);
    assert_eq!(purger.run_due().await.expect("round"), 1, "the purge only");
    assert_eq!(
        purger.run_due().await.expect("round"),
        0,
        "the mail is not its to run"
    );
    let token = app.access_token("buntan").await;
    let waiting = app
        .get_as(&token, &format!("/api/v1/jobs/{mail_job}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(waiting["state"], "queued");
    assert_eq!(waiting["attempts"], 0);

    let transport = Transport::new(None, app.mail_dir.path()).expect("transport");
    assert_eq!(
        crate::mail::worker(&app, transport, 100)
            .run_due()
            .await
            .expect("round"),
        1
    );
    let sent = app
        .get_as(&token, &format!("/api/v1/jobs/{mail_job}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(sent["state"], "done");
}

#[tokio::test]
async fn what_people_wait_for_is_claimed_before_a_queue_of_other_work() {
    let app = spawn_app_with(|settings| settings.run_jobs = false).await;
    // Twenty purges queued first (a queue of drawings or imports, say), then a reset link.
    for _ in 0..20 {
        enqueue(&app, NewJob::new(JobKind::PurgeExpired, &json!({}))).await;
    }
    let reset = enqueue(
        &app,
        NewJob::new(JobKind::ForgotPassword, &json!({"email": "nobody@example.co.jp"})),
    )
    .await;
    let mut handlers = Handlers::default();
    madoguchi_api::auth::purge::register(&mut handlers);
    madoguchi_api::auth::recovery::register(&mut handlers, "http://portal.test".into());
    let worker = Worker {
        pool: app.pool.clone(),
        clock: app.clock.clone(),
        handlers: Arc::new(handlers),
        name: "test-worker".into(),
        poll_interval: Duration::from_secs(3600),
    };
    // A round takes 16 jobs: the reset link is one of them, though queued last.
    assert_eq!(worker.run_due().await.expect("round"), 16);
    let states = db::run(&app.pool, move |conn| {
        use diesel::prelude::*;
        use madoguchi_api::schema::jobs as rows;
        let reset: jobs::JobState = rows::table.find(reset).select(rows::state).first(conn)?;
        let waiting = rows::table
            .filter(rows::state.eq(jobs::JobState::Queued))
            .count()
            .get_result::<i64>(conn)?;
        Ok((reset, waiting))
    })
    .await
    .expect("states");
    assert_eq!(states, (jobs::JobState::Done, 5));
}
