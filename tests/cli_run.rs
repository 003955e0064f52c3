//! CLI tests for `ctsync run`, `check` and `state`: they run the binary on the scenario library and
//! on broken inputs, as a user would.

use assert_cmd::Command;
use predicates::prelude::*;

fn ctsync() -> Command {
    Command::cargo_bin("ctsync").expect("binary builds")
}

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn write_temp(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn check_passes_on_the_whole_library() {
    let mut cmd = ctsync();
    cmd.arg("check");
    for f in std::fs::read_dir(path("scenarios/examples")).unwrap() {
        cmd.arg(f.unwrap().path());
    }
    cmd.assert()
        .success()
        .stdout(predicate::str::contains(" 0 failed"))
        .stdout(predicate::str::contains("✓ after tick 0"));
}

#[test]
fn check_reports_expected_and_actual_and_exits_1() {
    let text = std::fs::read_to_string(path("scenarios/examples/configure-example.json"))
        .unwrap()
        .replace(
            r#""user": "source/users2", "state": "absent""#,
            r#""user": "source/users2", "state": "active""#,
        );
    assert!(
        text.contains(r#""source/users2", "state": "active""#),
        "fixture edit applied"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(&dir, "wrong.json", &text);
    ctsync()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "✗ after tick 0: expected user source/users2 in target is Active",
        ))
        .stdout(predicate::str::contains("actual: does not exist"))
        .stdout(predicate::str::contains("1 failed"));
}

#[test]
fn check_exits_2_on_an_invalid_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(
        &dir,
        "bad.json",
        r#"{"version":1,"name":"x","tenants":[{"id":"a","displayName":"A"}],"jobs":[{"id":"j","source":"a","target":"b"}]}"#,
    );
    ctsync()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "jobs[0].target: unknown tenant 'b'",
        ));
}

#[test]
fn run_prints_the_provisioning_log_with_tick_summaries() {
    ctsync()
        .args(["run", &path("scenarios/examples/configure-example.json")])
        .assert()
        .success()
        .stdout(predicate::str::contains("── tick 0 · 2026-01-05 08:00 UTC ──"))
        .stdout(predicate::str::contains(
            "Create       Success  users1@source.example → users1_source.example#EXT#@target.onmicrosoft.com (created)",
        ))
        .stdout(predicate::str::contains("Marketing department filter.department EQUALS 'Marketing' is false"))
        .stdout(predicate::str::contains("= created 2, skipped 1"))
        .stdout(predicate::str::contains("Delete       Success  users3@source.example"));
}

#[test]
fn run_json_prints_graph_shaped_json_lines() {
    let output = ctsync()
        .args([
            "run",
            &path("scenarios/examples/configure-example.json"),
            "--json",
            "--ticks",
            "1",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    let creates: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["provisioningAction"] == "Create")
        .collect();
    assert_eq!(creates.len(), 2);
    assert_eq!(creates[0]["provisioningStatusInfo"]["status"], "Success");
    assert_eq!(
        creates[0]["targetSystem"]["displayName"],
        "Azure Active Directory (target tenant)"
    );
    let steps = creates[0]["provisioningSteps"].as_array().unwrap();
    let scoping = steps
        .iter()
        .find(|s| s["provisioningStepType"] == "scoping")
        .unwrap();
    assert_eq!(
        scoping["details"]["ScopeEvaluationResult"],
        r#"{"Filter external users.alternativeSecurityIds EQUALS 'None'":true,"Marketing department filter.department EQUALS 'Marketing'":true}"#
    );
    assert_eq!(lines.last().unwrap()["type"], "tickSummary");
    assert_eq!(lines.last().unwrap()["counts"]["created"], 2);
}

#[test]
fn state_prints_a_directory_after_a_tick() {
    ctsync()
        .args([
            "state",
            &path("scenarios/examples/configure-example.json"),
            "--tenant",
            "target",
            "--after-tick",
            "0",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "users1_source.example#EXT#@target.onmicrosoft.com",
        ))
        .stdout(predicate::str::contains("external member"))
        .stdout(predicate::str::contains("usert1@target.example"));
    ctsync()
        .args([
            "state",
            &path("scenarios/examples/configure-example.json"),
            "--tenant",
            "nowhere",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown tenant 'nowhere' (tenants: source, target)",
        ));
}

/// Malformed scenarios: each gives a clear error naming where the problem is, and exit code 2.
#[test]
fn malformed_scenarios_name_the_problem_and_exit_2() {
    let base = r#"{"version":1,"name":"x","tenants":[
        {"id":"a","displayName":"A","users":[{"id":"u","userPrincipalName":"u@a.com"}],"groups":[{"id":"g","displayName":"G","members":["u"]}]},
        {"id":"b","displayName":"B"}],
        "jobs":[{"id":"j","source":"a","target":"b","assignedGroups":["g"],
                 "scopingFilters":[{"name":"F","clauses":[{"sourceOperandName":"department","operatorName":"EQUALS","targetOperand":{"values":["x"]}}]}]}]}"#;
    let cases: &[(&str, String, &str)] = &[
        ("bad JSON", base.replace(r#""name":"x","#, r#""name":"x""#), "invalid JSON at line 1, column"),
        ("future version", base.replace(r#""version":1"#, r#""version":7"#), "version 7 is newer than this ctsync understands"),
        ("unknown tenant", base.replace(r#""target":"b""#, r#""target":"c""#), "jobs[0].target: unknown tenant 'c'"),
        ("unknown group", base.replace(r#""assignedGroups":["g"]"#, r#""assignedGroups":["h"]"#), "jobs[0].assignedGroups[0]: unknown group 'a/h'"),
        ("duplicate tenant", base.replace(r#"{"id":"b","displayName":"B"}"#, r#"{"id":"a","displayName":"B"}"#), "tenants[1].id: duplicate id 'a'"),
        (
            "bad regex",
            base.replace(r#""operatorName":"EQUALS","targetOperand":{"values":["x"]}"#, r#""operatorName":"REGEX MATCH","targetOperand":{"values":["(x"]}"#),
            "jobs[0].scopingFilters[0].clauses[0].targetOperand.values[0]: scoping filter 'F', clause 1 (department REGEX MATCH)",
        ),
        (
            "unknown operator",
            base.replace(r#""operatorName":"EQUALS""#, r#""operatorName":"EQUAL""#),
            "jobs[0].scopingFilters[0].clauses[0].operatorName: unknown variant `EQUAL`",
        ),
        ("unknown field", base.replace(r#""displayName":"B""#, r#""displayName":"B","colour":"red""#), "tenants[1].colour: unknown field `colour`"),
        (
            "bad expression",
            base.replace(r#""assignedGroups":["g"],"#, r#""assignedGroups":["g"],"attributeMappings":[{"targetAttributeName":"department","mappingType":"Expression","source":"Append([department], \"x\""}],"#),
            "jobs[0].attributeMappings[0].source: expression does not parse",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, text, expected) in cases {
        assert_ne!(text, base, "{what}: the fixture edit did not apply");
        let file = write_temp(&dir, "case.json", text);
        let output = ctsync().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{what}: expected «{expected}» in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    }
}

#[test]
fn schema_prints_the_scenario_json_schema() {
    let output = ctsync().arg("schema").output().unwrap();
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(schema["title"], "Scenario");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["version", "name", "tenants"]);
    let operators = schema["$defs"]["FilterOperator"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(operators.len(), 14);
    assert!(operators.iter().any(|o| o == "REGEX MATCH"));
    // Timeline entries flatten the command: one alternative per command.
    let commands = schema["$defs"]["TimelineEntry"]["oneOf"]
        .as_array()
        .unwrap();
    assert_eq!(commands.len(), 36);
}
