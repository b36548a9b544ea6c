//! The analytics part of `cargo xtask bench`: 1,000,000 toll-free calls ingested by staff
//! in 100 CSV batches of 10,000 (rows/s, the rollups added in the same transactions), then
//! the latency of every report over the 90 days they cover, computed from the rollups and
//! read back once kept — beside a raw `GROUP BY` over the same rows, timed by the
//! database's own client. The goal: every report under 200 ms.

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench::{curl, post};
use crate::target_dir;

const RECORDS: usize = 1_000_000;
const PER_FILE: usize = 10_000;
const DAYS: usize = 90;
const ANS: [&str; 5] = [
    "0120111111",
    "0120222222",
    "0800333333",
    "0570444444",
    "0570555555",
];
const DNS: [&str; 4] = ["0312345678", "0612345678", "0522345678", "0922345678"];
/// Area codes the callers come from (and mobile and IP prefixes), weighted by repetition.
const HEADS: [&str; 16] = [
    "03", "03", "03", "06", "06", "045", "052", "011", "092", "022", "075", "098", "090", "080", "070", "050",
];
const REPORTS: [&str; 13] = [
    "recent_traffic",
    "yearly_traffic",
    "comparison",
    "incomplete_reasons",
    "origins",
    "destinations",
    "origin_destination",
    "per_number",
    "per_minute",
    "caller_composition",
    "concurrent_lines",
    "durations",
    "time_of_day",
];

/// splitmix64: the same calls on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

pub fn run(
    base: &str,
    access: &str,
    database_url: &str,
    name: &str,
    figures: &mut Vec<String>,
) -> anyhow::Result<()> {
    println!("==> {name}: 1,000,000 toll-free calls and the reports over them");
    // An access token lives 15 minutes: a slow run signs in again on the way.
    let sign_in = || -> anyhow::Result<(String, Instant)> {
        let staff = post(
            &format!("{base}/api/v1/auth/sign-in"),
            None,
            r#"{"login_id":"staff","password":"Madoguchi-Staff-2026"}"#,
        )?;
        let token = staff["access_token"].as_str().context("staff token")?;
        Ok((token.to_owned(), Instant::now()))
    };
    let (mut staff, mut signed_in) = sign_in()?;
    let me: serde_json::Value = serde_json::from_slice(&curl(&[&format!("{base}/api/v1/me")], access)?)?;
    let organization = me["organization"]["id"].as_i64().context("organization")?;
    let subscription = post(
        &format!("{base}/api/v1/analytics/subscriptions"),
        Some(&staff),
        &format!(r#"{{"organization_id":{organization},"opid":"BENCH{name}","plan":"standard"}}"#),
    )?;
    let subscription = subscription["id"].as_i64().context("subscription id")?;
    for (kind, numbers) in [("an", &ANS[..]), ("dn", &DNS[..])] {
        for number in numbers {
            post(
                &format!("{base}/api/v1/analytics/subscriptions/{subscription}/numbers"),
                Some(&staff),
                &format!(r#"{{"kind":"{kind}","number":"{number}"}}"#),
            )?;
        }
    }
    let yesterday =
        (chrono::Utc::now() + chrono::TimeDelta::hours(9)).date_naive() - chrono::TimeDelta::days(1);
    let first = yesterday - chrono::TimeDelta::days(DAYS as i64 - 1);
    let file = target_dir().join("bench").join("analytics-calls.csv");
    let url = format!("{base}/api/v1/analytics/subscriptions/{subscription}/calls/csv");
    let mut random = Random(42);
    let results = [
        "completed",
        "completed",
        "completed",
        "completed",
        "busy",
        "no_answer",
        "abandoned",
        "out_of_service",
    ];
    let started = Instant::now();
    for chunk in 0..RECORDS / PER_FILE {
        let mut text = String::with_capacity(PER_FILE * 80);
        for n in chunk * PER_FILE..(chunk + 1) * PER_FILE {
            let day = first + chrono::TimeDelta::days(random.below(DAYS as u64) as i64);
            // Office hours mostly, with a morning peak.
            let hour =
                [9, 9, 10, 10, 10, 11, 11, 13, 14, 15, 16, 17, 19, 21, 8, 12][random.below(16) as usize];
            let at = day
                .and_hms_opt(hour, random.below(60) as u32, random.below(60) as u32)
                .context("time")?;
            let head = HEADS[random.below(HEADS.len() as u64) as usize];
            // 200,000 callers: some call again within the period.
            let caller = if random.below(25) == 0 {
                String::new()
            } else {
                // Mobile and IP numbers have 11 digits, the others 10.
                let digits = if ["090", "080", "070", "050"].contains(&head) {
                    8
                } else {
                    10 - head.len()
                };
                format!("{head}{:0width$}", random.below(200_000), width = digits)
            };
            let result = results[random.below(results.len() as u64) as usize];
            let seconds = if result == "completed" {
                20 + random.below(600)
            } else {
                0
            };
            let an = ANS[random.below(ANS.len() as u64) as usize];
            let dn = DNS[random.below(DNS.len() as u64) as usize];
            text.push_str(&format!(
                "b{n},{},{an},{caller},{dn},{seconds},{result}\r\n",
                at.format("%Y/%m/%d %H:%M:%S")
            ));
        }
        std::fs::write(&file, text)?;
        if signed_in.elapsed() > std::time::Duration::from_secs(600) {
            (staff, signed_in) = sign_in()?;
        }
        let batch_started = Instant::now();
        let report: serde_json::Value = serde_json::from_slice(&curl(
            &[
                "-X",
                "POST",
                "-H",
                "Content-Type: text/csv",
                "--data-binary",
                &format!("@{}", file.display()),
                &url,
            ],
            &staff,
        )?)?;
        if report["inserted"] != PER_FILE {
            bail!("a batch of analytics calls: {report}");
        }
        if chunk % 10 == 9 {
            println!(
                "    {} calls stored ({:.1} s so far; this batch {:.2} s)",
                (chunk + 1) * PER_FILE,
                started.elapsed().as_secs_f64(),
                batch_started.elapsed().as_secs_f64()
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    note(
        figures,
        format!(
            "{name}.analytics_ingest_1000000.rows_per_second: {:.0} rows/s ({seconds:.1} s, rollups included)",
            RECORDS as f64 / seconds
        ),
    );

    if database_url.starts_with("postgres") {
        // What autovacuum does after bulk inserts (it may be off on a bench machine): the
        // planner's statistics and the visibility map for index-only scans.
        let vacuumed = Command::new("psql")
            .args([database_url, "-q", "-c", "VACUUM ANALYZE"])
            .status()
            .context("psql")?;
        if !vacuumed.success() {
            bail!("VACUUM ANALYZE failed");
        }
    }
    // The dashboard after new data: the warming job (due 30 s after the batches that asked
    // for it) computes every report's default view; the first reader then reads it kept.
    let waited = Instant::now();
    let pending = "SELECT COUNT(*) FROM jobs WHERE kind = 'warm_reports' AND state IN ('queued', 'running')";
    while scalar_query(database_url, pending)? != "0" {
        if waited.elapsed() > std::time::Duration::from_secs(600) {
            bail!("the reports were not warmed within 10 minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    note(
        figures,
        format!(
            "{name}.analytics_warmed_after_last_batch: {:.1} s (due 30 s after the last batch)",
            waited.elapsed().as_secs_f64()
        ),
    );
    for report in REPORTS {
        let url = format!("{base}/api/v1/analytics/subscriptions/{subscription}/reports/{report}");
        let started = Instant::now();
        curl(&[&url], access)?;
        note(
            figures,
            format!(
                "{name}.analytics_report.{report}.first_view_after_new_data: {:.1} ms (default filters, warmed)",
                started.elapsed().as_secs_f64() * 1000.0
            ),
        );
    }
    let period = format!("from={first}&to={yesterday}");
    let median = |urls: &[String]| -> anyhow::Result<f64> {
        let mut times: Vec<f64> = urls
            .iter()
            .map(|url| {
                let started = Instant::now();
                curl(&[url], access).map(|_| started.elapsed().as_secs_f64() * 1000.0)
            })
            .collect::<anyhow::Result<_>>()?;
        times.sort_by(f64::total_cmp);
        Ok(times[times.len() / 2])
    };
    for report in REPORTS {
        let url = format!("{base}/api/v1/analytics/subscriptions/{subscription}/reports/{report}?{period}");
        // Computed: each request a filter not asked before (a blocking target that changes
        // no sum but the concurrent-lines line), so the server aggregates the rollups.
        let computed: Vec<String> = ["0.0101", "0.0102", "0.0103", "0.0104", "0.0105"]
            .iter()
            .map(|target| format!("{url}&target_blocking={target}"))
            .collect();
        note(
            figures,
            format!(
                "{name}.analytics_report.{report}.computed_median: {:.1} ms",
                median(&computed)?
            ),
        );
        // Kept: the same request again, read back from the report cache.
        curl(&[&url], access)?;
        note(
            figures,
            format!(
                "{name}.analytics_report.{report}.kept_median: {:.1} ms",
                median(&vec![url; 5])?
            ),
        );
    }
    let raw = format!(
        "SELECT day, COUNT(*), SUM(duration_seconds) FROM analytics_calls WHERE subscription_id = {subscription} GROUP BY day"
    );
    note(
        figures,
        format!(
            "{name}.analytics_raw_group_by_day.median: {:.1} ms (the same days counted from the 1,000,000 raw calls)",
            raw_query_ms(database_url, &raw)?
        ),
    );
    Ok(())
}

/// The median of five runs of `sql`, timed by the database's own client: `psql`'s
/// `\timing` on PostgreSQL, Python's `sqlite3` module on SQLite.
fn raw_query_ms(database_url: &str, sql: &str) -> anyhow::Result<f64> {
    const TIMED: &str = "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1])\nt = time.perf_counter()\nc.execute(sys.argv[2]).fetchall()\nprint((time.perf_counter() - t) * 1000)";
    let mut times = Vec::new();
    for _ in 0..5 {
        let text = database_client(database_url, sql, TIMED, &["-q", "-c", "\\timing on"])?;
        let ms = text
            .lines()
            .rev()
            .find_map(|line| {
                let line = line.trim();
                let number = line
                    .strip_prefix("Time: ")
                    .map_or(line, |rest| rest.split(' ').next().unwrap_or(""));
                number.parse::<f64>().ok()
            })
            .with_context(|| format!("no timing in {text}"))?;
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[2])
}

/// The first column of the first row of `sql`, as text.
fn scalar_query(database_url: &str, sql: &str) -> anyhow::Result<String> {
    const FIRST: &str =
        "import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])";
    Ok(database_client(database_url, sql, FIRST, &["-qtA"])?
        .trim()
        .to_owned())
}

/// What the database's own client prints for `sql`: `psql` with `psql_options` on
/// PostgreSQL, the Python script `sqlite` (given the file and the SQL) on SQLite.
fn database_client(
    database_url: &str,
    sql: &str,
    sqlite: &str,
    psql_options: &[&str],
) -> anyhow::Result<String> {
    let output = if let Some(path) = database_url.strip_prefix("sqlite://") {
        Command::new("python3")
            .args(["-c", sqlite, path, sql])
            .output()
            .context("python3")?
    } else {
        Command::new("psql")
            .arg(database_url)
            .args(psql_options)
            .args(["-c", sql])
            .output()
            .context("psql")?
    };
    if !output.status.success() {
        bail!("{sql}: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Keeps a figure for the summary and shows it at once (a later failure does not lose it).
fn note(figures: &mut Vec<String>, figure: String) {
    println!("    {figure}");
    figures.push(figure);
}
