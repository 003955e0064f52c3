//! The numbers the browser tests compare the playground against, produced by the CLI: after the
//! user-hub template's first tick, each tenant's user counts (`ctsync state --json`) and the tick's
//! counts by effect (`ctsync run --json`'s `tickSummary`). The fixture is committed so the browser
//! tests need no cargo; this test fails when it drifts (refresh with `UPDATE_EXPECT=1`). Also the
//! share link of the same template at tick 2, which the browser must produce identically.

use assert_cmd::Command;
use serde_json::{json, Value};

const FIXTURE: &str = "tests/browser/fixtures/user-hub-after-tick-0.json";
const SCENARIO: &str = "scenarios/examples/user-hub.json";

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn ctsync_json(args: &[&str]) -> String {
    let output = Command::cargo_bin("ctsync")
        .expect("binary builds")
        .args(args)
        .output()
        .expect("ctsync runs");
    assert!(output.status.success(), "ctsync {args:?} failed");
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn the_browser_fixture_matches_the_cli() {
    let scenario: Value =
        serde_json::from_str(&std::fs::read_to_string(path(SCENARIO)).unwrap()).unwrap();
    let mut tenants = serde_json::Map::new();
    for tenant in scenario["tenants"].as_array().unwrap() {
        let id = tenant["id"].as_str().unwrap();
        let state: Value = serde_json::from_str(&ctsync_json(&[
            "state",
            &path(SCENARIO),
            "--tenant",
            id,
            "--after-tick",
            "0",
            "--json",
        ]))
        .unwrap();
        tenants.insert(id.to_string(), state["counts"].clone());
    }
    let stream = ctsync_json(&["run", &path(SCENARIO), "--ticks", "1", "--json"]);
    let summary: Value = stream
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["type"] == "tickSummary")
        .expect("a tick summary");
    let expected = json!({
        "scenario": SCENARIO,
        "afterTick": 0,
        "tenants": tenants,
        "tickSummary": summary["counts"],
    });
    let text = serde_json::to_string_pretty(&expected).unwrap() + "\n";
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path(FIXTURE), &text).unwrap();
    }
    let committed = std::fs::read_to_string(path(FIXTURE)).unwrap_or_default();
    assert_eq!(
        committed, text,
        "{FIXTURE} is stale: refresh it with UPDATE_EXPECT=1 cargo test --test browser_fixtures"
    );
}

/// The share link the browser test expects from the playground for the user-hub template at tick
/// 2 with nothing selected: what `ctsync link encode --tick 2` prints. The browser test compares
/// the link the page copies with this fixture, so the CLI and the browser make the same link.
const LINK_FIXTURE: &str = "tests/browser/fixtures/user-hub-tick-2.link";

#[test]
fn the_link_fixture_matches_the_cli() {
    let link = ctsync_json(&["link", "encode", &path(SCENARIO), "--tick", "2"]);
    assert!(link.starts_with('#'), "a fragment without --base: {link}");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path(LINK_FIXTURE), &link).unwrap();
    }
    let committed = std::fs::read_to_string(path(LINK_FIXTURE)).unwrap_or_default();
    assert_eq!(
        committed, link,
        "{LINK_FIXTURE} is stale: refresh it with UPDATE_EXPECT=1 cargo test --test browser_fixtures"
    );
}
