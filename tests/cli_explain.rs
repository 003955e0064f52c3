//! CLI tests for `ctsync explain`: the readable chain, the attribute form, JSON, and bad input.

use assert_cmd::Command;
use predicates::prelude::*;

fn ctsync() -> Command {
    Command::cargo_bin("ctsync").expect("binary builds")
}

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn explain_prints_the_chain_with_the_failing_clause() {
    ctsync()
        .args(["explain", &path("tests/explain/scope.json")])
        .args([
            "--user",
            "contoso/sally",
            "--tenant",
            "fabrikam",
            "--after-tick",
            "0",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Sally Contoso (sally@contoso.com) is not in fabrikam",
        ))
        .stdout(predicate::str::contains(
            "✗ Marketing or Sales.department EQUALS 'Marketing','Sales'   (department = 'sales')",
        ))
        .stdout(predicate::str::contains("differ only in letter case"))
        .stdout(predicate::str::contains("[scopingFilterFailed]"))
        .stdout(predicate::str::contains("History:"));
}

#[test]
fn explain_quotes_the_decision_row() {
    ctsync()
        .args(["explain", &path("tests/explain/scope.json")])
        .args(["--user", "gina", "--tenant", "fabrikam"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[internalGuest]"))
        .stdout(predicate::str::contains(
            "docs/decisions.md — Internal guests in the source: Never synchronized",
        ));
}

#[test]
fn explain_names_the_relay_that_cannot_happen() {
    ctsync()
        .args([
            "explain",
            &path("tests/behaviours/11-no-relay-through-a-hub.json"),
        ])
        .args(["--user", "contoso/adele", "--tenant", "fabrikam"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[relayImpossible]"))
        .stdout(predicate::str::contains("relay through a hub"));
}

#[test]
fn explain_attribute_says_why_the_value_stays() {
    ctsync()
        .args(["explain", &path("tests/explain/attributes.json")])
        .args(["--user", "contoso/adele", "--tenant", "fabrikam", "--attribute", "department"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "department of adele_contoso.com#EXT#@fabrikam.onmicrosoft.com in fabrikam is 'Edited in Fabrikam'",
        ))
        .stdout(predicate::str::contains("[targetEditPersists]"))
        .stdout(predicate::str::contains("tick    0  contoso-to-fabrikam Create: (empty) → 'Marketing'"));
}

#[test]
fn explain_json_is_one_object_with_reason_codes() {
    let out = ctsync()
        .args(["explain", &path("tests/explain/lifecycle.json")])
        .args([
            "--user",
            "contoso/adele",
            "--tenant",
            "fabrikam",
            "--after-tick",
            "1",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["present"], false);
    let reasons: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"softDeletedLeftScope"), "{reasons:?}");
    assert_eq!(v["jobs"][0]["job"], "contoso-to-fabrikam");
}

#[test]
fn explain_exits_2_on_an_unknown_user_or_tenant() {
    ctsync()
        .args(["explain", &path("tests/explain/scope.json")])
        .args(["--user", "contoso/zed", "--tenant", "fabrikam"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "user 'zed' does not exist in tenant 'contoso'",
        ));
    ctsync()
        .args(["explain", &path("tests/explain/scope.json")])
        .args(["--user", "contoso/adele", "--tenant", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tenant 'nowhere' does not exist"));
}
