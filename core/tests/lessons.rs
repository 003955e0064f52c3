//! Lesson tests: every lesson of the library is checked unsolved (its check fails: there is
//! something to learn) and solved (its solution's edits, applied as the playground applies them,
//! make the check pass). Natively and in wasm32.

use ctsync_core::lessons;
use ctsync_core::Scenario;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn the_library_has_at_least_twelve_lessons_with_everything_a_learner_needs() {
    let list = lessons::list();
    assert!(list.len() >= 12, "{} lessons", list.len());
    let mut ids: Vec<&str> = list.iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), list.len(), "lesson ids are unique");
    for s in lessons::library() {
        let l = s.lesson.as_ref().unwrap();
        assert!(!l.goal.is_empty(), "{}: goal", l.id);
        assert!(!l.instructions.is_empty(), "{}: instructions", l.id);
        assert!(!l.hints.is_empty(), "{}: hints", l.id);
        assert!(!l.solution.is_empty(), "{}: solution", l.id);
        assert!(!s.description.is_empty(), "{}: description", l.id);
    }
}

#[test]
fn every_lesson_fails_unsolved_and_passes_solved() {
    for s in lessons::library() {
        let id = s.lesson.as_ref().unwrap().id.clone();
        let unsolved = lessons::check(&s).unwrap();
        assert!(unsolved.from_library);
        assert!(
            !unsolved.solved(),
            "{id}: the unsolved lesson already passes its check"
        );
        let solved = lessons::solve(&s).unwrap_or_else(|e| panic!("{id}: {e}"));
        let result = lessons::check(&solved).unwrap();
        let failures: Vec<String> = result
            .results
            .iter()
            .filter_map(|r| r.failure.as_ref().map(|f| format!("{}: {f}", r.what)))
            .collect();
        assert!(
            result.solved(),
            "{id}: the solution does not pass:\n{}",
            failures.join("\n")
        );
    }
}

/// Editing the check in the file changes nothing: the library's check is the one evaluated.
#[test]
fn the_library_check_wins_over_an_edited_file() {
    let mut s = lessons::find("nested-groups").unwrap();
    s.lesson.as_mut().unwrap().check.truncate(0);
    let result = lessons::check(&s).unwrap();
    assert!(!result.results.is_empty());
    assert!(!result.solved());
}

#[test]
fn a_scenario_without_a_lesson_is_refused() {
    let s =
        Scenario::from_json(r#"{"version":1,"name":"x","tenants":[{"id":"a","displayName":"A"}]}"#)
            .unwrap();
    assert_eq!(
        lessons::check(&s).unwrap_err().to_string(),
        "the scenario is not a lesson: it has no `lesson` section"
    );
}

/// The downstream-app lesson's trap: Guest only during object creation leaves the users already
/// created as Members, and the app still refuses them.
#[test]
fn guest_only_during_creation_does_not_solve_the_downstream_lesson() {
    let mut s = lessons::find("downstream-app-member-vs-guest").unwrap();
    let command: ctsync_core::scenario::Command = serde_json::from_str(
        r#"{"command":"setAttributeMappings","job":"contoso-to-fabrikam","attributeMappings":[
            {"targetAttributeName":"userType","mappingType":"Constant","source":"Guest","flowType":"ObjectAddOnly"}]}"#,
    )
    .unwrap();
    s.edit_at(1, command).unwrap();
    let result = lessons::check(&s).unwrap();
    assert!(!result.solved());
    let failure = result
        .results
        .iter()
        .find_map(|r| r.failure.clone())
        .unwrap();
    assert!(failure.contains("refused"), "{failure}");
}

/// Lessons and downstream apps came with format version 2: a file that says version 1 and uses
/// them is refused with the path and what to write, and a version 1 file without them still loads.
#[test]
fn version_2_fields_need_version_2() {
    let text = lessons::LIBRARY[0]
        .1
        .replacen("\"version\": 2", "\"version\": 1", 1);
    let err = Scenario::from_json(&text).unwrap_err().to_string();
    assert_eq!(
        err,
        "lesson: lessons came with format version 2; this scenario says \"version\": 1 — write \"version\": 2"
    );
    let mut lesson = lessons::find("downstream-app-member-vs-guest").unwrap();
    lesson.lesson = None;
    let mut v: serde_json::Value = serde_json::from_str(&lesson.to_json_pretty()).unwrap();
    v["version"] = 1.into();
    let err = Scenario::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(
        err.starts_with("tenants[1].downstreamApps: downstream apps came with format version 2"),
        "{err}"
    );
    let old = Scenario::from_json(
        r#"{"version":1,"name":"old","tenants":[{"id":"a","displayName":"A"}]}"#,
    )
    .unwrap();
    assert_eq!(old.version, ctsync_core::scenario::CURRENT_VERSION);
}
