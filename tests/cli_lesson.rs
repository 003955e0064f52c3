//! CLI tests for `ctsync lesson`: list, show, and check a learner's file unsolved and solved.

use assert_cmd::Command;
use predicates::prelude::*;

fn ctsync() -> Command {
    Command::cargo_bin("ctsync").expect("binary builds")
}

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn lesson_list_names_every_lesson_with_its_goal() {
    ctsync()
        .args(["lesson", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("auto-redemption-handshake"))
        .stdout(predicate::str::contains("downstream-app-member-vs-guest"))
        .stdout(predicate::str::contains("goal: "))
        .stdout(predicate::str::contains("file: scenarios/lessons/"));
}

#[test]
fn lesson_check_fails_unsolved_with_hints_and_passes_solved() {
    let file = path("scenarios/lessons/12-sms-sign-in-users-skipped.json");
    ctsync()
        .args(["lesson", "check", &file, "--hints"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "✗ after tick 2: user contoso/sam in fabrikam is Active",
        ))
        .stdout(predicate::str::contains("Not solved yet."))
        .stdout(predicate::str::contains(
            "hint 1: Every job has a hidden clause",
        ));
    // The learner turns SMS sign-in off for Sam in the initial state.
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "\"smsSignInEnabled\": true",
        "\"smsSignInEnabled\": false",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let solved = dir.path().join("lesson.json");
    std::fs::write(&solved, text).unwrap();
    ctsync()
        .args(["lesson", "check"])
        .arg(&solved)
        .assert()
        .success()
        .stdout(predicate::str::contains("Solved."));
}

#[test]
fn lesson_show_prints_a_loadable_scenario() {
    let out = ctsync()
        .args(["lesson", "show", "nested-groups"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["lesson"]["id"], "nested-groups");
    ctsync()
        .args(["lesson", "show", "no-such-lesson"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no lesson has the id 'no-such-lesson'",
        ));
}

#[test]
fn lesson_check_refuses_a_scenario_that_is_not_a_lesson() {
    ctsync()
        .args(["lesson", "check", &path("scenarios/examples/mesh.json")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a lesson"));
}
