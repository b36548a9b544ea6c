//! Builds the SPA: the Leptos crate for wasm32 (size-optimised profile), then
//! wasm-bindgen's JS glue generated in-process by `wasm-bindgen-cli-support` (so no tool is
//! downloaded), then the static files, into `web/dist`.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::{cargo, run_step};

const PROFILE: &str = "wasm-release";
const CRATE: &str = "madoguchi-web";
/// `madoguchi_web.js` and `madoguchi_web_bg.wasm`, as `index.html` names them.
const OUT_NAME: &str = "madoguchi_web";
const STATIC_FILES: [&str; 3] = ["index.html", "style.css", "boot.js"];

/// Shrinks the wasm in place with `wasm-opt -Oz` (about a third smaller compressed).
fn optimise(wasm: &Path) -> anyhow::Result<()> {
    let Some(wasm_opt) = crate::setup::wasm_opt() else {
        return Ok(());
    };
    run_step(
        "wasm-opt -Oz",
        std::process::Command::new(wasm_opt)
            .arg("-Oz")
            .arg("--enable-bulk-memory")
            .arg("--enable-nontrapping-float-to-int")
            .arg("--enable-sign-ext")
            .arg("--enable-mutable-globals")
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// Returns the output directory.
pub fn build(root: &Path) -> anyhow::Result<PathBuf> {
    run_step(
        "build the SPA (wasm32)",
        cargo().args([
            "build",
            "-p",
            CRATE,
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            PROFILE,
        ]),
    )?;
    let wasm = crate::target_dir()
        .join("wasm32-unknown-unknown")
        .join(PROFILE)
        .join(format!("{CRATE}.wasm"));
    let dist = root.join("web").join("dist");
    std::fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;

    println!("==> wasm-bindgen {}", wasm.display());
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name(OUT_NAME)
        .web(true)?
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        // index.html calls init() without a path: the glue finds the wasm beside itself.
        .omit_default_module_path(false)
        .generate(&dist)
        .context("wasm-bindgen")?;

    optimise(&dist.join(format!("{OUT_NAME}_bg.wasm")))?;
    for file in STATIC_FILES {
        let source = root.join("web").join(file);
        std::fs::copy(&source, dist.join(file)).with_context(|| format!("copying {}", source.display()))?;
    }
    for entry in std::fs::read_dir(&dist)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") || name.ends_with(".js") {
            println!("    {name}: {} KiB", entry.metadata()?.len() / 1024);
        }
    }
    Ok(dist)
}
