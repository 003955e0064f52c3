//! Scenario tests: every behaviour scenario (tests/behaviours, one per documented Entra behaviour,
//! each expectation naming its source) and every library scenario (scenarios/), embedded by
//! [`common::files`], so the same checks run natively and, under wasm-bindgen-test, in wasm32. The JSON event stream of
//! each is hashed and compared with tests/golden/streams.txt: byte-identical output everywhere.
//! Refresh the golden hashes with `UPDATE_EXPECT=1 cargo test -p ctsync-core --test scenarios`.

use ctsync_core::check::run_checks;
use ctsync_core::rng::stable_hash;
use ctsync_core::{Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

const GOLDEN: &str = include_str!("golden/streams.txt");

fn load(path: &str, text: &str) -> Scenario {
    Scenario::from_json(text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The JSON Lines stream of a scenario over its scripted ticks plus one.
fn stream(scenario: &Scenario) -> String {
    let mut sim = Simulation::new(scenario);
    let mut out = String::new();
    sim.run_json_stream(scenario.last_scripted_tick() + 2, |line| {
        out.push_str(&line);
        out.push('\n');
    });
    out
}

/// The stream writes object events' JSON text directly; it is the JSON value's text, byte for byte.
#[test]
fn event_json_text_is_the_json_value_as_text() {
    let mut compared = 0;
    for (path, text) in &common::files() {
        let scenario = load(path, text);
        let mut sim = Simulation::new(&scenario);
        sim.run_through(scenario.last_scripted_tick() + 1);
        for event in sim.events() {
            assert_eq!(
                sim.event_json_text(event),
                sim.event_json(event).to_string(),
                "{path}"
            );
            compared += 1;
        }
    }
    assert!(compared > 1000, "only {compared} events compared");
}

#[test]
fn every_expectation_holds() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (path, text) in &common::files() {
        let scenario = load(path, text);
        let (_, results) = run_checks(&scenario, 0);
        if path.starts_with("tests/behaviours/") {
            assert!(!results.is_empty(), "{path} has no expectations");
            assert!(
                scenario.description.contains("Source") || scenario.description.contains("source"),
                "{path}: the description names no source"
            );
        }
        for r in results {
            checked += 1;
            if let Some(actual) = &r.failure {
                failures.push(format!(
                    "{path}: expect[{}] after tick {}: expected {}\n    actual: {actual}\n    source: {}",
                    r.index,
                    r.after_tick,
                    r.what,
                    r.source.as_deref().unwrap_or("-")
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} expectations ran");
    assert!(
        failures.is_empty(),
        "{} expectations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_same_scenario_gives_the_same_stream_twice() {
    for (path, text) in &common::files() {
        let scenario = load(path, text);
        assert_eq!(
            stream(&scenario),
            stream(&scenario),
            "{path}: two runs differ"
        );
    }
}

/// A create whose job only copies values and writes constants shares the source user's values
/// (a view) instead of evaluating each mapping: it must give the very events and accounts that
/// evaluating every mapping gives.
#[test]
fn creates_that_copy_values_match_creates_that_evaluate_them() {
    let mut copied_creates = 0;
    for (path, text) in &common::files() {
        let scenario = load(path, text);
        let mut copying = Simulation::new(&scenario);
        let mut evaluating = Simulation::new(&scenario);
        copied_creates += copying
            .jobs
            .iter()
            .filter(|j| j.create_copy.is_some())
            .count();
        for _ in 0..scenario.last_scripted_tick() + 2 {
            copying.step();
            // A command changing a job's mappings compiles them again, before that tick's cycles:
            // such a tick may still copy.
            for job in &mut evaluating.jobs {
                job.create_copy = None;
            }
            evaluating.step();
        }
        let events = |sim: &Simulation| -> Vec<String> {
            sim.events()
                .iter()
                .map(|e| sim.event_json_text(e))
                .collect()
        };
        assert_eq!(
            events(&copying),
            events(&evaluating),
            "{path}: the logs differ"
        );
        for (a, b) in copying.tenants.iter().zip(&evaluating.tenants) {
            assert_eq!(a.dir.users.len(), b.dir.users.len(), "{path}");
            for (x, y) in a.dir.users.iter().zip(&b.dir.users) {
                assert_eq!(x.attrs, y.attrs, "{path}: {} differs", x.upn());
                let pairs = |u: &ctsync_core::engine::directory::DirUser| -> Vec<String> {
                    u.attrs.iter().map(|(k, v)| format!("{k:?}={v}")).collect()
                };
                assert_eq!(pairs(x), pairs(y), "{path}: {} differs", x.upn());
            }
        }
    }
    assert!(
        copied_creates > 10,
        "only {copied_creates} jobs copy values"
    );
}

/// The stream hashes match the golden ones recorded natively: in wasm32 this proves the browser
/// computes byte for byte what the CLI computes.
#[test]
fn streams_match_the_golden_hashes() {
    let actual: Vec<String> = common::files()
        .iter()
        .map(|(path, text)| format!("{path} {:016x}", stable_hash(&stream(&load(path, text)))))
        .collect();
    let actual = actual.join("\n") + "\n";
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/streams.txt");
        std::fs::write(file, &actual).expect("write golden hashes");
        return;
    }
    let expected: Vec<&str> = GOLDEN.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    for (a, e) in actual_lines.iter().zip(expected.iter()) {
        assert_eq!(
            a, e,
            "stream hash differs (refresh with UPDATE_EXPECT=1 only if the change is intended)"
        );
    }
    assert_eq!(
        actual_lines.len(),
        expected.len(),
        "golden file lists another set of scenarios"
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_scenario_file_is_embedded() {
    common::assert_every_scenario_file_is_embedded();
}

/// `to_json_pretty` lays out the compact text itself (one serializer of the scenario's types in
/// the wasm): it must be serde_json's pretty text byte for byte, and `link::encode`'s document,
/// parsed back from the compact text, must be `to_value`'s.
#[test]
fn pretty_and_compact_json_are_serde_jsons() {
    for (path, text) in &common::files() {
        let scenario = load(path, text);
        assert_eq!(
            scenario.to_json_pretty(),
            serde_json::to_string_pretty(&scenario).unwrap(),
            "{path}"
        );
        let parsed: serde_json::Value =
            serde_json::from_slice(&scenario.to_json_compact()).unwrap();
        assert_eq!(parsed, serde_json::to_value(&scenario).unwrap(), "{path}");
    }
}
