//! CLI tests for `ctsync lint`: findings with codes, exit 1 on errors, 0 otherwise, 2 on bad input.

use assert_cmd::Command;
use predicates::prelude::*;

fn ctsync() -> Command {
    Command::cargo_bin("ctsync").expect("binary builds")
}

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn lint_exits_1_on_errors_and_names_codes_objects_and_fixes() {
    ctsync()
        .args(["lint", &path("tests/behaviours/09-policy-check.json")])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "XTS001 error Inbound sync not allowed for a configured job",
        ))
        .stdout(predicate::str::contains("objects: job "))
        .stdout(predicate::str::contains("fix: In "))
        .stdout(predicate::str::contains("3 errors"));
}

#[test]
fn lint_exits_0_when_nothing_is_an_error() {
    ctsync()
        .args([
            "lint",
            &path("tests/behaviours/15-two-jobs-on-one-pair.json"),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("XTS009 warning"))
        .stdout(predicate::str::contains(
            "docs/decisions.md — Several configurations on one source → target pair",
        ))
        .stdout(predicate::str::contains("0 errors, 1 warnings"));
}

#[test]
fn lint_after_a_tick_reviews_that_state() {
    // The policy check scenario fixes the policies in its timeline.
    let out = ctsync()
        .args([
            "lint",
            &path("tests/behaviours/09-policy-check.json"),
            "--after-tick",
            "20",
            "--json",
        ])
        .assert()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["afterTick"], 20);
    assert!(v["findings"].is_array());
}

#[test]
fn lint_json_lists_findings() {
    let out = ctsync()
        .args([
            "lint",
            &path("tests/behaviours/10-escrow-and-retry.json"),
            "--json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let f = &v["findings"][0];
    assert_eq!(f["code"], "XTS022");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["objects"][0]["kind"], "job");
}

#[test]
fn lint_exits_2_on_bad_input() {
    ctsync()
        .args(["lint", &path("tests/does-not-exist.json")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}
