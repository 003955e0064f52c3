//! The playground's side of explain: each finding that has one right fix offers it as commands,
//! and applying them makes that finding go away (so the button can't lie); findings whose fix is
//! the admin's choice offer none. And the "why isn't … here?" picker lists exactly the people
//! who are not present.

use ctsync_core::explain::{self, Reason};
use ctsync_core::scenario::UserRef;
use ctsync_core::{Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const TOPOLOGY: &str = include_str!("../../tests/explain/topology-and-policy.json");
const SCOPE: &str = include_str!("../../tests/explain/scope.json");

fn run(file: &str, tick: u64) -> (Scenario, Simulation) {
    let scenario = Scenario::from_json(file).expect("explain scenarios load");
    let mut sim = Simulation::new(&scenario);
    sim.run_through(tick);
    (scenario, sim)
}

/// Explains, finds `reason`, and returns its fix (applied to the simulation when there is one,
/// with the finding checked gone afterwards).
fn fix_of(file: &str, user: &str, tenant: &str, reason: Reason) -> Option<String> {
    let (scenario, mut sim) = run(file, 0);
    let user = UserRef::parse(user);
    let e = explain::explain_user(&sim, &scenario, &user, tenant).unwrap();
    let finding = e
        .findings
        .iter()
        .find(|f| f.reason == reason)
        .unwrap_or_else(|| panic!("{} among {:?}", reason.code(), e.findings));
    let fix = explain::one_click_fix(&sim, &e, finding)?;
    assert!(!fix.commands.is_empty());
    for command in &fix.commands {
        sim.apply(command);
        assert!(
            sim.applied_commands().last().unwrap().rejected.is_none(),
            "{command:?} was rejected"
        );
    }
    let after = explain::explain_user(&sim, &scenario, &user, tenant).unwrap();
    assert!(
        !after
            .findings
            .iter()
            .any(|f| f.reason == reason && f.job == finding.job),
        "{} is gone after its fix: {:?}",
        reason.code(),
        after.findings
    );
    Some(fix.label)
}

#[test]
fn policy_findings_offer_the_readiness_fix_and_it_works() {
    let label = fix_of(
        TOPOLOGY,
        "contoso/adele",
        "nosync",
        Reason::InboundSyncNotAllowed,
    );
    assert!(label.unwrap().starts_with("Enable cross-tenant sync"));
    let label = fix_of(
        TOPOLOGY,
        "contoso/adele",
        "nooutbound",
        Reason::OutboundRedemptionMissing,
    );
    assert_eq!(
        label.as_deref(),
        Some("Automatically redeem invitations (outbound)")
    );
    let label = fix_of(
        TOPOLOGY,
        "contoso/adele",
        "noinbound",
        Reason::InboundRedemptionMissing,
    );
    assert_eq!(
        label.as_deref(),
        Some("Automatically redeem invitations (inbound)")
    );
}

#[test]
fn job_state_findings_offer_start_provisioning() {
    let label = fix_of(TOPOLOGY, "contoso/adele", "idle", Reason::JobNotStarted);
    assert_eq!(label.as_deref(), Some("Start provisioning"));
    let label = fix_of(TOPOLOGY, "contoso/adele", "stopped", Reason::JobPaused);
    assert_eq!(label.as_deref(), Some("Start provisioning"));
}

#[test]
fn scope_findings_assign_the_user_or_turn_off_sms_sign_in() {
    let label = fix_of(SCOPE, "contoso/alex", "fabrikam", Reason::NotAssigned).unwrap();
    assert!(label.starts_with("Assign "), "{label}");
    let label = fix_of(SCOPE, "nestor", "fabrikam", Reason::NestedGroupOnly).unwrap();
    assert!(label.starts_with("Assign "), "{label}");
    let label = fix_of(SCOPE, "contoso/sam", "fabrikam", Reason::SmsSignIn).unwrap();
    assert!(label.starts_with("Turn off SMS sign-in"), "{label}");
}

#[test]
fn a_failing_scoping_filter_is_the_admins_choice_no_one_click_fix() {
    assert_eq!(
        fix_of(
            SCOPE,
            "contoso/sally",
            "fabrikam",
            Reason::ScopingFilterFailed
        ),
        None
    );
    assert_eq!(
        fix_of(
            TOPOLOGY,
            "contoso/adele",
            "fabrikam",
            Reason::RelayImpossible
        ),
        None
    );
}

#[test]
fn the_picker_lists_exactly_the_people_not_present() {
    let (scenario, sim) = run(SCOPE, 0);
    let t = sim.tenant_index("fabrikam").unwrap();
    let absent = explain::absentees(&sim, t);
    assert!(!absent.is_empty());
    assert!(absent.iter().any(|a| a.user == "sally" && a.job_from_home));
    for a in &absent {
        let e = explain::explain_user(&sim, &scenario, &a.reference(), "fabrikam").unwrap();
        assert!(!e.present, "{} is listed but present", a.user);
        assert_ne!(a.tenant, "fabrikam");
    }
    // Everyone of contoso who is not listed is present.
    let c = sim.tenant_index("contoso").unwrap();
    for x in &sim.tenant(c).dir.users {
        let id = x.local_id.as_deref().unwrap();
        if absent.iter().any(|a| a.user == id) || !x.is_internal() {
            continue;
        }
        let e = explain::explain_user(
            &sim,
            &scenario,
            &UserRef::parse(&format!("contoso/{id}")),
            "fabrikam",
        )
        .unwrap();
        assert!(e.present, "{id} is not listed but absent");
    }
}
