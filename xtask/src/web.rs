//! Building and serving the web app with Trunk: `cargo xtask serve` (debug build, watched, on
//! http://127.0.0.1:8080) and `cargo xtask dist` (the release site in dist/, relocatable).
//!
//! Trunk runs offline (Trunk.toml) with the pinned tools first on PATH: a missing or mismatched tool
//! is then a one-line error instead of a download that cannot succeed here. Offline also makes it
//! pass `--offline` to cargo, so the crates are fetched first with `cargo fetch --locked`.

use std::path::PathBuf;

use anyhow::{bail, Context};

use crate::run::{self, cargo, command, workspace_root};
use crate::tools::{self, Tools};

/// Where `cargo xtask serve` listens.
pub const SERVE_ADDRESS: &str = "127.0.0.1";
pub const SERVE_PORT: u16 = 8080;

/// The release site. Its asset URLs are relative (Trunk.toml `public_url = "./"`), so the folder
/// works when served from any path of any static host.
pub const DIST_DIR: &str = "dist";

/// `trunk serve` writes its debug build here, so it never overwrites the release site in dist/.
const SERVE_DIST_DIR: &str = "target/trunk-serve";

/// Installs what is missing, then builds and serves the playground until interrupted.
pub fn serve() -> anyhow::Result<()> {
    let tools = Tools::locate()?;
    // wasm-opt too, though a debug build skips it: `trunk serve --release` then works as well.
    ensure_release_tools(&tools)?;
    fetch_crates()?;
    let url = format!("http://{SERVE_ADDRESS}:{SERVE_PORT}/");
    println!("\nctsync playground: building, then serving at {url} (Ctrl-C stops)\n");
    run::run(
        command("trunk")
            .args(["serve", "--address", SERVE_ADDRESS, "--port"])
            .arg(SERVE_PORT.to_string())
            .args(["--dist", SERVE_DIST_DIR]),
    )
}

/// Installs what is missing, then builds the release site into dist/ and reports the wasm size.
pub fn dist() -> anyhow::Result<()> {
    let tools = Tools::locate()?;
    ensure_release_tools(&tools)?;
    build_release_site()?;
    println!("{}", wasm_size_report()?);
    println!(
        "the site is in {DIST_DIR}/: copy it to any static host, at any path \
         (asset URLs are relative)"
    );
    Ok(())
}

/// The tools a release build needs.
pub fn ensure_release_tools(tools: &Tools) -> anyhow::Result<()> {
    tools::check_pins()?;
    tools.ensure_wasm_target()?;
    tools.ensure_trunk()?;
    tools.ensure_wasm_bindgen()?;
    tools.ensure_wasm_opt()
}

/// `trunk build --release` into dist/: the wasm-release cargo profile and `wasm-opt -Oz`, both
/// selected in index.html.
pub fn build_release_site() -> anyhow::Result<()> {
    fetch_crates()?;
    run::run(command("trunk").args(["build", "--release", "--dist", DIST_DIR]))
}

/// Offline Trunk passes `--offline` to cargo: everything must be in the local registry cache.
fn fetch_crates() -> anyhow::Result<()> {
    run::run(cargo().args(["fetch", "--locked"]))
}

/// The size of the release wasm in dist/, raw and gzipped (what a static host sends).
pub fn wasm_size_report() -> anyhow::Result<String> {
    let wasm = release_wasm()?;
    let raw = std::fs::metadata(&wasm)
        .with_context(|| format!("cannot read {}", wasm.display()))?
        .len();
    let gzipped = run::quiet_output(
        command("sh")
            .arg("-c")
            .arg(format!("gzip -9 -c '{}' | wc -c", wasm.display())),
    )
    .and_then(|n| n.trim().parse::<u64>().ok())
    .context("cannot gzip the wasm to measure it")?;
    Ok(format!(
        "wasm: {} — {} KiB raw, {} KiB gzipped",
        wasm.strip_prefix(workspace_root())
            .unwrap_or(&wasm)
            .display(),
        raw / 1024,
        gzipped / 1024
    ))
}

fn release_wasm() -> anyhow::Result<PathBuf> {
    let dist = workspace_root().join(DIST_DIR);
    let mut wasm: Vec<PathBuf> = std::fs::read_dir(&dist)
        .with_context(|| format!("cannot list {}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    match wasm.len() {
        1 => Ok(wasm.remove(0)),
        n => bail!("expected one .wasm file in {}, found {n}", dist.display()),
    }
}
