//! CLI tests for `ctsync compare`: one design's presence matrix, two designs side by side, JSON,
//! Markdown.

use assert_cmd::Command;
use predicates::prelude::*;

fn ctsync() -> Command {
    Command::cargo_bin("ctsync").expect("binary builds")
}

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn compare_one_design_prints_who_is_where() {
    ctsync()
        .args(["compare", &path("tests/compare/hub-and-spoke.json")])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Three tenants through a hub — who is where (after tick 0)",
        ))
        .stdout(predicate::str::contains("0/2 (0M 0G), 0 listed"))
        .stdout(predicate::str::contains(
            "fabrikam/fay in northwind — does not exist",
        ));
}

#[test]
fn compare_two_designs_side_by_side() {
    ctsync()
        .args([
            "compare",
            &path("tests/compare/hub-and-spoke.json"),
            &path("tests/compare/mesh.json"),
        ])
        .args(["--ticks", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("after 2 ticks"))
        .stdout(predicate::str::is_match(r"sync jobs to configure\s+4\s+6").unwrap())
        .stdout(
            predicate::str::is_match(r"users missing where the design wants them\s+4\s+0").unwrap(),
        )
        .stdout(predicate::str::contains(
            "Licences (docs/decisions.md): Not enforced by the simulation.",
        ));
}

#[test]
fn compare_json_has_designs_matrices_and_table() {
    let out = ctsync()
        .args(["compare", &path("tests/compare/mesh.json"), "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["designs"][0]["syncJobs"], 6);
    assert_eq!(v["matrices"][0]["rows"][0]["cells"][0]["summary"], "home");
    assert!(v["table"].as_array().unwrap().len() > 5);
}

#[test]
fn compare_markdown_is_a_document_with_the_table_and_the_matrices() {
    ctsync()
        .args([
            "compare",
            &path("tests/compare/hub-and-spoke.json"),
            &path("tests/compare/mesh.json"),
            "--ticks",
            "2",
            "--markdown",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Comparing designs: "))
        .stdout(predicate::str::contains(
            "After 2 ticks (sync cycles 0 to 1)",
        ))
        .stdout(predicate::str::contains(
            "| **sync jobs to configure** | 4 | 6 |",
        ))
        .stdout(predicate::str::contains(
            "## Who is where — Three tenants through a hub (after tick 1)",
        ))
        .stdout(predicate::str::contains("fabrikam/fay in northwind"));
    // One format at a time.
    ctsync()
        .args([
            "compare",
            &path("tests/compare/mesh.json"),
            "--json",
            "--markdown",
        ])
        .assert()
        .code(2);
}

#[test]
fn compare_exits_2_on_bad_input() {
    ctsync()
        .args([
            "compare",
            &path("tests/compare/mesh.json"),
            &path("tests/nope.json"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}
