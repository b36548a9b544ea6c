//! Every answer the API tests saw — method, path, status — so that one check can hold
//! them against what the OpenAPI document declares (`observed_statuses_are_declared`).

use std::io::Write;
use std::path::PathBuf;

/// Where this run writes: one file per test process and backend under the test target's
/// scratch directory. `cargo xtask test` empties it before the API tests.
pub fn directory() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("observed-statuses")
}

pub fn record(method: &str, path: &str, status: u16) {
    // Tests of one process run on several threads: one whole line per write, one writer at
    // a time (`writeln!` may split a line into several writes that interleave).
    static WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let directory = directory();
    let _ = std::fs::create_dir_all(&directory);
    let backend = madoguchi_e2e::Backend::under_test().health_name();
    let file = directory.join(format!("{backend}-{}.jsonl", std::process::id()));
    let line = format!(
        "{}\n",
        serde_json::json!({"method": method, "path": path, "status": status})
    );
    let _one_at_a_time = WRITER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(file) {
        let _ = file.write_all(line.as_bytes());
    }
}

/// Run after the API tests (`cargo xtask test` does): every status a test observed on an
/// operation is declared by that operation in the committed document.
#[test]
#[ignore = "run by `cargo xtask test` after the other API tests, on what they observed"]
fn observed_statuses_are_declared() {
    let document: serde_json::Value =
        serde_json::from_str(include_str!("../../../openapi/openapi.json")).expect("document");
    let paths = document["paths"].as_object().expect("paths");
    let backend = madoguchi_e2e::Backend::under_test().health_name();
    let mut seen = 0;
    let mut undeclared = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(directory())
        .expect("observations (run the API tests first)")
        .flatten()
    {
        if !entry.file_name().to_string_lossy().starts_with(backend) {
            continue;
        }
        for line in std::fs::read_to_string(entry.path()).expect("readable").lines() {
            let observed: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let (method, path) = (
                observed["method"].as_str().unwrap_or_default().to_lowercase(),
                observed["path"].as_str().unwrap_or_default(),
            );
            let status = observed["status"].to_string();
            let Some(operation) = paths
                .iter()
                .find(|(template, item)| matches(template, path) && item.get(&method).is_some())
                .map(|(_, item)| &item[&method])
            else {
                // Not an operation of ours (an unknown path or method): those answer 404/405,
                // which the fallback tests check.
                continue;
            };
            seen += 1;
            if operation["responses"].get(&status).is_none() {
                undeclared.insert(format!("{} {path} → {status}", method.to_uppercase()));
            }
        }
    }
    assert!(
        seen > 100,
        "only {seen} observations: did the API tests run first?"
    );
    assert!(
        undeclared.is_empty(),
        "statuses the document does not declare:\n{}",
        undeclared.into_iter().collect::<Vec<_>>().join("\n")
    );
}

fn matches(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(expected, actual)| (expected.starts_with('{') && !actual.is_empty()) || expected == actual)
}
