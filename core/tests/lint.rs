//! Design-review tests: one test per lint code. Each starts from a clean design (contoso →
//! fabrikam, everything configured, no findings), breaks one thing the way admins do, and asserts
//! the code, its severity and the objects it names. Natively and in wasm32.

use ctsync_core::lint::{self, LintCode, Severity};
use ctsync_core::Scenario;
use serde_json::{json, Value};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn base() -> Value {
    json!({
        "version": 2,
        "name": "Clean design",
        "tenants": [
            {
                "id": "contoso", "displayName": "Contoso", "verifiedDomains": ["contoso.com"],
                "crossTenantAccess": {"partners": [
                    {"tenant": "fabrikam", "automaticUserConsentSettings": {"outboundAllowed": true}}
                ]},
                "users": [
                    {"id": "adele", "userPrincipalName": "adele@contoso.com", "mail": "adele@contoso.com", "department": "Marketing"},
                    {"id": "alex", "userPrincipalName": "alex@contoso.com", "mail": "alex@contoso.com", "department": "Marketing"}
                ],
                "groups": [{"id": "sync", "displayName": "Sync", "members": ["adele", "alex"]}]
            },
            {
                "id": "fabrikam", "displayName": "Fabrikam", "verifiedDomains": ["fabrikam.com"],
                "crossTenantAccess": {"partners": [
                    {"tenant": "contoso", "automaticUserConsentSettings": {"inboundAllowed": true},
                     "identitySynchronization": {"userSyncInbound": {"isSyncAllowed": true}}}
                ]}
            }
        ],
        "jobs": [
            {"id": "contoso-to-fabrikam", "source": "contoso", "target": "fabrikam", "state": "started", "assignedGroups": ["sync"]}
        ]
    })
}

fn scenario(v: &Value) -> Scenario {
    Scenario::from_json(&v.to_string()).expect("test scenario loads")
}

fn with(edit: impl FnOnce(&mut Value)) -> Scenario {
    let mut v = base();
    edit(&mut v);
    scenario(&v)
}

/// Asserts the review has `code` with `severity`, naming each of `objects` (`kind:id`).
fn assert_finding(s: &Scenario, code: LintCode, severity: Severity, objects: &[&str]) {
    let review = lint::lint(s);
    let found: Vec<String> = review
        .findings
        .iter()
        .map(|f| format!("{} {}", f.code.code(), f.severity.as_str()))
        .collect();
    let f = review
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("{} not found; found {found:?}", code.code()));
    assert_eq!(f.severity, severity, "{}: {}", code.code(), f.message);
    assert!(!f.message.is_empty() && !f.fix.is_empty());
    for o in objects {
        let (kind, id) = o.split_once(':').unwrap();
        assert!(
            f.objects.iter().any(|x| x.kind == kind && x.id == id),
            "{}: {o} not among {:?}",
            code.code(),
            f.objects
        );
    }
    if code.decision().is_some() {
        assert!(f.decision.is_some());
    }
}

fn partner(v: &mut Value, tenant: usize) -> &mut Value {
    &mut v["tenants"][tenant]["crossTenantAccess"]["partners"][0]
}

#[test]
fn a_clean_design_has_no_findings() {
    let review = lint::lint(&scenario(&base()));
    assert!(review.findings.is_empty(), "{:#?}", review.findings);
}

#[test]
fn xts001_inbound_sync_not_allowed() {
    let s = with(|v| {
        partner(v, 1)["identitySynchronization"] = json!({});
    });
    assert_finding(
        &s,
        LintCode::InboundSyncNotAllowed,
        Severity::Error,
        &["job:contoso-to-fabrikam", "tenant:fabrikam"],
    );
    let review = lint::lint(&s);
    let f = review
        .findings
        .iter()
        .find(|f| f.code == LintCode::InboundSyncNotAllowed)
        .unwrap();
    assert!(
        f.message.contains("Inherited from default"),
        "{}",
        f.message
    );
}

#[test]
fn xts002_inbound_redemption_missing() {
    let s = with(|v| {
        partner(v, 1)["automaticUserConsentSettings"] = json!({"inboundAllowed": null});
    });
    assert_finding(
        &s,
        LintCode::InboundRedemptionMissing,
        Severity::Error,
        &["tenant:fabrikam", "tenant:contoso"],
    );
}

#[test]
fn xts003_outbound_redemption_missing() {
    let s = with(|v| {
        v["tenants"][0]["crossTenantAccess"] = json!({});
    });
    assert_finding(
        &s,
        LintCode::OutboundRedemptionMissing,
        Severity::Error,
        &["tenant:contoso"],
    );
}

#[test]
fn xts004_redemption_only_by_default() {
    let s = with(|v| {
        v["tenants"][0]["crossTenantAccess"] = json!({
            "default": {"automaticUserConsentSettings": {"outboundAllowed": true}}
        });
    });
    assert_finding(
        &s,
        LintCode::RedemptionOnlyByDefault,
        Severity::Warning,
        &["tenant:contoso"],
    );
    assert_eq!(lint::lint(&s).errors(), 0);
}

#[test]
fn xts005_cross_cloud_not_configured() {
    let s = with(|v| {
        v["tenants"][1]["cloud"] = json!("usGovernment");
    });
    assert_finding(
        &s,
        LintCode::CrossCloudNotConfigured,
        Severity::Error,
        &["job:contoso-to-fabrikam"],
    );
    let fixed = with(|v| {
        v["tenants"][1]["cloud"] = json!("usGovernment");
        v["tenants"][1]["microsoftCloudSettings"] = json!(["commercial"]);
        v["tenants"][0]["microsoftCloudSettings"] = json!(["usGovernment"]);
    });
    assert!(!lint::lint(&fixed).has(LintCode::CrossCloudNotConfigured));
}

#[test]
fn xts006_21vianet_pair() {
    let s = with(|v| {
        v["tenants"][0]["cloud"] = json!("china21Vianet");
        v["tenants"][1]["cloud"] = json!("china21Vianet");
    });
    assert_finding(
        &s,
        LintCode::China21VianetPair,
        Severity::Warning,
        &["job:contoso-to-fabrikam"],
    );
}

#[test]
fn xts007_nobody_assigned() {
    let s = with(|v| {
        v["jobs"][0]["assignedGroups"] = json!([]);
    });
    assert_finding(
        &s,
        LintCode::NobodyAssigned,
        Severity::Warning,
        &["job:contoso-to-fabrikam"],
    );
    let assigned_later = with(|v| {
        v["jobs"][0]["assignedGroups"] = json!([]);
        v["timeline"] = json!([{"tick": 2, "command": "assignUser", "job": "contoso-to-fabrikam", "user": "adele"}]);
    });
    assert!(!lint::lint(&assigned_later).has(LintCode::NobodyAssigned));
}

#[test]
fn xts008_never_started() {
    let s = with(|v| {
        v["jobs"][0]["state"] = json!("notStarted");
    });
    assert_finding(
        &s,
        LintCode::NeverStarted,
        Severity::Warning,
        &["job:contoso-to-fabrikam"],
    );
    let started_later = with(|v| {
        v["jobs"][0]["state"] = json!("notStarted");
        v["timeline"] = json!([{"tick": 3, "command": "startJob", "job": "contoso-to-fabrikam"}]);
    });
    assert!(!lint::lint(&started_later).has(LintCode::NeverStarted));
}

#[test]
fn xts009_two_jobs_on_one_pair() {
    let s = with(|v| {
        let mut second = v["jobs"][0].clone();
        second["id"] = json!("contoso-to-fabrikam-guests");
        v["jobs"].as_array_mut().unwrap().push(second);
    });
    assert_finding(
        &s,
        LintCode::TwoJobsOnOnePair,
        Severity::Warning,
        &["job:contoso-to-fabrikam", "job:contoso-to-fabrikam-guests"],
    );
}

/// A third tenant behind fabrikam: fabrikam → northwind, configured.
fn with_northwind(v: &mut Value) {
    v["tenants"].as_array_mut().unwrap().push(json!({
        "id": "northwind", "displayName": "Northwind",
        "crossTenantAccess": {"partners": [
            {"tenant": "fabrikam", "automaticUserConsentSettings": {"inboundAllowed": true},
             "identitySynchronization": {"userSyncInbound": {"isSyncAllowed": true}}}
        ]}
    }));
    v["tenants"][1]["crossTenantAccess"]["partners"]
        .as_array_mut()
        .unwrap()
        .push(json!({"tenant": "northwind", "automaticUserConsentSettings": {"outboundAllowed": true}}));
    v["tenants"][1]["users"] = json!([
        {"id": "fay", "userPrincipalName": "fay@fabrikam.com", "mail": "fay@fabrikam.com"}
    ]);
    v["jobs"].as_array_mut().unwrap().push(json!(
        {"id": "fabrikam-to-northwind", "source": "fabrikam", "target": "northwind", "state": "started", "scope": "all"}
    ));
}

#[test]
fn xts010_expected_relay() {
    let s = with(|v| {
        with_northwind(v);
        v["expect"] = json!([
            {"afterTick": 2, "check": "user", "tenant": "northwind", "user": "contoso/adele", "state": "active"}
        ]);
    });
    assert_finding(
        &s,
        LintCode::ExpectedRelay,
        Severity::Error,
        &["user:adele", "tenant:northwind", "tenant:fabrikam"],
    );
}

#[test]
fn xts011_source_only_external() {
    let s = with(|v| {
        with_northwind(v);
        v["tenants"][1]["users"] = json!([
            {"id": "adele-b2b", "userPrincipalName": "adele_contoso.com#EXT#@fabrikam.onmicrosoft.com",
             "external": {"homeTenant": "contoso", "homeUser": "adele"}}
        ]);
        v["jobs"][1]["scope"] = json!("assigned");
        v["jobs"][1]["assignedUsers"] = json!(["adele-b2b"]);
    });
    assert_finding(
        &s,
        LintCode::SourceOnlyExternal,
        Severity::Error,
        &["job:fabrikam-to-northwind", "user:adele-b2b"],
    );
}

/// `n` more members of the sync group.
fn many_users(v: &mut Value, n: usize) {
    for i in 0..n {
        let id = format!("user{i:03}");
        v["tenants"][0]["users"].as_array_mut().unwrap().push(json!({
            "id": id, "userPrincipalName": format!("{id}@contoso.com"), "mail": format!("{id}@contoso.com")
        }));
        v["tenants"][0]["groups"][0]["members"]
            .as_array_mut()
            .unwrap()
            .push(json!(id));
    }
}

#[test]
fn xts012_deletion_threshold_off() {
    let s = with(|v| many_users(v, 100));
    assert_finding(
        &s,
        LintCode::DeletionThresholdOff,
        Severity::Warning,
        &["job:contoso-to-fabrikam"],
    );
    let guarded = with(|v| {
        many_users(v, 100);
        v["jobs"][0]["accidentalDeletionPrevention"] = json!({"enabled": true});
    });
    assert!(!lint::lint(&guarded).has(LintCode::DeletionThresholdOff));
}

#[test]
fn xts013_scope_will_drop_many() {
    let s = with(|v| {
        many_users(v, 12);
        v["timeline"] = json!([{"tick": 2, "command": "unassignGroup", "job": "contoso-to-fabrikam", "group": "sync",
                                "note": "the wrong group is unassigned"}]);
    });
    assert_finding(
        &s,
        LintCode::ScopeWillDropMany,
        Severity::Warning,
        &["job:contoso-to-fabrikam"],
    );
    let review = lint::lint(&s);
    let f = review
        .findings
        .iter()
        .find(|f| f.code == LintCode::ScopeWillDropMany)
        .unwrap();
    assert!(
        f.message.contains("In tick 2") && f.message.contains("14 users"),
        "{}",
        f.message
    );
    // After tick 2 the drop has happened: it is no longer "coming".
    assert!(!lint::lint_after(&s, 2).has(LintCode::ScopeWillDropMany));
}

#[test]
fn xts014_member_into_guest_only_app() {
    let app = json!([{"id": "atlassian", "displayName": "Atlassian Cloud", "verifiedDomains": ["fabrikam.com"]}]);
    let s = with(|v| {
        v["tenants"][1]["downstreamApps"] = app.clone();
    });
    assert_finding(
        &s,
        LintCode::MemberIntoGuestOnlyApp,
        Severity::Warning,
        &["job:contoso-to-fabrikam", "tenant:fabrikam"],
    );
    let guests = with(|v| {
        v["tenants"][1]["downstreamApps"] = app.clone();
        v["jobs"][0]["attributeMappings"] = json!([
            {"targetAttributeName": "userType", "mappingType": "Constant", "source": "Guest", "flowType": "Always"}
        ]);
    });
    assert!(!lint::lint(&guests).has(LintCode::MemberIntoGuestOnlyApp));
    // Guest only during creation, after Members were created: they stay Members.
    let late = with(|v| {
        v["tenants"][1]["downstreamApps"] = app.clone();
        v["timeline"] = json!([{"tick": 1, "command": "setAttributeMappings", "job": "contoso-to-fabrikam",
            "attributeMappings": [{"targetAttributeName": "userType", "mappingType": "Constant", "source": "Guest", "flowType": "ObjectAddOnly"}]}]);
    });
    assert!(lint::lint_after(&late, 1).has(LintCode::MemberIntoGuestOnlyApp));
}

#[test]
fn xts015_address_list_expectation() {
    let s = with(|v| {
        v["jobs"][0]["attributeMappings"] =
            json!([{"targetAttributeName": "showInAddressList", "delete": true}]);
        v["expect"] = json!([
            {"afterTick": 0, "check": "user", "tenant": "fabrikam", "user": "contoso/adele", "state": "active",
             "attributes": {"showInAddressList": "True"}}
        ]);
    });
    assert_finding(
        &s,
        LintCode::AddressListExpectation,
        Severity::Warning,
        &["job:contoso-to-fabrikam", "user:adele"],
    );
}

fn filter(v: &mut Value, attribute: &str, op: &str, value: &str) {
    v["jobs"][0]["scopingFilters"] = json!([{"name": "Filter", "clauses": [
        {"sourceOperandName": attribute, "operatorName": op, "targetOperand": {"values": [value]}}
    ]}]);
}

#[test]
fn xts016_unsupported_filter_attribute() {
    for attribute in [
        "userType",
        "manager",
        "proxyAddresses",
        "extension_hireDate",
        "appRoleAssignments",
    ] {
        let s = with(|v| filter(v, attribute, "EQUALS", "x"));
        assert_finding(
            &s,
            LintCode::UnsupportedFilterAttribute,
            Severity::Error,
            &["job:contoso-to-fabrikam"],
        );
    }
}

#[test]
fn xts017_filter_value_case() {
    let s = with(|v| filter(v, "department", "EQUALS", "marketing"));
    assert_finding(
        &s,
        LintCode::FilterValueCase,
        Severity::Warning,
        &["job:contoso-to-fabrikam"],
    );
    let exact = with(|v| filter(v, "department", "EQUALS", "Marketing"));
    assert!(lint::lint(&exact).findings.is_empty());
}

#[test]
fn xts018_sync_all_scope() {
    let small = with(|v| {
        v["jobs"][0]["scope"] = json!("all");
    });
    assert_finding(
        &small,
        LintCode::SyncAllScope,
        Severity::Info,
        &["job:contoso-to-fabrikam"],
    );
    let large = with(|v| {
        many_users(v, 500);
        v["jobs"][0]["scope"] = json!("all");
        v["jobs"][0]["accidentalDeletionPrevention"] = json!({"enabled": true});
    });
    assert_finding(
        &large,
        LintCode::SyncAllScope,
        Severity::Warning,
        &["tenant:contoso"],
    );
}

#[test]
fn xts019_nested_groups_only() {
    let s = with(|v| {
        v["tenants"][0]["users"].as_array_mut().unwrap().push(json!(
            {"id": "nestor", "userPrincipalName": "nestor@contoso.com", "mail": "nestor@contoso.com"}
        ));
        let groups = v["tenants"][0]["groups"].as_array_mut().unwrap();
        groups.insert(
            0,
            json!({"id": "emea", "displayName": "EMEA", "members": ["nestor"]}),
        );
        groups[1]["members"]
            .as_array_mut()
            .unwrap()
            .push(json!("emea"));
    });
    assert_finding(
        &s,
        LintCode::NestedGroupsOnly,
        Severity::Warning,
        &["user:nestor", "group:emea"],
    );
}

#[test]
fn xts020_sms_sign_in_in_scope() {
    let s = with(|v| {
        v["tenants"][0]["users"][1]["smsSignInEnabled"] = json!(true);
    });
    assert_finding(
        &s,
        LintCode::SmsSignInInScope,
        Severity::Warning,
        &["user:alex"],
    );
}

#[test]
fn xts021_unverified_mail_domain() {
    let s = with(|v| {
        v["tenants"][0]["users"][1]["mail"] = json!("alex@alex-consulting.example");
    });
    assert_finding(
        &s,
        LintCode::UnverifiedMailDomain,
        Severity::Error,
        &["user:alex"],
    );
}

#[test]
fn xts022_guest_invitations_blocked() {
    let s = with(|v| {
        v["tenants"][1]["allowInvitesFrom"] = json!("none");
    });
    assert_finding(
        &s,
        LintCode::GuestInvitationsBlocked,
        Severity::Error,
        &["tenant:fabrikam"],
    );
}

#[test]
fn xts023_internal_guests_assigned() {
    let s = with(|v| {
        v["tenants"][0]["users"][1]["userType"] = json!("Guest");
    });
    assert_finding(
        &s,
        LintCode::InternalGuestsAssigned,
        Severity::Info,
        &["user:alex"],
    );
}

#[test]
fn xts024_existing_guests_stay_guests() {
    let s = with(|v| {
        v["tenants"][1]["users"] = json!([
            {"id": "adele-guest", "userPrincipalName": "adele_contoso.com#EXT#@fabrikam.onmicrosoft.com",
             "userType": "Guest", "external": {"homeTenant": "contoso", "homeUser": "adele"}}
        ]);
    });
    assert_finding(
        &s,
        LintCode::ExistingGuestsStayGuests,
        Severity::Info,
        &["user:adele"],
    );
    let always = with(|v| {
        v["tenants"][1]["users"] = json!([
            {"id": "adele-guest", "userPrincipalName": "adele_contoso.com#EXT#@fabrikam.onmicrosoft.com",
             "userType": "Guest", "external": {"homeTenant": "contoso", "homeUser": "adele"}}
        ]);
        v["jobs"][0]["attributeMappings"] = json!([
            {"targetAttributeName": "userType", "mappingType": "Constant", "source": "Member", "flowType": "Always"}
        ]);
    });
    assert!(!lint::lint(&always).has(LintCode::ExistingGuestsStayGuests));
}

/// Every code has a test above, and docs/lint.md documents it.
#[test]
fn every_code_is_tested_and_documented() {
    let this = include_str!("lint.rs");
    let doc = include_str!("../../docs/lint.md");
    for code in LintCode::ALL {
        let lower = code.code().to_ascii_lowercase();
        assert!(
            this.contains(&format!("fn {lower}_")),
            "no test for {}",
            code.code()
        );
        assert!(
            doc.contains(&format!("| {} |", code.code())),
            "docs/lint.md lacks {}",
            code.code()
        );
    }
}

/// Findings are ordered errors first, and the review of a state after a tick sees that state.
#[test]
fn findings_are_ordered_and_the_state_after_a_tick_is_reviewed() {
    let s = with(|v| {
        partner(v, 1)["identitySynchronization"] = json!({});
        v["tenants"][0]["users"][1]["userType"] = json!("Guest");
        v["timeline"] = json!([{"tick": 1, "command": "setCrossTenantAccess", "tenant": "fabrikam", "partner": "contoso",
                                "setting": "isSyncAllowed", "value": true}]);
    });
    let review = lint::lint(&s);
    assert_eq!(review.findings[0].severity, Severity::Error);
    assert_eq!(review.findings.last().unwrap().severity, Severity::Info);
    let later = lint::lint_after(&s, 1);
    assert_eq!(later.after_tick, Some(1));
    assert!(!later.has(LintCode::InboundSyncNotAllowed));
}
