//! `cargo xtask <command>`: the project's build and test automation, in Rust so that a
//! machine with only rustup and cargo can run it.
//!
//! - `run`     build the SPA and the API, start the portal on SQLite with demo data
//! - `test`    the whole suite: fmt, clippy, SPA build, unit, API and browser tests on
//!   SQLite and (when reachable) PostgreSQL
//! - `web`     build the SPA into `web/dist`
//! - `openapi` rewrite `openapi/openapi.json` from the code
//! - `bench`   release builds under load: figures for throughput, latency, sign-in, SPA size
//! - `setup`   install what the test suite needs (wasm target, clippy, chromium)

// A command-line tool: printing progress is its job.
#![allow(clippy::print_stdout)]

mod bench;
mod bench_analytics;
mod setup;
mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, bail};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("web") => web::build(&root()).map(|_| ()),
        Some("openapi") => openapi(),
        Some("setup") => setup::for_tests(),
        Some("bench") => bench::run(&args[1..]),
        Some("area-codes") => setup::area_codes(&root()),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [-- server args] | test | bench [section…] | web | openapi | setup | area-codes>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The shared target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs a command, failing with its description when it does not succeed.
fn run_step(what: &str, command: &mut Command) -> anyhow::Result<()> {
    println!("==> {what}");
    let status = command
        .status()
        .with_context(|| format!("cannot start: {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

fn run(server_args: &[String]) -> anyhow::Result<()> {
    setup::for_build()?;
    web::build(&root())?;
    let mut serve = cargo();
    serve.args([
        "run",
        "-p",
        "madoguchi-api",
        "--bin",
        "madoguchi",
        "--",
        "serve",
        "--demo",
    ]);
    serve.args(server_args.iter().filter(|arg| arg.as_str() != "--"));
    println!(
        "==> starting Madoguchi on http://{}:{} (demo sign-ins: staff / Madoguchi-Staff-2026, demo-admin / Madoguchi-Demo-2026)",
        std::env::var("MADOGUCHI_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        std::env::var("MADOGUCHI_PORT").unwrap_or_else(|_| "8080".into()),
    );
    run_step("madoguchi serve --demo", &mut serve)
}

fn openapi() -> anyhow::Result<()> {
    run_step(
        "regenerate openapi/openapi.json",
        cargo().args([
            "run",
            "--quiet",
            "-p",
            "madoguchi-api",
            "--bin",
            "madoguchi",
            "--",
            "openapi",
            "--output",
            "openapi/openapi.json",
        ]),
    )
}

/// One database backend the API and e2e tests ran on.
struct BackendRun {
    name: &'static str,
    outcome: Result<(), String>,
    seconds: f64,
}

fn test() -> anyhow::Result<()> {
    let started = Instant::now();
    setup::for_tests()?;
    run_step(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    run_step(
        "clippy (server, tests, tools)",
        cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "madoguchi-web",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run_step(
        "clippy (SPA, wasm32)",
        cargo().args([
            "clippy",
            "-p",
            "madoguchi-web",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    web::build(&root())?;
    run_step(
        "build the server binary the e2e tests start",
        cargo().args(["build", "-p", "madoguchi-api", "--bin", "madoguchi"]),
    )?;
    run_step(
        "unit tests",
        cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "madoguchi-web",
            "--lib",
            "--bins",
        ]),
    )?;

    // What the API tests observe is checked against the document after each backend's run.
    let _ = std::fs::remove_dir_all(target_dir().join("tmp").join("observed-statuses"));
    let mut runs = vec![backend_run("sqlite", None)];
    match setup::postgres_url() {
        Some(url) => runs.push(backend_run("postgres", Some(&url))),
        None => println!("==> PostgreSQL not reachable: the PostgreSQL pass is skipped (see README)"),
    }

    println!("\n==> Database backends");
    for run in &runs {
        let verdict = match &run.outcome {
            Ok(()) => "passed".to_owned(),
            Err(error) => format!("FAILED: {error}"),
        };
        println!(
            "    {:<9} API + e2e + browser tests {verdict} in {:.0} s",
            run.name, run.seconds
        );
    }
    println!("==> total {:.0} s", started.elapsed().as_secs_f64());
    if runs.iter().any(|run| run.outcome.is_err()) {
        bail!("some backend runs failed");
    }
    Ok(())
}

/// The API (in-process) and e2e (real binary, real browser) tests against one backend.
fn backend_run(name: &'static str, postgres_url: Option<&str>) -> BackendRun {
    let started = Instant::now();
    let mut command = cargo();
    command
        .args([
            "test",
            "-p",
            "madoguchi-api",
            "--test",
            "api",
            "-p",
            "madoguchi-e2e",
            "--test",
            "e2e",
        ])
        .env("MADOGUCHI_TEST_BACKEND", name);
    if let Some(url) = postgres_url {
        command.env("MADOGUCHI_TEST_POSTGRES_URL", url);
    }
    let outcome = run_step(&format!("API and e2e tests on {name}"), &mut command).and_then(|()| {
        let mut check = cargo();
        check
            .args([
                "test",
                "-p",
                "madoguchi-api",
                "--test",
                "api",
                "--",
                "--ignored",
                "observed_statuses_are_declared",
            ])
            .env("MADOGUCHI_TEST_BACKEND", name);
        run_step(
            &format!("every status the API tests saw on {name} is declared in the document"),
            &mut check,
        )
    });
    let outcome = outcome.map_err(|error| error.to_string());
    BackendRun {
        name,
        outcome,
        seconds: started.elapsed().as_secs_f64(),
    }
}
