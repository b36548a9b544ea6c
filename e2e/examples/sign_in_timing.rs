//! Measures what one sign-in costs: the real server binary, the demo staff account, 50
//! sign-ins in a row (each one Argon2id verification, m = 19 MiB, t = 2, p = 1), and
//! prints the figures. `cargo build -p madoguchi-api && cargo run -p madoguchi-e2e --example sign_in_timing`

// A measuring script: printing the figures is its job.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use madoguchi_e2e::{TestDatabase, TestServer};
use serde_json::json;

const ROUNDS: usize = 50;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server = TestServer::start_with(
        TestDatabase::create(),
        &[
            ("MADOGUCHI_AUTH_RATE_BURST", "1000"),
            ("MADOGUCHI_AUTH_RATE_PER_MINUTE", "60000"),
        ],
    );
    let client = reqwest::Client::new();
    let url = server.url("/api/v1/auth/sign-in");
    let attempt = |login_id: &'static str, password: &'static str| {
        let request = client
            .post(&url)
            .json(&json!({"login_id": login_id, "password": password}));
        async move {
            let started = Instant::now();
            let status = request
                .send()
                .await
                .map(|response| response.status().as_u16())
                .ok();
            (started.elapsed(), status)
        }
    };
    // Warm-up: connections, the dummy hash for unknown IDs.
    attempt("staff", "Madoguchi-Staff-2026").await;
    attempt("no-such-user", "Madoguchi-Staff-2026").await;

    let mut right = Vec::with_capacity(ROUNDS);
    let mut wrong = Vec::with_capacity(ROUNDS);
    let mut unknown = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let (elapsed, status) = attempt("staff", "Madoguchi-Staff-2026").await;
        anyhow::ensure!(status == Some(200), "sign-in {round} failed: {status:?}");
        right.push(elapsed);
        // Wrong passwords would lock the account after 4; alternate with a right one.
        if round % 3 == 0 {
            let (elapsed, status) = attempt("staff", "Wrong-Password-12").await;
            anyhow::ensure!(status == Some(401), "wrong password answered {status:?}");
            wrong.push(elapsed);
        }
        let (elapsed, status) = attempt("no-such-user", "Madoguchi-Staff-2026").await;
        anyhow::ensure!(status == Some(401), "unknown login ID answered {status:?}");
        unknown.push(elapsed);
    }
    report("sign-in, right password (Argon2id verify + session)", &mut right);
    report("sign-in, wrong password (Argon2id verify + audit)", &mut wrong);
    report("sign-in, unknown login ID (dummy Argon2id verify)", &mut unknown);
    Ok(())
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let percentile = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "{what}: n={} median={:.1} ms p95={:.1} ms min={:.1} ms max={:.1} ms",
        samples.len(),
        percentile(0.5).as_secs_f64() * 1000.0,
        percentile(0.95).as_secs_f64() * 1000.0,
        samples[0].as_secs_f64() * 1000.0,
        samples[samples.len() - 1].as_secs_f64() * 1000.0,
    );
}
