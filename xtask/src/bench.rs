//! `cargo xtask bench`: release builds under load, on SQLite and PostgreSQL in one run. Not
//! part of `cargo xtask test`: figures, not pass/fail. Each figure is one line
//! `name: value unit`, with ratio lines against the bare actix-web endpoint.
//!
//! Load comes from `oha` (installed under `target/tools/oha` on first use), against:
//! - a bare actix-web JSON endpoint (`api/examples/bare_json.rs`), built the same way;
//! - `GET /api/v1/health` (one blocking hop, one trivial query);
//! - `GET /api/v1/me` with a JWT (a session) and with a personal API token;
//! - sign-in (Argon2id), right password and unknown login ID;
//! - a knowledge search for a Japanese substring among 5,000 articles (the trigram index);
//! - a 1 GiB ticket attachment uploaded (resumable upload, one `PATCH`) and downloaded:
//!   MB/s each way, the hash checked, and the server's peak resident memory growth (the
//!   goal: under 50 MB — the file streams through, it is never held).
//!
//! - a 10,000-row extension CSV file registered on a new site (a job: checked, then applied
//!   in one transaction; the goal: under 1 s), exported back, and deleted by CSV.
//!
//! - 1,000,000 call-detail records ingested and a 40,000-record day exported;
//! - 1,000,000 toll-free calls ingested with their rollups, and every analytics report over
//!   them beside a raw `GROUP BY` (`bench_analytics.rs`).
//!
//! And the SPA's weight as served: wasm and JS, raw, gzip and brotli.
//!
//! `cargo xtask bench <section>…` runs only the named sections: `http` (bare endpoint,
//! health, `/me`), `knowledge`, `attachment`, `extensions`, `cdrs`, `analytics`, `sign-in`,
//! `spa`; `sqlite` or `postgres` narrows the backends. Without a name, all of them.

#![allow(clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::{cargo, run_step, setup, target_dir};

const SECRET: &str = "bench-secret-of-sufficient-length-0123456789";
const CONNECTIONS: &str = "32";
const DURATION: &str = "8s";
const ADMIN: (&str, &str) = ("demo-admin", "Madoguchi-Demo-2026");

/// The sections `cargo xtask bench` knows, in the order they run.
const SECTIONS: [&str; 10] = [
    "spa",
    "http",
    "knowledge",
    "attachment",
    "extensions",
    "cdrs",
    "analytics",
    "sign-in",
    "sqlite",
    "postgres",
];

const BACKENDS: [&str; 2] = ["sqlite", "postgres"];

/// Which sections this run measures, on which backends.
#[derive(Clone, Copy)]
struct Chosen<'a>(&'a [String]);

impl Chosen<'_> {
    fn wants(self, section: &str) -> bool {
        let named = |name: &String| !BACKENDS.contains(&name.as_str());
        !self.0.iter().any(named) || self.0.iter().any(|name| name == section)
    }

    fn wants_backend(self, backend: &str) -> bool {
        let named = |name: &String| BACKENDS.contains(&name.as_str());
        !self.0.iter().any(named) || self.0.iter().any(|name| name == backend)
    }
}

pub fn run(sections: &[String]) -> anyhow::Result<()> {
    if let Some(unknown) = sections.iter().find(|name| !SECTIONS.contains(&name.as_str())) {
        bail!(
            "no bench section `{unknown}`; the sections are: {}",
            SECTIONS.join(", ")
        );
    }
    let chosen = Chosen(sections);
    setup::for_build()?;
    let oha = ensure_oha()?;
    run_step(
        "release build: server and bare endpoint",
        cargo().args([
            "build",
            "--release",
            "-p",
            "madoguchi-api",
            "--bin",
            "madoguchi",
            "--example",
            "bare_json",
        ]),
    )?;
    let dist = crate::web::build(&crate::root())?;
    let release = target_dir().join("release");
    let mut figures = Vec::new();

    if chosen.wants("spa") {
        println!("\n==> SPA weight as served");
        spa_weight(&dist, &mut figures)?;
    }

    let mut bare_rps = 0.0;
    if chosen.wants("http") {
        let bare = load_bare(&oha, &release)?;
        figures.push(format!("bare_json.requests_per_second: {:.0} req/s", bare.rps));
        figures.push(format!("bare_json.p50: {:.2} ms", bare.p50_ms));
        figures.push(format!("bare_json.p99: {:.2} ms", bare.p99_ms));
        bare_rps = bare.rps;
    }

    let mut backends = Vec::new();
    if chosen.wants_backend("sqlite") {
        backends.push(("sqlite", sqlite_url()?));
    }
    if chosen.wants_backend("postgres") {
        match postgres_url()? {
            Some(url) => backends.push(("postgres", url)),
            None => println!("==> PostgreSQL not reachable: its figures are skipped"),
        }
    }
    for (name, url) in backends {
        bench_backend(&oha, &release, chosen, name, &url, bare_rps, &mut figures)?;
    }
    println!("\n==> Figures");
    for figure in &figures {
        println!("{figure}");
    }
    Ok(())
}

/// oha, built from crates.io once into `target/tools/oha`.
fn ensure_oha() -> anyhow::Result<PathBuf> {
    let root = setup::tool_dir("oha");
    let binary = root.join("bin").join("oha");
    if !binary.is_file() {
        run_step(
            "cargo install oha (load generator, once)",
            cargo()
                .args(["install", "oha", "--version", "1.16.0", "--locked", "--root"])
                .arg(&root),
        )?;
    }
    Ok(binary)
}

struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// One oha run; `extra` adds method, headers, body, or a request count instead of time.
fn oha(oha: &Path, url: &str, extra: &[&str]) -> anyhow::Result<Load> {
    let mut command = Command::new(oha);
    command
        .args(["--no-tui", "--output-format", "json"])
        .args(extra)
        .arg(url);
    if !extra.contains(&"-n") {
        command.args(["-z", DURATION, "-c", CONNECTIONS]);
    }
    let output = command.output().context("running oha")?;
    if !output.status.success() {
        bail!("oha failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).context("oha's JSON")?;
    let success = report["summary"]["successRate"].as_f64().unwrap_or(0.0);
    if success < 0.99 {
        bail!(
            "{url}: only {:.1}% of requests succeeded: {}",
            success * 100.0,
            report["statusCodeDistribution"]
        );
    }
    let percentile = |key: &str| report["latencyPercentiles"][key].as_f64().unwrap_or(f64::NAN) * 1000.0;
    Ok(Load {
        rps: report["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0),
        p50_ms: percentile("p50"),
        p99_ms: percentile("p99"),
    })
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for(url: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(
            url.trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap_or_default(),
        )
        .is_ok()
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("{url} did not come up")
}

/// Kills the process when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn load_bare(oha_binary: &Path, release: &Path) -> anyhow::Result<Load> {
    println!("\n==> bare actix-web JSON endpoint");
    let port = free_port()?;
    let _bare = Running(
        Command::new(release.join("examples").join("bare_json"))
            .arg(port.to_string())
            .stdout(Stdio::null())
            .spawn()
            .context("starting bare_json")?,
    );
    let url = format!("http://127.0.0.1:{port}/status");
    wait_for(&url)?;
    oha(oha_binary, &url, &[])
}

fn sqlite_url() -> anyhow::Result<String> {
    let dir = target_dir().join("bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(format!("sqlite://{}", dir.join("bench.db").display()))
}

/// A fresh database on the local PostgreSQL (dropped and made again each run).
fn postgres_url() -> anyhow::Result<Option<String>> {
    let Some(admin) = setup::postgres_url() else {
        return Ok(None);
    };
    let sql = |statement: &str| {
        Command::new("psql")
            .arg(&admin)
            .args(["-q", "-c", statement])
            .status()
    };
    let _ = sql("DROP DATABASE IF EXISTS madoguchi_bench WITH (FORCE)");
    match sql("CREATE DATABASE madoguchi_bench") {
        Ok(status) if status.success() => {}
        _ => return Ok(None),
    }
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base)
        .to_owned();
    Ok(Some(format!("{base}/madoguchi_bench")))
}

/// A POST with a JSON body through curl; the answer as JSON.
pub(crate) fn post(url: &str, token: Option<&str>, body: &str) -> anyhow::Result<serde_json::Value> {
    let mut command = Command::new("curl");
    command.args([
        "-sf",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-d",
        body,
        url,
    ]);
    if let Some(token) = token {
        command.args(["-H", &format!("Authorization: Bearer {token}")]);
    }
    let output = command.output().context("curl")?;
    if !output.status.success() {
        bail!("POST {url} failed");
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

fn bench_backend(
    oha_binary: &Path,
    release: &Path,
    chosen: Chosen<'_>,
    name: &str,
    database_url: &str,
    bare_rps: f64,
    figures: &mut Vec<String>,
) -> anyhow::Result<()> {
    println!("\n==> {name}");
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    std::fs::create_dir_all(target_dir().join("bench"))?;
    let log_path = target_dir().join("bench").join(format!("server-{name}.log"));
    let server_log = std::fs::File::create(&log_path).with_context(|| format!("{}", log_path.display()))?;
    println!("    server log: {}", log_path.display());
    let server = Running(
        Command::new(release.join("madoguchi"))
            .args(["serve", "--demo"])
            .current_dir(crate::root())
            .env("MADOGUCHI_CONFIG", "/nonexistent/madoguchi.toml")
            .env("MADOGUCHI_PORT", port.to_string())
            .env("MADOGUCHI_DATABASE_URL", database_url)
            .env("MADOGUCHI_JWT_SECRET", SECRET)
            .env("MADOGUCHI_PBX_SECRET_KEY", SECRET)
            .env("MADOGUCHI_LOG", "warn")
            .env("MADOGUCHI_MAIL_DIR", target_dir().join("bench").join("mail"))
            .env(
                "MADOGUCHI_STORAGE_DIR",
                target_dir().join("bench").join(format!("files-{name}")),
            )
            .env("MADOGUCHI_MAIL_POLL_INTERVAL_MS", "20")
            .env("MADOGUCHI_AUTH_RATE_BURST", "100000")
            .env("MADOGUCHI_AUTH_RATE_PER_MINUTE", "1000000")
            // Warnings and errors kept for when a request fails.
            .stdout(Stdio::from(server_log.try_clone()?))
            .stderr(Stdio::from(server_log))
            .spawn()
            .context("starting the server")?,
    );
    wait_for(&base)?;
    std::thread::sleep(Duration::from_millis(500));
    let sign_in_body = format!(r#"{{"login_id":"{}","password":"{}"}}"#, ADMIN.0, ADMIN.1);
    let tokens = post(&format!("{base}/api/v1/auth/sign-in"), None, &sign_in_body)?;
    let access = tokens["access_token"]
        .as_str()
        .context("access token")?
        .to_owned();
    let created = post(
        &format!("{base}/api/v1/me/api-tokens"),
        Some(&access),
        r#"{"name":"bench"}"#,
    )?;
    let api_token = created["token"].as_str().context("API token")?.to_owned();

    let mut record = |label: &str, load: &Load, ratio: bool| {
        figures.push(format!(
            "{name}.{label}.requests_per_second: {:.0} req/s",
            load.rps
        ));
        figures.push(format!("{name}.{label}.p50: {:.2} ms", load.p50_ms));
        figures.push(format!("{name}.{label}.p99: {:.2} ms", load.p99_ms));
        if ratio && bare_rps > 0.0 {
            figures.push(format!(
                "{name}.{label}.ratio_to_bare: {:.2}",
                load.rps / bare_rps
            ));
        }
    };
    if chosen.wants("http") {
        let health = oha(oha_binary, &format!("{base}/api/v1/health"), &[])?;
        record("health", &health, true);
        // The access token lives 15 minutes: enough for these runs.
        let jwt_header = format!("Authorization: Bearer {access}");
        let me_jwt = oha(oha_binary, &format!("{base}/api/v1/me"), &["-H", &jwt_header])?;
        record("me_jwt", &me_jwt, true);
        let token_header = format!("Authorization: Bearer {api_token}");
        let me_token = oha(oha_binary, &format!("{base}/api/v1/me"), &["-H", &token_header])?;
        record("me_api_token", &me_token, true);
    }
    if chosen.wants("knowledge") {
        knowledge_search(oha_binary, &base, &access, &mut record)?;
    }
    if chosen.wants("attachment") {
        big_attachment(&base, &access, server.0.id(), name, figures)?;
    }
    if chosen.wants("extensions") {
        extensions_csv(&base, &access, name, figures)?;
    }
    if chosen.wants("cdrs") {
        call_records(&base, &access, server.0.id(), name, figures)?;
    }
    if chosen.wants("analytics") {
        crate::bench_analytics::run(&base, &access, database_url, name, figures)?;
    }
    if !chosen.wants("sign-in") {
        return Ok(());
    }

    // Sign-in: one at a time, as a person does (each costs an Argon2id check).
    let sign_in_url = format!("{base}/api/v1/auth/sign-in");
    let common = ["-m", "POST", "-T", "application/json", "-n", "40", "-c", "1"];
    let right = oha(
        oha_binary,
        &sign_in_url,
        &[&common[..], &["-d", &sign_in_body]].concat(),
    )?;
    figures.push(format!(
        "{name}.sign_in_right_password.p50: {:.1} ms",
        right.p50_ms
    ));
    figures.push(format!(
        "{name}.sign_in_right_password.p99: {:.1} ms",
        right.p99_ms
    ));
    let unknown_body = r#"{"login_id":"nobody-here","password":"Some-Password-123"}"#;
    let unknown = oha_refused(
        oha_binary,
        &sign_in_url,
        &[&common[..], &["-d", unknown_body]].concat(),
    )?;
    figures.push(format!(
        "{name}.sign_in_unknown_login_id.p50: {:.1} ms",
        unknown.p50_ms
    ));
    figures.push(format!(
        "{name}.sign_in_unknown_login_id.p99: {:.1} ms",
        unknown.p99_ms
    ));
    Ok(())
}

/// 5,000 public articles (50 of them about `再起動`) written by staff through the API, then
/// the customer's search for `再起動` under load: the trigram index must keep it fast.
fn knowledge_search(
    oha_binary: &Path,
    base: &str,
    customer_access: &str,
    record: &mut impl FnMut(&str, &Load, bool),
) -> anyhow::Result<()> {
    let staff_sign_in = r#"{"login_id":"staff","password":"Madoguchi-Staff-2026"}"#;
    let staff = post(&format!("{base}/api/v1/auth/sign-in"), None, staff_sign_in)?;
    let staff_header = format!(
        "Authorization: Bearer {}",
        staff["access_token"].as_str().context("staff token")?
    );
    let url = format!("{base}/api/v1/knowledge");
    let filler = format!(
        r#"{{"category":"qa","public":true,"title":"設定の確認手順","body":"{}"}}"#,
        "装置の設定を確認し、必要に応じて保存してください。".repeat(20)
    );
    let matching = r#"{"category":"trouble_case","public":true,"title":"更新後に再起動を繰り返す","body":"ファームウェア更新後、装置が再起動を繰り返す場合の対処です。"}"#;
    for (count, body) in [("4950", filler.as_str()), ("50", matching)] {
        oha(
            oha_binary,
            &url,
            &[
                "-m",
                "POST",
                "-T",
                "application/json",
                "-H",
                &staff_header,
                "-d",
                body,
                "-n",
                count,
                "-c",
                "4",
            ],
        )?;
    }
    let customer_header = format!("Authorization: Bearer {customer_access}");
    // 再起動, percent-encoded.
    let search = oha(
        oha_binary,
        &format!("{url}?q=%E5%86%8D%E8%B5%B7%E5%8B%95"),
        &["-H", &customer_header],
    )?;
    record("knowledge_search_5000_articles", &search, false);
    Ok(())
}

/// Resident memory of a process now and at its peak (`VmRSS`, `VmHWM`), in KiB.
fn memory_kib(pid: u32) -> anyhow::Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse::<u64>().ok())
            .with_context(|| format!("{name} of process {pid}"))
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// `sha256sum` of a file or of stdin.
fn sha256_of(output: &[u8]) -> String {
    String::from_utf8_lossy(output)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A 1 GiB file announced, sent in one `PATCH` (the server stores it in parts as it
/// streams in), attached to a ticket and downloaded again; the hashes must match.
fn big_attachment(
    base: &str,
    access: &str,
    server_pid: u32,
    name: &str,
    figures: &mut Vec<String>,
) -> anyhow::Result<()> {
    const SIZE: u64 = 1024 * 1024 * 1024;
    const MB: f64 = 1_000_000.0;
    let file = target_dir().join("bench").join("attachment-1GiB.bin");
    if std::fs::metadata(&file).map(|meta| meta.len()).ok() != Some(SIZE) {
        // Not one repeated byte: a varied 1 MiB block, repeated.
        let block: Vec<u8> = (0..1024 * 1024_u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
        for _ in 0..1024 {
            out.write_all(&block)?;
        }
        out.flush()?;
    }
    let expected = sha256_of(&Command::new("sha256sum").arg(&file).output()?.stdout);
    // The peak so far (the loads above) is not this figure's: reset it (Linux, `5`).
    std::fs::write(format!("/proc/{server_pid}/clear_refs"), "5")?;
    let (rss_before, _) = memory_kib(server_pid)?;
    let upload = post(
        &format!("{base}/api/v1/uploads"),
        Some(access),
        &format!(r#"{{"file_name":"障害ログ 1GiB.bin","size_bytes":{SIZE}}}"#),
    )?;
    let upload_id = upload["id"].as_i64().context("upload id")?;
    let started = Instant::now();
    let sent = Command::new("curl")
        .args(["-sf", "-X", "PATCH", "-T"])
        .arg(&file)
        .args([
            "-H",
            &format!("Authorization: Bearer {access}"),
            "-H",
            "Upload-Offset: 0",
            "-H",
            "Content-Type: application/offset+octet-stream",
            &format!("{base}/api/v1/uploads/{upload_id}"),
        ])
        .output()
        .context("curl PATCH")?;
    let upload_seconds = started.elapsed().as_secs_f64();
    if !sent.status.success() {
        bail!(
            "the 1 GiB upload failed: {}",
            String::from_utf8_lossy(&sent.stdout)
        );
    }
    let answer: serde_json::Value = serde_json::from_slice(&sent.stdout)?;
    if answer["sha256"].as_str() != Some(expected.as_str()) {
        bail!(
            "the server's SHA-256 {} is not the file's {expected}",
            answer["sha256"]
        );
    }
    let ticket = post(
        &format!("{base}/api/v1/tickets"),
        Some(access),
        &format!(
            r#"{{"kind":"incident","product":"その他","subject":"1GiB のログ","contract_number":"不明","serial_number":"BENCH0001","category":"fault","body":"ログを添付します。","attachments":[{upload_id}]}}"#
        ),
    )?;
    let attachment = ticket["attachments"][0]["id"].as_i64().context("attachment id")?;
    let started = Instant::now();
    let download = Command::new("bash")
        .args([
            "-c",
            &format!(
                "set -o pipefail; curl -sf -H 'Authorization: Bearer {access}' '{base}/api/v1/tickets/attachments/{attachment}/file' | sha256sum"
            ),
        ])
        .output()
        .context("curl GET")?;
    let download_seconds = started.elapsed().as_secs_f64();
    if !download.status.success() || sha256_of(&download.stdout) != expected {
        bail!("the downloaded attachment differs from the file");
    }
    let (_, peak) = memory_kib(server_pid)?;
    let size_mb = SIZE as f64 / MB;
    figures.push(format!(
        "{name}.attachment_1gib.upload: {:.0} MB/s",
        size_mb / upload_seconds
    ));
    figures.push(format!(
        "{name}.attachment_1gib.download: {:.0} MB/s",
        size_mb / download_seconds
    ));
    figures.push(format!(
        "{name}.attachment_1gib.server_peak_rss_growth: {:.1} MB (goal < 50 MB)",
        peak.saturating_sub(rss_before) as f64 * 1024.0 / MB
    ));
    Ok(())
}

/// Like [`oha`] for requests that are meant to be refused (401): latency only.
fn oha_refused(oha_binary: &Path, url: &str, extra: &[&str]) -> anyhow::Result<Load> {
    let output = Command::new(oha_binary)
        .args(["--no-tui", "--output-format", "json"])
        .args(extra)
        .arg(url)
        .output()?;
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).context("oha's JSON")?;
    let percentile = |key: &str| report["latencyPercentiles"][key].as_f64().unwrap_or(f64::NAN) * 1000.0;
    Ok(Load {
        rps: report["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0),
        p50_ms: percentile("p50"),
        p99_ms: percentile("p99"),
    })
}

/// Sizes of the wasm and JS as served: raw, gzip and brotli (the server compresses).
fn spa_weight(dist: &Path, figures: &mut Vec<String>) -> anyhow::Result<()> {
    let mut totals = (0_usize, 0_usize, 0_usize);
    for file in ["madoguchi_web_bg.wasm", "madoguchi_web.js"] {
        let bytes = std::fs::read(dist.join(file)).with_context(|| format!("reading {file}"))?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes)?;
        let gzip = gzip.finish()?.len();
        let mut brotli = Vec::new();
        brotli::BrotliCompress(
            &mut bytes.as_slice(),
            &mut brotli,
            &brotli::enc::BrotliEncoderParams::default(),
        )?;
        figures.push(format!("spa.{file}.raw: {:.0} KB", bytes.len() as f64 / 1000.0));
        figures.push(format!("spa.{file}.gzip: {:.0} KB", gzip as f64 / 1000.0));
        figures.push(format!(
            "spa.{file}.brotli: {:.0} KB",
            brotli.len() as f64 / 1000.0
        ));
        totals = (totals.0 + bytes.len(), totals.1 + gzip, totals.2 + brotli.len());
    }
    figures.push(format!("spa.total.raw: {:.0} KB", totals.0 as f64 / 1000.0));
    figures.push(format!(
        "spa.total.brotli: {:.0} KB (budget 600 KB)",
        totals.2 as f64 / 1000.0
    ));
    figures.push(format!(
        "spa.total.brotli_share_of_budget: {:.2}",
        totals.2 as f64 / 600_000.0
    ));
    Ok(())
}

/// curl with a bearer token: the body, or an error naming the status.
pub(crate) fn curl(args: &[&str], access: &str) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("curl")
        .args(["-sSf", "-H", &format!("Authorization: Bearer {access}")])
        .args(args)
        .output()
        .context("curl")?;
    if !output.status.success() {
        bail!(
            "curl {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// Polls a job until it is done; its answer.
fn wait_for_job(base: &str, access: &str, id: i64) -> anyhow::Result<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let job: serde_json::Value =
            serde_json::from_slice(&curl(&[&format!("{base}/api/v1/jobs/{id}")], access)?)?;
        match job["state"].as_str() {
            Some("done") => return Ok(job),
            Some("failed") => bail!("job {id} failed: {job}"),
            _ if Instant::now() > deadline => bail!("job {id} did not finish"),
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Seconds between two RFC 3339 times of a job.
fn job_seconds(job: &serde_json::Value) -> anyhow::Result<f64> {
    let time = |field: &str| -> anyhow::Result<f64> {
        let text = job[field].as_str().with_context(|| format!("{field} of {job}"))?;
        // `…T12:34:56.789012Z`: seconds of the day are enough for a run of seconds.
        let clock = text.split('T').nth(1).context("time")?.trim_end_matches('Z');
        let mut parts = clock.split(':');
        let hours: f64 = parts.next().context("hours")?.parse()?;
        let minutes: f64 = parts.next().context("minutes")?.parse()?;
        let seconds: f64 = parts.next().context("seconds")?.parse()?;
        Ok(hours * 3600.0 + minutes * 60.0 + seconds)
    };
    Ok(time("finished_at")? - time("started_at")?)
}

/// A 10,000-row file in the 10-column form registered on a new site of the demo
/// organization (by its administrator; staff set the site up), exported, then deleted.
fn extensions_csv(base: &str, access: &str, name: &str, figures: &mut Vec<String>) -> anyhow::Result<()> {
    const ROWS: usize = 10_000;
    let staff_sign_in = r#"{"login_id":"staff","password":"Madoguchi-Staff-2026"}"#;
    let staff = post(&format!("{base}/api/v1/auth/sign-in"), None, staff_sign_in)?;
    let staff_access = staff["access_token"].as_str().context("staff token")?;
    let me: serde_json::Value = serde_json::from_slice(&curl(&[&format!("{base}/api/v1/me")], access)?)?;
    let organization = me["organization"]["id"]
        .as_i64()
        .context("organization of the demo admin")?;
    let site = post(
        &format!("{base}/api/v1/pbx-sites"),
        Some(staff_access),
        &format!(
            r#"{{"organization_id":{organization},"name":"ベンチ拠点","domain_name":"bench-{name}.example.jp","site_number":"77","gateway_ids":[],"park_hold_code":"*8"}}"#
        ),
    )?;
    let site = site["id"].as_i64().context("site id")?;
    let file = target_dir().join("bench").join("extensions-10000.csv");
    let rows: String = (0..ROWS)
        .map(|n| {
            format!(
                "{},,0000000000,sip{n},pw{n},0,0,web{n},Pass{n:04},0\r\n",
                300_000 + n
            )
        })
        .collect();
    std::fs::write(&file, rows)?;
    let csv_url = format!("{base}/api/v1/pbx-sites/{site}/extensions/csv");
    let run = |label: &str, query: &str, figures: &mut Vec<String>| -> anyhow::Result<()> {
        let started = Instant::now();
        let accepted: serde_json::Value = serde_json::from_slice(&curl(
            &[
                "-X",
                "POST",
                "-H",
                "Content-Type: text/csv",
                "--data-binary",
                &format!("@{}", file.display()),
                &format!("{csv_url}?{query}"),
            ],
            access,
        )?)?;
        let job = wait_for_job(base, access, accepted["id"].as_i64().context("a job")?)?;
        let end_to_end = started.elapsed().as_secs_f64();
        if job["result"]["rows"] != ROWS {
            bail!("{label}: {job}");
        }
        figures.push(format!("{name}.{label}.job: {:.3} s", job_seconds(&job)?));
        figures.push(format!("{name}.{label}.end_to_end: {end_to_end:.3} s"));
        Ok(())
    };
    println!("==> {name}: 10,000-row extension CSV");
    run(
        "extensions_csv_10000_rows_dry_run",
        "action=register&dry_run=true",
        figures,
    )?;
    run("extensions_csv_10000_rows_register", "action=register", figures)?;
    let started = Instant::now();
    let exported = curl(&[&csv_url], access)?;
    let export_seconds = started.elapsed().as_secs_f64();
    if exported.iter().filter(|&&b| b == b'\n').count() != ROWS {
        bail!("the export has not {ROWS} lines");
    }
    figures.push(format!(
        "{name}.extensions_csv_10000_rows_export: {export_seconds:.3} s"
    ));
    let delete: String = String::from_utf8(exported)?
        .lines()
        .map(|line| line.split(',').take(3).collect::<Vec<_>>().join(",") + "\r\n")
        .collect();
    std::fs::write(&file, delete)?;
    run("extensions_csv_10000_rows_delete", "action=delete", figures)?;
    Ok(())
}

/// 1,000,000 call-detail records ingested by staff in 100 CSV files of 10,000 (40,000 of
/// them on one day, the rest over the 60 days before), then that day's 40,000-record file
/// downloaded by the administrator with a grant: its time, and how far the server's
/// resident memory rose while it streamed.
fn call_records(
    base: &str,
    access: &str,
    server_pid: u32,
    name: &str,
    figures: &mut Vec<String>,
) -> anyhow::Result<()> {
    const RECORDS: usize = 1_000_000;
    const PER_FILE: usize = 10_000;
    const BUSY_DAY: usize = 40_000;
    println!("==> {name}: 1,000,000 call records");
    let staff_sign_in = r#"{"login_id":"staff","password":"Madoguchi-Staff-2026"}"#;
    let staff = post(&format!("{base}/api/v1/auth/sign-in"), None, staff_sign_in)?;
    let staff_access = staff["access_token"].as_str().context("staff token")?.to_owned();
    let me: serde_json::Value = serde_json::from_slice(&curl(&[&format!("{base}/api/v1/me")], access)?)?;
    let organization = me["organization"]["id"].as_i64().context("organization")?;
    let site = post(
        &format!("{base}/api/v1/pbx-sites"),
        Some(&staff_access),
        &format!(
            r#"{{"organization_id":{organization},"name":"通信履歴ベンチ","domain_name":"bench-cdr-{name}.example.jp","site_number":"78","gateway_ids":[],"park_hold_code":"*8"}}"#
        ),
    )?;
    let site = site["id"].as_i64().context("site id")?;
    // Yesterday in Japan: the busy day.
    let busy = (chrono::Utc::now() + chrono::TimeDelta::hours(9)).date_naive() - chrono::TimeDelta::days(1);
    let file = target_dir().join("bench").join("call-records.csv");
    let url = format!("{base}/api/v1/pbx-sites/{site}/call-records/csv");
    let started = Instant::now();
    for chunk in 0..RECORDS / PER_FILE {
        let mut text = String::with_capacity(PER_FILE * 110);
        for n in chunk * PER_FILE..(chunk + 1) * PER_FILE {
            let (day, index) = if n < BUSY_DAY {
                (busy, n)
            } else {
                let spread = n - BUSY_DAY;
                (
                    busy - chrono::TimeDelta::days(1 + (spread / 16_000) as i64),
                    spread % 16_000,
                )
            };
            let attempted =
                day.and_hms_opt(0, 0, 0).context("midnight")? + chrono::TimeDelta::seconds(index as i64 * 2);
            let answered = attempted + chrono::TimeDelta::seconds(4);
            let ended = answered + chrono::TimeDelta::seconds(60 + (n % 300) as i64);
            let format = "%Y/%m/%d %H:%M:%S";
            text.push_str(&format!(
                "{},{},{},成立,,0312345678,0{:09},{},,1,{},016,b{n}\r\n",
                attempted.format(format),
                answered.format(format),
                ended.format(format),
                90_000_000 + n % 100_000,
                2000 + n % 500,
                2000 + n % 500,
            ));
        }
        std::fs::write(&file, text)?;
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
            &staff_access,
        )?)?;
        if report["inserted"] != PER_FILE {
            bail!("a batch of call records: {report}");
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    figures.push(format!(
        "{name}.call_records_ingest_1000000.rows_per_second: {:.0} rows/s ({seconds:.1} s)",
        RECORDS as f64 / seconds
    ));

    let secret = format!("{base}/api/v1/pbx-sites/{site}/cdr-secret");
    curl(
        &[
            "-X",
            "PUT",
            "-H",
            "Content-Type: application/json",
            "-d",
            r#"{"question":"ベンチ","answer":"ベンチ"}"#,
            &secret,
        ],
        access,
    )?;
    let grant: serde_json::Value = serde_json::from_slice(&curl(
        &[
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "-d",
            r#"{"answer":"ベンチ"}"#,
            &format!("{base}/api/v1/pbx-sites/{site}/cdr-grants"),
        ],
        access,
    )?)?;
    let grant = grant["grant"].as_str().context("grant")?.to_owned();
    let (before, _) = memory_kib(server_pid)?;
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok((rss, _)) = memory_kib(server_pid) {
                    peak.fetch_max(rss, std::sync::atomic::Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let started = Instant::now();
    let day_file = curl(
        &[
            "-H",
            &format!("X-CDR-Grant: {grant}"),
            &format!("{base}/api/v1/pbx-sites/{site}/call-days/{busy}/parts/1"),
        ],
        access,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = sampler.join();
    let lines = day_file.iter().filter(|&&b| b == b'\n').count();
    if lines != BUSY_DAY + 1 {
        bail!("the day's file has {lines} lines, not the header and {BUSY_DAY} records");
    }
    figures.push(format!(
        "{name}.call_records_export_40000.seconds: {seconds:.3} s"
    ));
    figures.push(format!(
        "{name}.call_records_export_40000.rss_growth: {} KiB (from {before} KiB; the file is {} KiB)",
        peak.load(std::sync::atomic::Ordering::Relaxed)
            .saturating_sub(before),
        day_file.len() / 1024
    ));
    Ok(())
}
