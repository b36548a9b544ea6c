//! Rules of the source tree that keep the layout as it is meant to be, checked on the
//! files themselves.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

fn source_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&path).unwrap_or_default())
        })
        .collect()
}

/// No module imports the one that mounts it: resources are mounted by `router`, which
/// `startup` and `openapi` use; nothing else may reach up to them (the import cycle of the
/// old `startup.rs`).
#[test]
fn no_module_imports_the_module_that_mounts_it() {
    let files = source_files();
    assert!(files.len() > 20, "the source tree was found");
    let mounters = [
        "router.rs",
        "startup.rs",
        "main.rs",
        "lib.rs",
        "openapi.rs",
        "structure_tests.rs",
    ];
    for (name, text) in &files {
        if mounters.contains(&name.as_str()) {
            continue;
        }
        for forbidden in ["crate::router", "crate::startup", "crate::openapi"] {
            assert!(!text.contains(forbidden), "{name} imports {forbidden}");
        }
    }
}

/// Each resource owns its table: only `accounts` writes `accounts` rows.
#[test]
fn only_the_accounts_module_writes_accounts_rows() {
    for (name, text) in source_files() {
        if name == "accounts/mod.rs" || name == "structure_tests.rs" {
            continue;
        }
        for write in [
            "update(accounts::table",
            "insert_into(accounts::table",
            "delete(accounts::table",
            "update(accounts_table",
        ] {
            assert!(
                !text.contains(write),
                "{name} writes the accounts table ({write})"
            );
        }
    }
}
