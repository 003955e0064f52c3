//! The web tools ctsync builds with, pinned in this one place, and how each gets installed.
//!
//! Every `ensure_*` checks the installed version first and installs only what is missing or of
//! another version, saying what and why, so a second run installs nothing. Cargo and npm tools go
//! to the cargo install root (`CARGO_INSTALL_ROOT`, else `CARGO_HOME`, else `~/.cargo`), whose
//! `bin/` is put first on PATH for every child process. Only that `bin/` counts as installed: a
//! matching tool elsewhere on PATH is not trusted, so a fresh install root really starts from nothing.
//!
//! Trunk.toml's `[tools]` repeats the two versions Trunk checks (so a bare `trunk build` stays
//! offline and correct); the tests below fail when it, or Cargo.lock's `wasm-bindgen`, drifts from
//! the constants here.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::run::{self, cargo, command, quiet_output};

/// The compilation target of the web crate and of core's wasm tests.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Trunk: 0.21.14 is the newest that builds with this machine's rustc 1.95 (0.22 needs 1.96.1).
pub const TRUNK: &str = "0.21.14";

/// wasm-bindgen-cli (also brings `wasm-bindgen-test-runner`): must equal the `wasm-bindgen` crate
/// version in Cargo.lock, which the workspace pins with `=` in the root Cargo.toml.
pub const WASM_BINDGEN_CLI: &str = "0.2.130";

/// npm's `binaryen`, for `wasm-opt`. Not Debian's binaryen 108, whose wasm-opt emits a module that
/// dies at start-up while Trunk reports success.
pub const BINARYEN_NPM: &str = "132.0.0";

/// Debian's packages for the browser tests: the browser itself and the WebDriver for wasm tests in
/// a browser. Never a browser download: none is reachable from here.
pub const DEBIAN_BROWSER_PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];

/// Where Debian's packages put the browser and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The browser tests' own npm project; playwright-core is pinned in its package-lock.json.
pub const BROWSER_TESTS_DIR: &str = "tests/browser";

/// The version string Trunk expects in `[tools] wasm_opt`: `version_` and binaryen's major version.
pub fn wasm_opt_version_for_trunk() -> String {
    let major = BINARYEN_NPM.split('.').next().unwrap_or(BINARYEN_NPM);
    format!("version_{major}")
}

/// The cargo install root and what lives in its `bin/`.
pub struct Tools {
    root: PathBuf,
}

impl Tools {
    /// Finds the install root the way `cargo install` does (without reading cargo's config files)
    /// and puts its `bin/` first on PATH for every process started from now on.
    pub fn locate() -> anyhow::Result<Tools> {
        let root = match (
            std::env::var_os("CARGO_INSTALL_ROOT"),
            std::env::var_os("CARGO_HOME"),
        ) {
            (Some(root), _) if !root.is_empty() => PathBuf::from(root),
            (_, Some(home)) if !home.is_empty() => PathBuf::from(home),
            _ => {
                let home = std::env::var_os("HOME").context("HOME is not set")?;
                Path::new(&home).join(".cargo")
            }
        };
        let tools = Tools { root };
        std::fs::create_dir_all(tools.bin_dir())
            .with_context(|| format!("cannot create {}", tools.bin_dir().display()))?;
        let old_path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![tools.bin_dir()];
        paths.extend(std::env::split_paths(&old_path).filter(|p| *p != tools.bin_dir()));
        let new_path = std::env::join_paths(paths).context("PATH contains an invalid entry")?;
        // Set once at start-up, before any thread runs: every child process inherits it.
        std::env::set_var("PATH", new_path);
        // Trunk would otherwise ask the internet whether a newer Trunk exists.
        std::env::set_var("TRUNK_SKIP_VERSION_CHECK", "true");
        Ok(tools)
    }

    pub fn bin_dir(&self) -> PathBuf {
        self.root.join("bin")
    }

    fn version_of(&self, program: &str, arg: &str) -> Option<String> {
        let path = self.bin_dir().join(program);
        quiet_output(command(path).arg(arg))
    }

    /// `rustup target add wasm32-unknown-unknown`, unless it is installed.
    pub fn ensure_wasm_target(&self) -> anyhow::Result<()> {
        let installed = quiet_output(command("rustup").args(["target", "list", "--installed"]))
            .context("cannot ask rustup for the installed targets: is rustup on PATH?")?;
        if installed.lines().any(|t| t.trim() == WASM_TARGET) {
            println!("ok: rust target {WASM_TARGET}");
            return Ok(());
        }
        println!("installing rust target {WASM_TARGET}: the web crate and core's wasm tests build for it");
        run::run(command("rustup").args(["target", "add", WASM_TARGET]))
    }

    /// Trunk, with `cargo install --locked` (its own lock file is known to build here).
    pub fn ensure_trunk(&self) -> anyhow::Result<()> {
        let found = self.version_of("trunk", "--version");
        if found.as_deref() == Some(&format!("trunk {TRUNK}")) {
            println!("ok: trunk {TRUNK}");
            return Ok(());
        }
        println!(
            "installing trunk {TRUNK} into {} ({}): it builds and serves the web app \
             (takes 6 to 10 minutes on 2 cores)",
            self.bin_dir().display(),
            found_or_missing(found.as_deref()),
        );
        // Trunk's own release profile (fat LTO, one codegen unit, opt-level 3) is built for speed
        // at run time, which a build orchestrator barely needs; on 2 cores these overrides cut its
        // install time by about a third.
        run::run(
            cargo()
                .args(["install", "trunk", "--version", TRUNK, "--locked", "--root"])
                .arg(&self.root)
                .env("CARGO_PROFILE_RELEASE_LTO", "off")
                .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
                .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
        )
    }

    /// wasm-bindgen-cli, *without* `--locked`: its lock file wants a crate version the registry
    /// mirror lacks, and its plain dependency ranges resolve and build.
    pub fn ensure_wasm_bindgen(&self) -> anyhow::Result<()> {
        let found = self.version_of("wasm-bindgen", "--version");
        let runner = self.bin_dir().join("wasm-bindgen-test-runner");
        if found.as_deref() == Some(&format!("wasm-bindgen {WASM_BINDGEN_CLI}")) && runner.is_file()
        {
            println!("ok: wasm-bindgen {WASM_BINDGEN_CLI} and wasm-bindgen-test-runner");
            return Ok(());
        }
        println!(
            "installing wasm-bindgen-cli {WASM_BINDGEN_CLI} into {} ({}): Trunk needs the exact \
             version of the wasm-bindgen crate, and core's wasm tests run under its test runner",
            self.bin_dir().display(),
            found_or_missing(found.as_deref()),
        );
        run::run(
            cargo()
                .args([
                    "install",
                    "wasm-bindgen-cli",
                    "--version",
                    WASM_BINDGEN_CLI,
                    "--root",
                ])
                .arg(&self.root),
        )
    }

    /// npm's binaryen, installed globally under the install root so `wasm-opt` lands in its `bin/`.
    pub fn ensure_wasm_opt(&self) -> anyhow::Result<()> {
        let major = BINARYEN_NPM.split('.').next().unwrap_or(BINARYEN_NPM);
        let found = self.version_of("wasm-opt", "--version");
        if found.as_deref().is_some_and(|v| {
            v.starts_with(&format!("wasm-opt version {major} "))
                || v == format!("wasm-opt version {major}")
        }) {
            println!("ok: wasm-opt {major} (npm binaryen {BINARYEN_NPM})");
            return Ok(());
        }
        println!(
            "installing npm binaryen@{BINARYEN_NPM} into {} ({}): Trunk runs its wasm-opt to shrink \
             the release wasm (Debian's binaryen would break the app)",
            self.root.display(),
            found_or_missing(found.as_deref()),
        );
        run::run(
            command("npm")
                .args(["install", "--global", "--no-audit", "--no-fund", "--prefix"])
                .arg(&self.root)
                .arg(format!("binaryen@{BINARYEN_NPM}")),
        )
    }

    /// Debian's chromium and chromium-driver, with apt-get, when either is missing.
    pub fn ensure_chromium(&self) -> anyhow::Result<()> {
        let browser = quiet_output(command(CHROMIUM).arg("--version"));
        let driver = quiet_output(command(CHROMEDRIVER).arg("--version"));
        if let (Some(browser), Some(_)) = (&browser, &driver) {
            println!("ok: {browser} and chromedriver");
            return Ok(());
        }
        println!(
            "installing Debian's {}: the browser tests drive headless Chromium ({} missing)",
            DEBIAN_BROWSER_PACKAGES.join(" and "),
            if browser.is_none() {
                CHROMIUM
            } else {
                CHROMEDRIVER
            },
        );
        let as_root = quiet_output(command("id").arg("-u")).as_deref() == Some("0");
        let apt = |args: &[&str]| {
            let mut cmd = if as_root {
                command("apt-get")
            } else {
                let mut sudo = command("sudo");
                sudo.arg("apt-get");
                sudo
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            cmd
        };
        run::run(&mut apt(&["update", "-qq"]))?;
        // Recommends stay in: they bring the fonts the pages are drawn with. The lock timeout waits
        // for another apt-get (another checkout's test run) instead of failing at once.
        let mut install = apt(&["install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=300"]);
        install.args(DEBIAN_BROWSER_PACKAGES);
        run::run(&mut install)?;
        if quiet_output(command(CHROMIUM).arg("--version")).is_none() {
            bail!(
                "{CHROMIUM} still does not run after installing {}",
                DEBIAN_BROWSER_PACKAGES.join(" ")
            );
        }
        Ok(())
    }

    /// The browser tests' npm packages (playwright-core, which never downloads a browser), from
    /// their package-lock.json, when `npm ls` finds them missing or of another version.
    pub fn ensure_browser_test_deps(&self) -> anyhow::Result<()> {
        let dir = run::workspace_root().join(BROWSER_TESTS_DIR);
        let mut ls = command("npm");
        ls.current_dir(&dir).args(["ls", "--depth=0"]);
        if quiet_output(&mut ls).is_some() {
            println!("ok: npm packages of {BROWSER_TESTS_DIR}");
            return Ok(());
        }
        println!("installing the npm packages of {BROWSER_TESTS_DIR} (npm ci): playwright-core drives Chromium");
        let mut ci = command("npm");
        ci.current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]);
        run::run(&mut ci)
    }
}

/// Fails when Cargo.lock's `wasm-bindgen` or Trunk.toml's `[tools]` differ from the pins above: the
/// build would then stop on a version mismatch (or, online, download another tool).
pub fn check_pins() -> anyhow::Result<()> {
    let root = run::workspace_root();
    let read = |name: &str| {
        std::fs::read_to_string(root.join(name)).with_context(|| format!("cannot read {name}"))
    };
    check_pins_in(&read("Cargo.lock")?, &read("Trunk.toml")?)
}

fn check_pins_in(cargo_lock: &str, trunk_toml: &str) -> anyhow::Result<()> {
    let locked = cargo_lock_versions(cargo_lock, "wasm-bindgen");
    if locked != [WASM_BINDGEN_CLI] {
        bail!(
            "Cargo.lock has wasm-bindgen {} but xtask installs wasm-bindgen-cli {WASM_BINDGEN_CLI}: \
             they must be equal; change WASM_BINDGEN_CLI in xtask/src/tools.rs, Trunk.toml's \
             [tools] and the `=` pin in Cargo.toml together",
            if locked.is_empty() { "(none)".to_string() } else { locked.join(" and ") },
        );
    }
    let expected = [
        ("tools", "wasm_bindgen", WASM_BINDGEN_CLI.to_string()),
        ("tools", "wasm_opt", wasm_opt_version_for_trunk()),
        ("build", "offline", "true".to_string()),
    ];
    for (section, key, want) in expected {
        let found = toml_section_string(trunk_toml, section, key);
        if found.as_deref() != Some(want.as_str()) {
            bail!(
                "Trunk.toml [{section}] {key} is {} but must be {want} (xtask/src/tools.rs)",
                found.as_deref().unwrap_or("missing"),
            );
        }
    }
    Ok(())
}

fn found_or_missing(found: Option<&str>) -> String {
    match found {
        Some(version) => format!("found {version}"),
        None => "not installed there".to_string(),
    }
}

/// The versions of package `name` recorded in a Cargo.lock.
pub fn cargo_lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut current_name: Option<&str> = None;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            current_name = None;
        } else if let Some(value) = toml_string(line, "name") {
            current_name = Some(value);
        } else if let Some(value) = toml_string(line, "version") {
            if current_name == Some(name) {
                versions.push(value.to_string());
            }
        }
    }
    versions
}

/// The value of `key = "value"` (or `key = value`) in `section` of a small TOML file such as
/// Trunk.toml, without quotes.
pub fn toml_section_string(text: &str, section: &str, key: &str) -> Option<String> {
    let header = format!("[{section}]");
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == header;
        } else if in_section {
            if let Some(value) = toml_string(line, key) {
                return Some(value.to_string());
            }
        }
    }
    None
}

fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next(),
        None => rest.split('#').next().map(str::trim),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_tools_agree_with_cargo_lock_and_trunk_toml() {
        check_pins().unwrap();
    }

    #[test]
    fn a_drifted_cargo_lock_or_trunk_toml_is_caught() {
        let lock =
            format!("[[package]]\nname = \"wasm-bindgen\"\nversion = \"{WASM_BINDGEN_CLI}\"\n");
        let trunk = format!(
            "[build]\noffline = true\n\n[tools]\nwasm_bindgen = \"{WASM_BINDGEN_CLI}\"\nwasm_opt = \"{}\"\n",
            wasm_opt_version_for_trunk()
        );
        check_pins_in(&lock, &trunk).unwrap();
        let old_lock = lock.replace(WASM_BINDGEN_CLI, "0.2.99");
        let err = check_pins_in(&old_lock, &trunk).unwrap_err().to_string();
        assert!(err.contains("Cargo.lock has wasm-bindgen 0.2.99"), "{err}");
        let online = trunk.replace("offline = true", "offline = false");
        assert!(check_pins_in(&lock, &online).is_err());
        let other_opt = trunk.replace(&wasm_opt_version_for_trunk(), "version_108");
        assert!(check_pins_in(&lock, &other_opt).is_err());
    }

    #[test]
    fn browser_tests_pin_playwright_core_and_never_a_browser_download() {
        let path = run::workspace_root()
            .join(BROWSER_TESTS_DIR)
            .join("package.json");
        let package = std::fs::read_to_string(&path).unwrap();
        assert!(
            !package.contains("\"playwright\"") && !package.contains("\"puppeteer\""),
            "plain playwright and puppeteer download browsers; use playwright-core with Debian's chromium"
        );
        let line = package
            .lines()
            .find(|l| l.contains("\"playwright-core\""))
            .expect("tests/browser/package.json depends on playwright-core");
        let version = line
            .split(':')
            .nth(1)
            .unwrap()
            .trim()
            .trim_matches([',', '"', ' ']);
        assert!(
            version.chars().next().is_some_and(|c| c.is_ascii_digit()),
            "playwright-core is pinned to an exact version, not a range: {version}"
        );
    }

    #[test]
    fn cargo_lock_parsing_finds_every_version_of_a_package() {
        let lock = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"b\"\n\
                    version = \"2.0.0\"\n\n[[package]]\nname = \"a\"\nversion = \"1.1.0\"\n";
        assert_eq!(cargo_lock_versions(lock, "a"), vec!["1.0.0", "1.1.0"]);
        assert!(cargo_lock_versions(lock, "c").is_empty());
    }
}
