//! The production shape: several stateless instances on one PostgreSQL database.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Text};
use madoguchi_e2e::{Backend, TestDatabase, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};

const SECRET: &str = "scale-out-shared-secret-0123456789abcdef";

#[derive(QueryableByName)]
struct JobRow {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    worker: Option<String>,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    last_error: Option<String>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A session opened on one instance works on the other; a sign-out on one ends it on
/// both at once; 100 queued jobs (90 of them mails) are each done exactly once between the
/// two workers.
#[tokio::test]
async fn two_instances_share_sessions_sign_outs_and_the_job_queue() {
    if Backend::under_test() != Backend::Postgres {
        eprintln!("scale-out runs on PostgreSQL only (the production engine for several instances)");
        return;
    }
    let env = [
        ("MADOGUCHI_JWT_SECRET", SECRET),
        ("MADOGUCHI_MAIL_POLL_INTERVAL_MS", "20"),
    ];
    let first = TestServer::start_with(TestDatabase::create(), &env);
    // The second instance: the same database (its URL), its own mail directory.
    let shared = TestDatabase::shared(&first.database);
    let second = TestServer::start_with(shared, &env);
    let client = reqwest::Client::new();

    let tokens: Value = client
        .post(first.url("/api/v1/auth/sign-in"))
        .json(&json!({"login_id": "demo-admin", "password": "Madoguchi-Demo-2026"}))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let access = tokens["access_token"].as_str().expect("token").to_owned();
    let me = |server: &TestServer| client.get(server.url("/api/v1/me")).bearer_auth(&access).send();
    assert_eq!(me(&second).await.expect("request").status(), StatusCode::OK);
    let signed_out = client
        .post(second.url("/api/v1/auth/sign-out"))
        .bearer_auth(&access)
        .send()
        .await
        .expect("request");
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        me(&first).await.expect("request").status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&second).await.expect("request").status(),
        StatusCode::UNAUTHORIZED
    );

    // 90 mails and 10 purges, due in a moment, so that both workers race for them.
    let database = &first.database;
    let mut inserts = String::new();
    for n in 0..100 {
        let (kind, payload, recipient) = if n < 90 {
            (
                "mail",
                json!({"to": format!("scale{n}@example.co.jp"), "subject": format!("[Madoguchi] job {n}"), "body": "body"}).to_string(),
                format!("'scale{n}@example.co.jp'"),
            )
        } else {
            ("purge_expired", "{}".to_owned(), "NULL".to_owned())
        };
        inserts.push_str(&format!(
            "INSERT INTO jobs (kind, payload, state, max_attempts, run_after, recipient, created_at) \
             VALUES ('{kind}', '{payload}', 'queued', 5, (now() AT TIME ZONE 'utc') + interval '1 second', {recipient}, now() AT TIME ZONE 'utc');"
        ));
    }
    database.execute(&inserts);

    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let pending: Vec<Count> =
            database.query("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')");
        if pending[0].n == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "jobs still pending after 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Read after nothing is pending: a snapshot taken before the count could still show a
    // job running that finished in between.
    let jobs: Vec<JobRow> = database.query(
        "SELECT state, attempts, worker, kind, last_error FROM jobs WHERE recipient LIKE 'scale%' OR kind = 'purge_expired'",
    );
    assert!(jobs.len() >= 100);
    let unfinished: Vec<(&str, &str, i32, Option<&str>)> = jobs
        .iter()
        .filter(|job| job.state != "done")
        .map(|job| {
            (
                job.kind.as_str(),
                job.state.as_str(),
                job.attempts,
                job.last_error.as_deref(),
            )
        })
        .collect();
    assert!(unfinished.is_empty(), "every job done; not: {unfinished:?}");
    assert!(
        jobs.iter().all(|job| job.attempts == 1),
        "each claimed exactly once"
    );
    let workers: BTreeSet<&str> = jobs.iter().filter_map(|job| job.worker.as_deref()).collect();
    eprintln!("jobs were done by {} instance(s): {workers:?}", workers.len());

    let mut subjects = Vec::new();
    for server in [&first, &second] {
        for entry in std::fs::read_dir(server.mail_dir.path())
            .expect("mail dir")
            .flatten()
        {
            let eml = std::fs::read_to_string(entry.path()).expect("eml");
            if let Some(line) = eml
                .lines()
                .find(|line| line.starts_with("Subject:") && line.contains("job"))
            {
                subjects.push(line.to_owned());
            }
        }
    }
    let unique: BTreeSet<&String> = subjects.iter().collect();
    assert_eq!(subjects.len(), 90, "every mail sent once");
    assert_eq!(unique.len(), 90);
}
