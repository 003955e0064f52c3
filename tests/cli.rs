//! CLI tests: they run the `ctsync` binary the way a user does and check what it prints and returns.

use assert_cmd::Command;
use predicates::prelude::*;

fn ctsync() -> Command {
    Command::cargo_bin("ctsync").expect("binary builds")
}

fn scenario_path(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn help_lists_the_commands() {
    ctsync()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("validate"))
        .stdout(predicate::str::contains("cross-tenant synchronization"));
}

#[test]
fn version_prints_the_package_version() {
    ctsync()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("ctsync {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn validate_accepts_the_example() {
    ctsync()
        .args(["validate", &scenario_path("examples/production-test.json")])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (2 tenants, 1 sync job)"));
}

#[test]
fn validate_rejects_an_unknown_tenant_with_its_path_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        r#"{"version":1,"name":"bad","tenants":[{"id":"a","displayName":"A"}],
            "jobs":[{"id":"j","source":"a","target":"nowhere"}]}"#,
    )
    .unwrap();
    ctsync()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "jobs[0].target: unknown tenant 'nowhere'",
        ))
        .stderr(predicate::str::contains("bad.json is not a valid scenario"));
}

#[test]
fn validate_reports_a_missing_file() {
    ctsync()
        .args(["validate", "does/not/exist.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read does/not/exist.json"));
}
