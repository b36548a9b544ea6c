//! The published contract, used as an integrator would: a Python client generated from the
//! committed OpenAPI document by a standard generator (with warnings as errors), driving the
//! real server. The generator is installed by `cargo xtask setup` (and `cargo xtask test`).

use std::path::PathBuf;
use std::process::Command;

use madoguchi_e2e::server::workspace_root;
use madoguchi_e2e::{Backend, TestServer};

fn generator_venv() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("tools")
        .join("python-client")
}

#[tokio::test]
async fn generated_python_client_works_against_the_server() -> anyhow::Result<()> {
    if Backend::under_test() != Backend::Sqlite {
        eprintln!("the generated client is checked once, on SQLite (the API tests cover both backends)");
        return Ok(());
    }
    let venv = generator_venv();
    let generator = venv.join("bin").join("openapi-python-client");
    anyhow::ensure!(
        generator.is_file(),
        "{} is missing: run `cargo xtask setup`",
        generator.display()
    );
    let out = tempfile::tempdir()?;
    // `--meta none` writes the package's modules straight into this directory.
    let client_dir = out.path().join("madoguchi_api_client");
    let generated = Command::new(&generator)
        .args(["generate", "--path"])
        .arg(workspace_root().join("openapi/openapi.json"))
        .arg("--output-path")
        .arg(&client_dir)
        .args(["--meta", "none", "--fail-on-warning", "--overwrite", "--config"])
        .arg(workspace_root().join("e2e/client/generator.yml"))
        // The generator formats with ruff from its own environment.
        .env(
            "PATH",
            format!(
                "{}:{}",
                venv.join("bin").display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()?;
    let stderr = String::from_utf8_lossy(&generated.stderr);
    anyhow::ensure!(
        generated.status.success() && stderr.trim().is_empty(),
        "the generator refused or warned:\n{stderr}"
    );

    let server = TestServer::start();
    let checked = Command::new(venv.join("bin").join("python"))
        .arg(workspace_root().join("e2e/client/check_client.py"))
        .args([
            server.base_url.as_str(),
            "demo-admin",
            "Madoguchi-Demo-2026",
            "staff",
            "Madoguchi-Staff-2026",
        ])
        .env("PYTHONPATH", out.path())
        .output()?;
    anyhow::ensure!(
        checked.status.success(),
        "the script failed:\n{}\n{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(String::from_utf8_lossy(&checked.stdout).starts_with("ok:"));
    Ok(())
}
