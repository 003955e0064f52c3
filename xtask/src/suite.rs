//! `cargo xtask test`: every check ctsync has, from cheap to expensive, ending with one line
//! `N passed, N failed` that counts the test cases run.
//!
//! Counting: each test a runner reports is one case (cargo's and wasm-bindgen-test-runner's
//! `test result:` lines, node's test summary); each check that is not a test runner (layering, fmt,
//! clippy, the benchmark build, the release site build) is one case; a tool install counts only
//! when it fails. A test step that exits with failure but reports no failed test (a compile error)
//! counts one failed case, and so does a test step that ran no test at all. Steps run on after a
//! failure, except those that need what failed (the browser tests need the release site).

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::run::{self, cargo, command, run_captured, workspace_root};
use crate::summary::{libtest_counts, node_test_counts, Counts};
use crate::tools::{self, Tools, WASM_TARGET};
use crate::web;

/// Crates core must never depend on, even through another crate: it is the pure, portable domain.
const FORBIDDEN_IN_CORE: [&str; 8] = [
    "leptos",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "gloo",
    "clap",
    "tokio",
    "getrandom",
];

/// Runs every check and prints the closing count; exits with failure when anything failed.
pub fn run_all() -> ExitCode {
    let started = Instant::now();
    let mut suite = Suite::default();

    let tools = match Tools::locate() {
        Ok(tools) => tools,
        Err(err) => {
            suite.record(
                "locate the tool folder",
                Outcome::Failed(format!("{err:#}")),
                Counts::new(0, 1),
                Duration::ZERO,
            );
            return suite.finish(started);
        }
    };
    let build_tools = suite.install(
        "web build tools (rust target, trunk, wasm-bindgen, wasm-opt)",
        || web::ensure_release_tools(&tools),
    );
    let browser_tools = suite.install("browser test tools (chromium, playwright-core)", || {
        tools.ensure_chromium()?;
        tools.ensure_browser_test_deps()
    });

    suite.check(
        "layering: ctsync-core depends on no web, CLI or IO crate",
        layering_check,
    );
    suite.check("cargo fmt --check", || {
        run::run(cargo().args(["fmt", "--all", "--check"]))
    });
    suite.check("clippy, native, all targets, warnings denied", || {
        run::run(cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "ctsync-web",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    });
    if build_tools {
        suite.check(
            "clippy, wasm32 (web and core), all targets, warnings denied",
            || {
                run::run(cargo().args([
                    "clippy",
                    "-p",
                    "ctsync-web",
                    "-p",
                    "ctsync-core",
                    "--target",
                    WASM_TARGET,
                    "--all-targets",
                    "--locked",
                    "--",
                    "-D",
                    "warnings",
                ]))
            },
        );
    } else {
        suite.skip("clippy, wasm32", "the web build tools are missing");
    }
    suite.tests("native tests (all packages but the web crate)", || {
        run_libtest(cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "ctsync-web",
            "--no-fail-fast",
            "--locked",
        ]))
    });
    match bench_targets() {
        Ok(benches) if benches.is_empty() => {
            suite.skip("benchmarks build", "no benchmark targets yet")
        }
        Ok(benches) => {
            suite.check(
                &format!("benchmarks build, not run ({})", benches.join(", ")),
                || {
                    run::run(cargo().args([
                        "bench",
                        "--workspace",
                        "--exclude",
                        "ctsync-web",
                        "--bench",
                        "*",
                        "--no-run",
                        "--locked",
                    ]))
                },
            );
        }
        Err(err) => suite.record(
            "benchmarks build",
            Outcome::Failed(format!("{err:#}")),
            Counts::new(0, 1),
            Duration::ZERO,
        ),
    }
    if build_tools {
        suite.tests("core's tests in wasm32 (wasm-bindgen-test, Node)", || {
            run_libtest(cargo().args([
                "test",
                "-p",
                "ctsync-core",
                "--target",
                WASM_TARGET,
                "--tests",
                "--no-fail-fast",
                "--locked",
            ]))
        });
    } else {
        suite.skip("core's tests in wasm32", "the web build tools are missing");
    }
    let site = build_tools
        && suite.check(
            "release site build (trunk build --release → dist/)",
            || {
                web::build_release_site()?;
                println!("{}", web::wasm_size_report()?);
                Ok(())
            },
        );
    if !build_tools {
        suite.skip("release site build", "the web build tools are missing");
    }
    if web_crate_has_wasm_tests() {
        if build_tools {
            suite.tests("web crate's tests in wasm32 (wasm-bindgen-test)", || {
                run_libtest(
                    cargo()
                        .args([
                            "test",
                            "-p",
                            "ctsync-web",
                            "--target",
                            WASM_TARGET,
                            "--tests",
                            "--no-fail-fast",
                            "--locked",
                        ])
                        .env("CHROMEDRIVER", tools::CHROMEDRIVER),
                )
            });
        } else {
            suite.skip(
                "web crate's tests in wasm32",
                "the web build tools are missing",
            );
        }
    }
    if site && browser_tools {
        suite.tests(
            "browser tests (playwright-core, headless Chromium, the built site)",
            browser_tests,
        );
    } else {
        suite.skip(
            "browser tests",
            "the release site or the browser tools are missing",
        );
    }
    suite.finish(started)
}

/// `cargo tree` of core's normal dependencies on every target must name no forbidden crate.
fn layering_check() -> anyhow::Result<()> {
    let mut tree = cargo();
    tree.args([
        "tree",
        "-p",
        "ctsync-core",
        "-e",
        "normal",
        "--target",
        "all",
        "--prefix",
        "none",
        "--format",
        "{p}",
        "--locked",
    ]);
    println!("{}", run::display(&tree));
    let output = tree.output().context("cannot run cargo tree")?;
    if !output.status.success() {
        bail!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut crates: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    crates.sort_unstable();
    crates.dedup();
    let forbidden: Vec<&str> = crates
        .iter()
        .copied()
        .filter(|name| FORBIDDEN_IN_CORE.contains(name))
        .collect();
    if !forbidden.is_empty() {
        bail!(
            "ctsync-core depends on {} (see `cargo tree -p ctsync-core -e normal --target all -i {}`): \
             core must stay pure and portable",
            forbidden.join(", "),
            forbidden[0]
        );
    }
    println!(
        "ctsync-core's {} normal dependencies include none of {}",
        crates.len() - 1,
        FORBIDDEN_IN_CORE.join(", ")
    );
    Ok(())
}

/// The benchmark targets of the workspace (`package/bench`). They are built, not run, so they
/// cannot rot unnoticed; `--bench '*'` builds only them, not every library again in the bench
/// profile, and cargo refuses it when there is none, hence this look first.
fn bench_targets() -> anyhow::Result<Vec<String>> {
    let output = cargo()
        .args(["metadata", "--no-deps", "--format-version", "1", "--locked"])
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("cargo metadata printed invalid JSON")?;
    let mut benches = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        for target in package["targets"].as_array().into_iter().flatten() {
            let is_bench = target["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "bench"));
            if is_bench && package["name"] != "ctsync-web" {
                benches.push(format!(
                    "{}/{}",
                    package["name"].as_str().unwrap_or("?"),
                    target["name"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    Ok(benches)
}

/// The web crate's tests run only if it has any: compiling Leptos for them is not free.
fn web_crate_has_wasm_tests() -> bool {
    let web = workspace_root().join("web");
    [web.join("src"), web.join("tests")]
        .iter()
        .any(|dir| dir_mentions(dir, "wasm_bindgen_test"))
}

fn dir_mentions(dir: &Path, needle: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            dir_mentions(&path, needle)
        } else {
            path.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(&path).is_ok_and(|text| text.contains(needle))
        }
    })
}

/// Runs the browser tests under node's test runner against the release site in dist/.
fn browser_tests() -> anyhow::Result<(bool, Counts)> {
    let dir = workspace_root().join(tools::BROWSER_TESTS_DIR);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no *.test.mjs files in {}", dir.display());
    }
    let mut node = command("node");
    node.current_dir(&dir)
        .args(["--test", "--test-reporter=spec"])
        .args(&files)
        .env("CTSYNC_DIST", workspace_root().join(web::DIST_DIR))
        .env("CTSYNC_CHROMIUM", tools::CHROMIUM);
    let captured = run_captured(&mut node)?;
    let counts = node_test_counts(&captured.text).unwrap_or_default();
    Ok((captured.success, counts))
}

/// Runs a libtest-style test command and counts what it reports.
fn run_libtest(cmd: &mut Command) -> anyhow::Result<(bool, Counts)> {
    let captured = run_captured(cmd)?;
    Ok((captured.success, libtest_counts(&captured.text)))
}

/// Whether a test runner passed, and the cases it counts: its own counts, plus one failed case when
/// it failed without reporting a failed test (a compile error) or ran no test at all.
fn judge_test_run(result: anyhow::Result<(bool, Counts)>) -> (Outcome, Counts) {
    match result {
        Ok((true, counts)) if counts.failed == 0 && counts.passed > 0 => (Outcome::Passed, counts),
        Ok((_, counts)) if counts.failed > 0 => {
            (Outcome::Failed(format!("{} failed", counts.failed)), counts)
        }
        Ok((true, _)) => (Outcome::Failed("ran no test".into()), Counts::new(0, 1)),
        Ok((false, counts)) => (
            Outcome::Failed("exited with failure before reporting a failed test".into()),
            Counts::new(counts.passed, 1),
        ),
        Err(err) => (Outcome::Failed(format!("{err:#}")), Counts::new(0, 1)),
    }
}

#[derive(Debug)]
enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

struct StepRecord {
    name: String,
    outcome: Outcome,
    counts: Counts,
    elapsed: Duration,
}

#[derive(Default)]
struct Suite {
    steps: Vec<StepRecord>,
}

impl Suite {
    fn banner(&self, name: &str) {
        println!("\n==> {name}");
    }

    fn record(&mut self, name: &str, outcome: Outcome, counts: Counts, elapsed: Duration) {
        if let Outcome::Failed(why) = &outcome {
            eprintln!("FAILED: {name}: {why}");
        }
        self.steps.push(StepRecord {
            name: name.to_string(),
            outcome,
            counts,
            elapsed,
        });
    }

    /// A tool install: counts one failed case if it fails, nothing if it succeeds.
    fn install(&mut self, name: &str, f: impl FnOnce() -> anyhow::Result<()>) -> bool {
        self.banner(&format!("install: {name}"));
        let start = Instant::now();
        match f() {
            Ok(()) => {
                self.record(name, Outcome::Passed, Counts::default(), start.elapsed());
                true
            }
            Err(err) => {
                self.record(
                    name,
                    Outcome::Failed(format!("{err:#}")),
                    Counts::new(0, 1),
                    start.elapsed(),
                );
                false
            }
        }
    }

    /// A check that is not a test runner: one case.
    fn check(&mut self, name: &str, f: impl FnOnce() -> anyhow::Result<()>) -> bool {
        self.banner(name);
        let start = Instant::now();
        match f() {
            Ok(()) => {
                self.record(name, Outcome::Passed, Counts::new(1, 0), start.elapsed());
                true
            }
            Err(err) => {
                self.record(
                    name,
                    Outcome::Failed(format!("{err:#}")),
                    Counts::new(0, 1),
                    start.elapsed(),
                );
                false
            }
        }
    }

    /// A test runner: as many cases as it reports; it fails when it exits with failure, reports a
    /// failed test, or runs no test at all.
    fn tests(&mut self, name: &str, f: impl FnOnce() -> anyhow::Result<(bool, Counts)>) -> bool {
        self.banner(name);
        let start = Instant::now();
        let (outcome, counts) = judge_test_run(f());
        let passed = matches!(outcome, Outcome::Passed);
        self.record(name, outcome, counts, start.elapsed());
        passed
    }

    fn skip(&mut self, name: &str, why: &str) {
        self.record(
            name,
            Outcome::Skipped(why.to_string()),
            Counts::default(),
            Duration::ZERO,
        );
    }

    /// Prints the table of steps and the closing line; the exit code says whether all passed.
    fn finish(self, started: Instant) -> ExitCode {
        let mut total = Counts::default();
        println!("\n==> summary (wall time {:.0?})", started.elapsed());
        for step in &self.steps {
            total += step.counts;
            let (status, why) = match &step.outcome {
                Outcome::Passed => ("ok", String::new()),
                Outcome::Failed(_) => ("FAILED", String::new()),
                Outcome::Skipped(why) => ("skipped", format!(" ({why})")),
            };
            let cases = if step.counts.total() > 0 {
                format!(
                    " — {} passed, {} failed",
                    step.counts.passed, step.counts.failed
                )
            } else {
                String::new()
            };
            println!(
                "  {status:<8}{:>6.1}s  {}{cases}{why}",
                step.elapsed.as_secs_f64(),
                step.name
            );
        }
        let any_failed = self
            .steps
            .iter()
            .any(|s| matches!(s.outcome, Outcome::Failed(_)));
        println!("{} passed, {} failed", total.passed, total.failed);
        if any_failed || total.failed > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runner_that_passes_everything_it_ran_passes() {
        let (outcome, counts) = judge_test_run(Ok((true, Counts::new(7, 0))));
        assert!(matches!(outcome, Outcome::Passed));
        assert_eq!(counts, Counts::new(7, 0));
    }

    #[test]
    fn a_runner_that_ran_no_test_fails() {
        let (outcome, counts) = judge_test_run(Ok((true, Counts::default())));
        assert!(matches!(outcome, Outcome::Failed(_)));
        assert_eq!(counts, Counts::new(0, 1));
    }

    #[test]
    fn a_compile_error_counts_as_one_failed_case() {
        let (outcome, counts) = judge_test_run(Ok((false, Counts::new(3, 0))));
        assert!(matches!(outcome, Outcome::Failed(_)));
        assert_eq!(counts, Counts::new(3, 1));
    }

    #[test]
    fn failed_tests_are_counted_as_reported() {
        let (outcome, counts) = judge_test_run(Ok((false, Counts::new(5, 2))));
        assert!(matches!(outcome, Outcome::Failed(_)));
        assert_eq!(counts, Counts::new(5, 2));
    }
}
