//! The provisioning log's shape: Graph `provisioningObjectSummary` fields, Entra's step wording,
//! `[Redact]`, and the explanations ctsync adds where a value did not flow.

use ctsync_core::engine::event::Event;
use ctsync_core::{Scenario, Simulation};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const QUIRKS: &str = include_str!("../../tests/behaviours/16-expression-quirks.json");
const CONFIGURE: &str = include_str!("../../scenarios/examples/configure-example.json");

/// The JSON of the object events for `upn` in `tick`.
fn entries(sim: &Simulation, tick: u64, upn: &str) -> Vec<Value> {
    sim.events_of_tick(tick)
        .iter()
        .filter_map(|e| match e {
            Event::Object(o) if &*o.source_upn == upn => Some(sim.event_json(e)),
            _ => None,
        })
        .collect()
}

fn run(text: &str, through: u64) -> Simulation {
    let scenario = Scenario::from_json(text).unwrap();
    let mut sim = Simulation::new(&scenario);
    sim.run_through(through);
    sim
}

#[test]
fn a_create_has_entra_steps_and_modified_properties() {
    let sim = run(CONFIGURE, 0);
    let entry = &entries(&sim, 0, "users1@source.example")[0];
    assert_eq!(entry["provisioningAction"], "Create");
    assert_eq!(entry["provisioningStatusInfo"]["status"], "Success");
    assert_eq!(
        entry["sourceSystem"]["displayName"],
        "Azure Active Directory"
    );
    assert_eq!(
        entry["initiatedBy"]["displayName"],
        "Azure AD Provisioning Service"
    );
    let steps: Vec<&str> = entry["provisioningSteps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "EntryImport",
            "EntrySynchronizationScoping",
            "EntrySynchronizationAdd",
            "EntryExportAdd"
        ]
    );
    let descriptions: Vec<&str> = entry["provisioningSteps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["description"].as_str().unwrap())
        .collect();
    assert_eq!(
        descriptions[0],
        "Retrieved User 'users1@source.example' from Azure Active Directory"
    );
    assert_eq!(
        descriptions[1],
        "Determine if User in scope by evaluating against each scoping filter"
    );
    assert_eq!(
        descriptions[2],
        "User 'users1@source.example' will be created in Azure Active Directory (target tenant) (User is active and assigned in Azure Active Directory, but no matching User was found in Azure Active Directory (target tenant))"
    );
    assert_eq!(
        descriptions[3],
        "User 'users1_source.example#EXT#@target.onmicrosoft.com' was created in Azure Active Directory (target tenant)"
    );
    let modified = entry["modifiedProperties"].as_array().unwrap();
    let user_type = modified
        .iter()
        .find(|m| m["displayName"] == "userType")
        .unwrap();
    assert_eq!(user_type["newValue"], "Member");
    assert_eq!(user_type["oldValue"], Value::Null);
}

#[test]
fn a_skip_lists_entra_reasons_and_each_clause() {
    let sim = run(CONFIGURE, 0);
    let entry = &entries(&sim, 0, "users2@source.example")[0];
    assert_eq!(entry["provisioningAction"], "Other");
    assert_eq!(entry["provisioningStatusInfo"]["status"], "Skipped");
    let steps = entry["provisioningSteps"].as_array().unwrap();
    let scoping = &steps[1]["details"];
    assert_eq!(scoping["Scoping filter evaluation passed"], "False");
    assert_eq!(
        scoping["ScopeEvaluationResult"],
        r#"{"Filter external users.alternativeSecurityIds EQUALS 'None'":true,"Marketing department filter.department EQUALS 'Marketing'":false}"#
    );
    let skip = &steps[2];
    assert_eq!(skip["name"], "EntrySynchronizationSkip");
    assert_eq!(skip["details"]["SkipReason"], "NotEffectivelyEntitled");
    let description = skip["description"].as_str().unwrap();
    assert!(description.starts_with("The user '"), "{description}");
    assert!(
        description.contains(
            "was skipped for the following reasons: 1) This object did not pass a scoping filter."
        ),
        "{description}"
    );
}

#[test]
fn redact_hides_the_value_in_the_log_but_not_in_the_target() {
    let sim = run(QUIRKS, 0);
    let entry = &entries(&sim, 0, "adele@contoso.com")[0];
    let employee_id = entry["modifiedProperties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["displayName"] == "employeeId")
        .unwrap();
    assert_eq!(employee_id["newValue"], "[Redact]");
    let line = sim.event_line(&sim.events_of_tick(0)[0]);
    assert!(!line.contains("E-1001"), "{line}");
}

#[test]
fn the_switch_quirk_is_explained_and_written() {
    let sim = run(QUIRKS, 2);
    let update = &entries(&sim, 2, "adele@contoso.com")[0];
    let notes = update["mappingNotes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["attribute"] == "companyName"
                && n["note"].as_str().unwrap().contains("Switch")),
        "{notes:?}"
    );
    let company = update["modifiedProperties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["displayName"] == "companyName")
        .unwrap();
    assert_eq!(company["oldValue"], "A");
    assert_eq!(company["newValue"], Value::Null);
}

#[test]
fn an_expression_failure_names_the_mapping_and_the_error() {
    let sim = run(QUIRKS, 0);
    let entry = &entries(&sim, 0, "alex@contoso.com")[0];
    assert_eq!(entry["provisioningStatusInfo"]["status"], "Failure");
    let error = &entry["provisioningStatusInfo"]["errorInformation"];
    assert_eq!(error["errorCode"], "AttributeMappingExpressionFailure");
    let reason = error["reason"].as_str().unwrap();
    assert!(reason.contains("'extension_0a1b_hireDate'"), "{reason}");
    assert!(reason.contains("cannot parse '2026-13-01'"), "{reason}");
}

/// A userType other than Member or Guest makes the invitation fail, whether the mapping writes
/// it as a constant (the create that copies values) or from an expression (the create that
/// evaluates every mapping). Semantics §3.5 (userType is Member or Guest).
#[test]
fn a_user_type_other_than_member_or_guest_fails_the_create() {
    let edited = |mapping: &str| {
        let mut scenario: Value = serde_json::from_str(CONFIGURE).unwrap();
        scenario["jobs"][0]["attributeMappings"] = serde_json::from_str(mapping).unwrap();
        run(&scenario.to_string(), 0)
    };
    for mapping in [
        r#"[{ "targetAttributeName": "userType", "mappingType": "Constant", "source": "Visitor" }]"#,
        r#"[{ "targetAttributeName": "userType", "mappingType": "Expression", "source": "Join(\"\", \"Vis\", \"itor\")" }]"#,
    ] {
        let sim = edited(mapping);
        let entry = &entries(&sim, 0, "users1@source.example")[0];
        assert_eq!(entry["provisioningAction"], "Create", "{mapping}");
        assert_eq!(entry["provisioningStatusInfo"]["status"], "Failure");
        let error = &entry["provisioningStatusInfo"]["errorInformation"];
        assert_eq!(
            error["errorCode"], "InvitationCreationFailureInvalidPropertyValue",
            "{mapping}"
        );
        assert_eq!(
            error["reason"],
            "userType 'Visitor' is not valid: it must be Member or Guest."
        );
    }
}

#[test]
fn a_preview_shows_the_decision_without_changing_anything() {
    use ctsync_core::engine::event::{Action, SkipReason};
    let scenario = Scenario::from_json(CONFIGURE).unwrap();
    let sim = Simulation::new(&scenario);
    let j = sim.job_index("source-to-target").unwrap();
    let source = sim.job(j).source;
    let users1 = sim.tenant(source).dir.user_by_local_id("users1").unwrap();
    let users2 = sim.tenant(source).dir.user_by_local_id("users2").unwrap();
    let create = sim.preview_user(j, users1);
    assert_eq!(create.action, Action::Create);
    assert!(create.policy_failure.is_none());
    let upn = create
        .values
        .iter()
        .find(|(a, _, _)| sim.names.name(*a) == "userPrincipalName")
        .and_then(|(_, v, _)| v.as_ref())
        .map(|v| v.to_string());
    assert_eq!(
        upn.as_deref(),
        Some("users1_source.example#EXT#@target.onmicrosoft.com")
    );
    let skip = sim.preview_user(j, users2);
    assert_eq!(skip.action, Action::Other);
    assert_eq!(skip.skip_reason, Some(SkipReason::NotEffectivelyEntitled));
    let scope = skip.scope.unwrap();
    assert!(!scope.filters_passed);
    assert_eq!(scope.clauses, vec![(0, 0, false)]);
    assert!(sim.events().is_empty(), "a preview logs nothing");
}
