//! Scenario tests: every behaviour scenario (tests/behaviours, one per documented Entra behaviour,
//! each expectation naming its source) and every library scenario (scenarios/) is embedded here, so
//! the same checks run natively and, under wasm-bindgen-test, in wasm32. The JSON event stream of
//! each is hashed and compared with tests/golden/streams.txt: byte-identical output everywhere.
//! Refresh the golden hashes with `UPDATE_EXPECT=1 cargo test -p ctsync-core --test scenarios`.

use ctsync_core::check::run_checks;
use ctsync_core::rng::stable_hash;
use ctsync_core::{Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../", $path)))),*]
    };
}

/// Every scenario file of the repository; `every_scenario_file_is_embedded` keeps this complete.
const FILES: &[(&str, &str)] = embedded![
    "scenarios/examples/application-hub.json",
    "scenarios/examples/configure-example.json",
    "scenarios/examples/mesh.json",
    "scenarios/examples/production-test.json",
    "scenarios/examples/user-hub.json",
    "scenarios/lessons/01-auto-redemption-handshake.json",
    "scenarios/lessons/02-assignment-vs-filters.json",
    "scenarios/lessons/03-nested-groups.json",
    "scenarios/lessons/04-existing-guests-stay-guests.json",
    "scenarios/lessons/05-no-relay-through-a-hub.json",
    "scenarios/lessons/06-disabled-then-removed.json",
    "scenarios/lessons/07-deletion-threshold.json",
    "scenarios/lessons/08-target-side-edits.json",
    "scenarios/lessons/09-manager-sync.json",
    "scenarios/lessons/10-restore-within-30-days.json",
    "scenarios/lessons/11-switch-on-unrelated-updates.json",
    "scenarios/lessons/12-sms-sign-in-users-skipped.json",
    "scenarios/lessons/13-downstream-app-member-vs-guest.json",
    "scenarios/lessons/14-guest-invitations-blocked.json",
    "tests/behaviours/01-initial-and-incremental-cycles.json",
    "tests/behaviours/01b-mapping-change-is-an-initial-cycle.json",
    "tests/behaviours/02-scope.json",
    "tests/behaviours/03-matching.json",
    "tests/behaviours/04-create.json",
    "tests/behaviours/05-update.json",
    "tests/behaviours/06-disable-is-not-delete.json",
    "tests/behaviours/07-leaving-scope-and-restore.json",
    "tests/behaviours/08-manager.json",
    "tests/behaviours/08b-manager-not-in-government-cloud.json",
    "tests/behaviours/09-policy-check.json",
    "tests/behaviours/09b-cross-cloud.json",
    "tests/behaviours/10-escrow-and-retry.json",
    "tests/behaviours/10b-restart-clears-escrows.json",
    "tests/behaviours/11-no-relay-through-a-hub.json",
    "tests/behaviours/12-accidental-deletion-prevention.json",
    "tests/behaviours/13-quarantine.json",
    "tests/behaviours/13b-quarantine-disables-after-four-weeks.json",
    "tests/behaviours/14-provision-on-demand.json",
    "tests/behaviours/15-two-jobs-on-one-pair.json",
    "tests/behaviours/16-expression-quirks.json",
    "tests/behaviours/17-pause-and-start.json",
    "tests/behaviours/18-downstream-app-member-vs-guest.json",
    "tests/behaviours/19-rename-and-delete-a-tenant.json",
];

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
    for (path, text) in FILES {
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
    for (path, text) in FILES {
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
    for (path, text) in FILES {
        let scenario = load(path, text);
        assert_eq!(
            stream(&scenario),
            stream(&scenario),
            "{path}: two runs differ"
        );
    }
}

/// The stream hashes match the golden ones recorded natively: in wasm32 this proves the browser
/// computes byte for byte what the CLI computes.
#[test]
fn streams_match_the_golden_hashes() {
    let actual: Vec<String> = FILES
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
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut on_disk = Vec::new();
    for dir in ["scenarios", "tests/behaviours"] {
        let mut stack = vec![std::path::Path::new(root).join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let rel = path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    on_disk.push(rel);
                }
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "core/tests/scenarios.rs must embed every scenario file"
    );
}
