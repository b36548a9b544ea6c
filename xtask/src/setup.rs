//! Installs what building and testing need, so that a fresh machine with only rustup and
//! cargo gets there by itself. Nothing here downloads a binary outside the package
//! registries: the wasm target comes from rustup, the rest from Debian's packages.

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::run_step;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// pq-sys's bundled libpq build needs OpenSSL headers.
const BUILD_PACKAGES: [&str; 2] = ["libssl-dev", "pkg-config"];
/// Browser tests drive Debian's Chromium through its ChromeDriver; the Japanese font makes
/// their screenshots readable; Python runs the client generated from the OpenAPI document;
/// the report downloads are read back by Poppler (the PDF's text) and opened by
/// LibreOffice (the PowerPoint deck converts to PDF).
const TEST_PACKAGES: [&str; 7] = [
    "chromium",
    "chromium-driver",
    "fonts-noto-cjk",
    "python3-venv",
    "python3-pip",
    "poppler-utils",
    "libreoffice-impress",
];
/// The SPA's release build runs wasm-opt from npm's binaryen (Debian's is too old).
const NODE_PACKAGES: [&str; 2] = ["nodejs", "npm"];
/// wasm-opt, from the npm registry.
const BINARYEN: &str = "binaryen@132.0.0";
/// The OpenAPI client generator, from PyPI.
const PYTHON_CLIENT_GENERATOR: &str = "openapi-python-client==0.29.1";
/// An S3-compatible server for the storage tests (MinIO is not in the registries here).
const S3_SERVER: &str = "moto[server]==5.1.18";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// What `cargo xtask run` needs.
pub fn for_build() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    ensure_debian_packages(&BUILD_PACKAGES)?;
    if !succeeds("npm", &["--version"]) {
        ensure_debian_packages(&NODE_PACKAGES)?;
    }
    Ok(())
}

/// What `cargo xtask test` needs.
pub fn for_tests() -> anyhow::Result<()> {
    for_build()?;
    ensure_rustup_components(&["rustfmt", "clippy"])?;
    ensure_debian_packages(&TEST_PACKAGES)?;
    ensure_python_client_generator()?;
    ensure_python_tool("s3-server", "moto_server", S3_SERVER)
}

/// libphonenumber's Python port, whose geocoding data the area-code table is made from.
const PHONENUMBERS: &str = "phonenumbers==9.0.43";

/// `cargo xtask area-codes`: writes `api/src/analytics/area_codes.rs` again from the pinned
/// `phonenumbers` package (`xtask/scripts/area_codes.py` says how).
pub fn area_codes(root: &std::path::Path) -> anyhow::Result<()> {
    let venv = tool_dir("phonenumbers");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        run_step(
            "python3 -m venv (phonenumbers)",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }
    run_step(
        &format!("pip install {PHONENUMBERS}"),
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(PHONENUMBERS),
    )?;
    run_step(
        "xtask/scripts/area_codes.py",
        Command::new(&python)
            .arg(root.join("xtask").join("scripts").join("area_codes.py"))
            .arg(
                root.join("api")
                    .join("src")
                    .join("analytics")
                    .join("area_codes.rs"),
            ),
    )
}

/// `target/tools/<name>`: tools the build installs for itself (never committed).
pub fn tool_dir(name: &str) -> PathBuf {
    crate::target_dir().join("tools").join(name)
}

/// wasm-opt from npm's binaryen, installed once under `target/tools`; `None` (with a note)
/// when npm is missing — the SPA then ships unoptimised but works.
pub fn wasm_opt() -> Option<PathBuf> {
    let dir = tool_dir("binaryen");
    let binary = dir.join("node_modules").join(".bin").join("wasm-opt");
    if binary.is_file() {
        return Some(binary);
    }
    let installed = run_step(
        &format!("npm install {BINARYEN} (wasm-opt)"),
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&dir)
            .arg(BINARYEN),
    );
    match installed {
        Ok(()) if binary.is_file() => Some(binary),
        _ => {
            println!("==> wasm-opt unavailable (npm missing or offline): the SPA is built without it");
            None
        }
    }
}

/// A virtual environment with the OpenAPI client generator, for the test that generates a
/// Python client from the committed document.
fn ensure_python_client_generator() -> anyhow::Result<()> {
    ensure_python_tool("python-client", "openapi-python-client", PYTHON_CLIENT_GENERATOR)
}

/// `target/tools/<name>`: a virtual environment with `package` from PyPI, whose
/// `binary` the tests run.
fn ensure_python_tool(name: &str, binary: &str, package: &str) -> anyhow::Result<()> {
    let venv = tool_dir(name);
    if venv.join("bin").join(binary).is_file() {
        return Ok(());
    }
    run_step(
        &format!("python3 -m venv ({name})"),
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
    )?;
    run_step(
        &format!("pip install {package}"),
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(package),
    )
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"])
        .context("rustup is needed to add the wasm32 target")?;
    if !installed.lines().any(|line| line.trim() == WASM_TARGET) {
        run_step(
            "rustup target add wasm32-unknown-unknown",
            Command::new("rustup").args(["target", "add", WASM_TARGET]),
        )?;
    }
    Ok(())
}

fn ensure_rustup_components(components: &[&str]) -> anyhow::Result<()> {
    let installed = output("rustup", &["component", "list", "--installed"])?;
    let missing: Vec<&str> = components
        .iter()
        .copied()
        .filter(|component| !installed.lines().any(|line| line.starts_with(component)))
        .collect();
    if !missing.is_empty() {
        run_step(
            &format!("rustup component add {}", missing.join(" ")),
            Command::new("rustup").args(["component", "add"]).args(&missing),
        )?;
    }
    Ok(())
}

/// Installs missing Debian packages with apt-get (as root, or through sudo).
fn ensure_debian_packages(packages: &[&str]) -> anyhow::Result<()> {
    if !succeeds("dpkg-query", &["--version"]) {
        println!(
            "==> not a Debian-based system: make sure these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|package| {
            output("dpkg-query", &["-W", "-f=${Status}", package])
                .map(|status| !status.contains("install ok installed"))
                .unwrap_or(true)
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let as_root = output("id", &["-u"]).is_ok_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run_step("apt-get update", &mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&missing);
    run_step(&format!("apt-get install {}", missing.join(" ")), &mut install)
}

/// The PostgreSQL the tests should use: `MADOGUCHI_TEST_POSTGRES_URL` if set, otherwise the
/// local server on 127.0.0.1:5432 (started first if it is installed but down).
pub fn postgres_url() -> Option<String> {
    if let Ok(url) = std::env::var("MADOGUCHI_TEST_POSTGRES_URL") {
        return Some(url);
    }
    let address = SocketAddr::from(([127, 0, 0, 1], 5432));
    let reachable = || TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_ok();
    if reachable() {
        return Some(DEFAULT_POSTGRES_URL.to_owned());
    }
    if start_local_postgres().is_ok() {
        for _ in 0..20 {
            if reachable() {
                return Some(DEFAULT_POSTGRES_URL.to_owned());
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    None
}

fn start_local_postgres() -> anyhow::Result<()> {
    let versions = std::fs::read_dir("/etc/postgresql")?;
    for version in versions.flatten() {
        let version = version.file_name().to_string_lossy().into_owned();
        println!("==> starting the local PostgreSQL {version} cluster");
        let started = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &version, "main", "start"])
            .status()?;
        if started.success() {
            return Ok(());
        }
    }
    bail!("no PostgreSQL cluster could be started")
}

fn output(program: &str, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {program}"))?;
    if !output.status.success() {
        bail!("{program} {} failed", args.join(" "));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
