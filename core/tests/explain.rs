//! Explain tests: one scenario case per reason of the closed sets `Reason` and `AttributeReason`
//! (docs/explain.md lists them). Each case runs a scenario of tests/explain through a tick, may
//! apply commands "now" (before the next tick), and asserts the reason is among the findings.
//! Where the explanation predicts what the next cycle does, the case steps one tick and checks the
//! provisioning log (or the target value) agrees — so explain cannot drift from the engine. The
//! scenario files are embedded, so the same cases run natively and in wasm32.

use ctsync_core::engine::event::Event;
use ctsync_core::explain::{self, AttributeReason, Reason};
use ctsync_core::scenario::{Command, UserRef};
use ctsync_core::{Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const TOPOLOGY: &str = include_str!("../../tests/explain/topology-and-policy.json");
const SCOPE: &str = include_str!("../../tests/explain/scope.json");
const MATCHING: &str = include_str!("../../tests/explain/matching.json");
const LIFECYCLE: &str = include_str!("../../tests/explain/lifecycle.json");
const ATTRIBUTES: &str = include_str!("../../tests/explain/attributes.json");

/// One explain question.
struct Case {
    file: &'static str,
    user: &'static str,
    tenant: &'static str,
    /// Explain after this tick ran; `None`: before anything ran.
    after_tick: Option<u64>,
    /// Commands (JSON) applied now, before the next tick.
    then: &'static [&'static str],
    /// The next tick's log must hold an event of this job for the user with this action and effect.
    next: Option<(&'static str, &'static str, &'static str)>,
}

const fn case(file: &'static str, user: &'static str, tenant: &'static str, after: u64) -> Case {
    Case {
        file,
        user,
        tenant,
        after_tick: Some(after),
        then: &[],
        next: None,
    }
}

const fn before_start(file: &'static str, user: &'static str, tenant: &'static str) -> Case {
    Case {
        file,
        user,
        tenant,
        after_tick: None,
        then: &[],
        next: None,
    }
}

const REMOVE_ALEX: &str =
    r#"{"command":"removeGroupMember","tenant":"contoso","group":"sync","member":"alex"}"#;
const READD_ADELE: &str =
    r#"{"command":"addGroupMember","tenant":"contoso","group":"sync","member":"adele"}"#;
const LEE_TO_SALES: &str = r#"{"command":"setAttributes","tenant":"contoso","user":"lee","attributes":{"department":"Sales"}}"#;
const BLOCK_LEE: &str = r#"{"command":"blockSignIn","tenant":"contoso","user":"lee"}"#;
const ADELE_MOVES: &str = r#"{"command":"setAttributes","tenant":"contoso","user":"adele","attributes":{"city":"Redmond"}}"#;

/// The case for each reason: the `match` is exhaustive, so a new reason does not compile without one.
fn reason_case(reason: Reason) -> Case {
    use Reason::*;
    const T: &str = TOPOLOGY;
    match reason {
        HomeTenant => case(T, "contoso/adele", "contoso", 0),
        NoJobIntoTenant => case(T, "contoso/adele", "lonely", 0),
        RelayImpossible => case(T, "contoso/adele", "fabrikam", 0),
        JobDeleted => case(T, "contoso/adele", "gone", 1),
        PresentNotSynced => case(MATCHING, "walt", "fabrikam", 0),
        JobNotStarted => case(T, "contoso/adele", "idle", 0),
        JobPaused => case(T, "contoso/adele", "stopped", 0),
        JobQuarantined => case(T, "contoso/adele", "nosync", 2),
        JobDisabled => case(T, "contoso/adele", "nosync", 1010),
        CrossCloudNotConfigured => case(T, "contoso/adele", "gov", 0),
        InboundSyncNotAllowed => case(T, "contoso/adele", "nosync", 0),
        OutboundRedemptionMissing => case(T, "contoso/adele", "nooutbound", 0),
        InboundRedemptionMissing => case(T, "contoso/adele", "noinbound", 0),
        DeletedInSource => case(SCOPE, "contoso/del", "fabrikam", 0),
        InternalGuest => case(SCOPE, "contoso/gina", "fabrikam", 0),
        SmsSignIn => case(SCOPE, "contoso/sam", "fabrikam", 0),
        NotAssigned => case(SCOPE, "contoso/alex", "fabrikam", 0),
        NestedGroupOnly => case(SCOPE, "nestor", "fabrikam", 0),
        ScopingFilterFailed => case(SCOPE, "contoso/sally", "fabrikam", 0),
        ScopeSwitchPending => case(LIFECYCLE, "contoso/frank", "frozen", 1),
        DisabledNotProvisioned => case(SCOPE, "contoso/dora", "fabrikam", 0),
        WillCreate => Case {
            next: Some(("contoso-to-fabrikam", "Create", "created")),
            ..before_start(MATCHING, "contoso/adele", "fabrikam")
        },
        NotProcessedUntilChange => case(MATCHING, "contoso/kai", "fabrikam", 1),
        MatchesExistingAccount => Case {
            next: Some(("contoso-to-fabrikam", "Update", "updated")),
            ..before_start(MATCHING, "contoso/gus", "fabrikam")
        },
        ExistingGuestStaysGuest => before_start(MATCHING, "contoso/gus", "fabrikam"),
        InternalUserBlocksMatch => Case {
            next: Some(("contoso-to-fabrikam", "Create", "failed")),
            ..before_start(MATCHING, "contoso/ian", "fabrikam")
        },
        PendingInvitationRedeemed => Case {
            next: Some(("contoso-to-fabrikam", "Create", "updated")),
            ..before_start(MATCHING, "contoso/pia", "fabrikam")
        },
        SameMailLinked => case(MATCHING, "contoso/twin2", "fabrikam", 0),
        GuestInvitationsBlocked => Case {
            next: Some(("contoso-to-noinvites", "Create", "failed")),
            ..before_start(T, "contoso/adele", "noinvites")
        },
        UnverifiedMailDomain => Case {
            next: Some(("contoso-to-fabrikam", "Create", "failed")),
            ..before_start(MATCHING, "contoso/una", "fabrikam")
        },
        CreateActionOff => Case {
            then: &[
                r#"{"command":"setTargetObjectActions","job":"contoso-to-fabrikam","targetObjectActions":{"create":false}}"#,
            ],
            ..before_start(MATCHING, "contoso/adele", "fabrikam")
        },
        UpdateActionOff => case(LIFECYCLE, "contoso/frank", "frozen", 2),
        MappingExpressionFails => Case {
            next: Some(("contoso-to-fabrikam", "Other", "failed")),
            ..before_start(SCOPE, "contoso/ezra", "fabrikam")
        },
        Escrowed => case(SCOPE, "contoso/ezra", "fabrikam", 0),
        TargetDeletedByAdmin => case(LIFECYCLE, "contoso/tom", "fabrikam", 1),
        Provisioned => case(LIFECYCLE, "contoso/lee", "fabrikam", 0),
        WillUpdate => Case {
            then: &[LEE_TO_SALES],
            next: Some(("contoso-to-fabrikam", "Update", "updated")),
            ..case(LIFECYCLE, "contoso/lee", "fabrikam", 0)
        },
        WillDisable => Case {
            then: &[BLOCK_LEE],
            next: Some(("contoso-to-fabrikam", "Disable", "disabled")),
            ..case(LIFECYCLE, "contoso/lee", "fabrikam", 0)
        },
        WillRestore => Case {
            then: &[READD_ADELE],
            next: Some(("contoso-to-fabrikam", "Update", "restored")),
            ..case(LIFECYCLE, "contoso/adele", "fabrikam", 1)
        },
        WillSoftDelete => Case {
            then: &[REMOVE_ALEX],
            next: Some(("contoso-to-fabrikam", "Delete", "softDeleted")),
            ..case(LIFECYCLE, "contoso/alex", "fabrikam", 0)
        },
        SoftDeletedLeftScope => case(LIFECYCLE, "contoso/adele", "fabrikam", 1),
        DisabledThenRemoved => case(LIFECYCLE, "contoso/dana", "fabrikam", 2),
        DeleteActionOff => case(LIFECYCLE, "contoso/adele", "keep", 1),
        StagedDelete => case(LIFECYCLE, "contoso/kim", "careful", 1),
        HardDeleted => case(LIFECYCLE, "contoso/adele", "fabrikam", 1081),
    }
}

fn scenario(text: &str) -> Scenario {
    Scenario::from_json(text).expect("explain scenarios load")
}

fn prepare(case: &Case) -> (Scenario, Simulation) {
    let scenario = scenario(case.file);
    let mut sim = Simulation::new(&scenario);
    if let Some(tick) = case.after_tick {
        sim.run_through(tick);
    }
    for command in case.then {
        let command: Command = serde_json::from_str(command).expect("command parses");
        sim.apply(&command);
        assert!(
            sim.applied_commands().last().unwrap().rejected.is_none(),
            "command {command:?} was rejected"
        );
    }
    (scenario, sim)
}

fn run_reason(reason: Reason) {
    let case = reason_case(reason);
    let (scenario, mut sim) = prepare(&case);
    let user = UserRef::parse(case.user);
    let e = explain::explain_user(&sim, &scenario, &user, case.tenant)
        .unwrap_or_else(|err| panic!("{}: {err}", reason.code()));
    let found: Vec<&str> = e.findings.iter().map(|f| f.reason.code()).collect();
    assert!(
        e.has(reason),
        "{}: not among the findings {found:?}\nverdict: {}",
        reason.code(),
        e.verdict
    );
    let finding = e.findings.iter().find(|f| f.reason == reason).unwrap();
    assert!(!finding.text.is_empty());
    if reason.decision_topic().is_some() {
        assert!(
            finding.decision.is_some(),
            "{}: decision row quoted",
            reason.code()
        );
    }
    assert!(!e.verdict.is_empty());
    // The JSON form serializes the reason by its code.
    let json = serde_json::to_value(&e).unwrap();
    assert!(json.to_string().contains(&format!("\"{}\"", reason.code())));
    if let Some((job, action, effect)) = case.next {
        let tick = sim.next_tick();
        sim.step();
        let j = sim.job_index(job).expect("job exists");
        let source = sim.job(j).source;
        let u = match &user {
            UserRef::Home { user, .. } | UserRef::Local(user) => sim
                .tenant(source)
                .dir
                .user_by_local_id(user)
                .expect("source user"),
        };
        let events: Vec<String> = sim
            .events_of_tick(tick)
            .iter()
            .filter_map(|ev| match ev {
                Event::Object(o) if o.job == j && o.source_user == u => {
                    Some(format!("{} {}", o.action.as_str(), o.effect.as_str()))
                }
                _ => None,
            })
            .collect();
        assert!(
            events.contains(&format!("{action} {effect}")),
            "{}: explain predicted {action} ({effect}) in tick {tick}; the log has {events:?}",
            reason.code()
        );
    }
}

macro_rules! reason_tests {
    ($($name:ident => $reason:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_reason(Reason::$reason);
            }
        )*

        const TESTED: &[Reason] = &[$(Reason::$reason),*];
    };
}

reason_tests! {
    home_tenant => HomeTenant,
    no_job_into_tenant => NoJobIntoTenant,
    relay_impossible => RelayImpossible,
    job_deleted => JobDeleted,
    present_not_synced => PresentNotSynced,
    job_not_started => JobNotStarted,
    job_paused => JobPaused,
    job_quarantined => JobQuarantined,
    job_disabled => JobDisabled,
    cross_cloud_not_configured => CrossCloudNotConfigured,
    inbound_sync_not_allowed => InboundSyncNotAllowed,
    outbound_redemption_missing => OutboundRedemptionMissing,
    inbound_redemption_missing => InboundRedemptionMissing,
    deleted_in_source => DeletedInSource,
    internal_guest => InternalGuest,
    sms_sign_in => SmsSignIn,
    not_assigned => NotAssigned,
    nested_group_only => NestedGroupOnly,
    scoping_filter_failed => ScopingFilterFailed,
    scope_switch_pending => ScopeSwitchPending,
    disabled_not_provisioned => DisabledNotProvisioned,
    will_create => WillCreate,
    not_processed_until_change => NotProcessedUntilChange,
    matches_existing_account => MatchesExistingAccount,
    existing_guest_stays_guest => ExistingGuestStaysGuest,
    internal_user_blocks_match => InternalUserBlocksMatch,
    pending_invitation_redeemed => PendingInvitationRedeemed,
    same_mail_linked => SameMailLinked,
    guest_invitations_blocked => GuestInvitationsBlocked,
    unverified_mail_domain => UnverifiedMailDomain,
    create_action_off => CreateActionOff,
    update_action_off => UpdateActionOff,
    mapping_expression_fails => MappingExpressionFails,
    escrowed => Escrowed,
    target_deleted_by_admin => TargetDeletedByAdmin,
    provisioned => Provisioned,
    will_update => WillUpdate,
    will_disable => WillDisable,
    will_restore => WillRestore,
    will_soft_delete => WillSoftDelete,
    soft_deleted_left_scope => SoftDeletedLeftScope,
    disabled_then_removed => DisabledThenRemoved,
    delete_action_off => DeleteActionOff,
    staged_delete => StagedDelete,
    hard_deleted => HardDeleted,
}

#[test]
fn every_reason_has_a_test() {
    for r in Reason::ALL {
        assert!(TESTED.contains(r), "no test for {}", r.code());
    }
    for r in AttributeReason::ALL {
        assert!(ATTRIBUTE_TESTED.contains(r), "no test for {}", r.code());
    }
}

/// An attribute question; `next_value` is the target value after one more tick.
struct AttributeCase {
    case: Case,
    attribute: &'static str,
    next_value: Option<Option<&'static str>>,
}

fn attribute_case(reason: AttributeReason) -> AttributeCase {
    use AttributeReason::*;
    const A: &str = ATTRIBUTES;
    let plain = |user, attribute, tenant, after| AttributeCase {
        case: case(A, user, tenant, after),
        attribute,
        next_value: None,
    };
    match reason {
        AccountAbsent => plain("contoso/nestor", "city", "fabrikam", 1),
        NotManagedBySync => plain("walt", "city", "fabrikam", 1),
        NotMapped => plain("contoso/adele", "mobile", "fabrikam", 1),
        MappingDeleted => plain("contoso/adele", "mail", "fabrikam", 1),
        InSync => plain("contoso/adele", "city", "fabrikam", 1),
        CaseOnlyDifference => AttributeCase {
            next_value: Some(Some("marketing")),
            ..plain("contoso/megan", "department", "fabrikam", 1)
        },
        OnlyDuringCreation => plain("contoso/adele", "userType", "fabrikam", 1),
        TargetEditPersists => AttributeCase {
            next_value: Some(Some("Edited in Fabrikam")),
            ..plain("contoso/adele", "department", "fabrikam", 1)
        },
        TargetEditWillBeOverwritten => AttributeCase {
            case: Case {
                then: &[ADELE_MOVES],
                ..case(A, "contoso/adele", "fabrikam", 1)
            },
            attribute: "department",
            next_value: Some(Some("Marketing")),
        },
        PendingSourceChange => AttributeCase {
            case: Case {
                then: &[ADELE_MOVES],
                ..case(A, "contoso/adele", "fabrikam", 1)
            },
            attribute: "city",
            next_value: Some(Some("Redmond")),
        },
        NullNotProvisioned => plain("contoso/cleo", "city", "fabrikam", 1),
        SwitchQuirkCleared => plain("contoso/ada", "companyName", "fabrikam", 1),
        ExpressionDoesNotFlow => plain("contoso/jo", "extension_0a1b_costCenter", "fabrikam", 1),
        DefaultValueOnCreation => plain("contoso/jo", "jobTitle", "fabrikam", 1),
        UpdateActionOff => AttributeCase {
            case: Case {
                then: &[ADELE_MOVES],
                ..case(A, "contoso/adele", "frozen", 1)
            },
            attribute: "city",
            next_value: Some(Some("Seattle")),
        },
        UserOutOfScope => plain("contoso/ola", "city", "fabrikam", 1),
        ManagerNotProvisioned => plain("contoso/alex", "manager", "fabrikam", 1),
        ManagerRemovedNotCleared => plain("contoso/lynne", "manager", "fabrikam", 1),
        ManagerNotSupported => plain("contoso/adele", "manager", "gov", 1),
        UpnFromPendingInvitation => plain("contoso/pia", "userPrincipalName", "fabrikam", 1),
    }
}

fn run_attribute(reason: AttributeReason) {
    let c = attribute_case(reason);
    let (scenario, mut sim) = prepare(&c.case);
    let user = UserRef::parse(c.case.user);
    let e = explain::explain_attribute_in(&sim, &scenario, &user, c.case.tenant, c.attribute)
        .unwrap_or_else(|err| panic!("{}: {err}", reason.code()));
    let found: Vec<&str> = e.findings.iter().map(|f| f.reason.code()).collect();
    assert!(
        e.has(reason),
        "{}: not among the findings {found:?}\nverdict: {}",
        reason.code(),
        e.verdict
    );
    if reason.decision_topic().is_some() {
        assert!(e
            .findings
            .iter()
            .any(|f| f.reason == reason && f.decision.is_some()));
    }
    if let Some(expected) = c.next_value {
        sim.step();
        let after =
            explain::explain_attribute_in(&sim, &scenario, &user, c.case.tenant, c.attribute)
                .unwrap();
        assert_eq!(
            after.target_value.as_deref(),
            expected,
            "{}: the value after the next tick",
            reason.code()
        );
    }
}

macro_rules! attribute_tests {
    ($($name:ident => $reason:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_attribute(AttributeReason::$reason);
            }
        )*

        const ATTRIBUTE_TESTED: &[AttributeReason] = &[$(AttributeReason::$reason),*];
    };
}

attribute_tests! {
    attribute_account_absent => AccountAbsent,
    attribute_not_managed_by_sync => NotManagedBySync,
    attribute_not_mapped => NotMapped,
    attribute_mapping_deleted => MappingDeleted,
    attribute_in_sync => InSync,
    attribute_case_only_difference => CaseOnlyDifference,
    attribute_only_during_creation => OnlyDuringCreation,
    attribute_target_edit_persists => TargetEditPersists,
    attribute_target_edit_will_be_overwritten => TargetEditWillBeOverwritten,
    attribute_pending_source_change => PendingSourceChange,
    attribute_null_not_provisioned => NullNotProvisioned,
    attribute_switch_quirk_cleared => SwitchQuirkCleared,
    attribute_expression_does_not_flow => ExpressionDoesNotFlow,
    attribute_default_value_on_creation => DefaultValueOnCreation,
    attribute_update_action_off => UpdateActionOff,
    attribute_user_out_of_scope => UserOutOfScope,
    attribute_manager_not_provisioned => ManagerNotProvisioned,
    attribute_manager_removed_not_cleared => ManagerRemovedNotCleared,
    attribute_manager_not_supported => ManagerNotSupported,
    attribute_upn_from_pending_invitation => UpnFromPendingInvitation,
}

/// The chain of a skipped user names the failing clause and the user's actual value.
#[test]
fn the_chain_shows_each_clause_with_the_actual_value() {
    let scenario = scenario(SCOPE);
    let e = explain::explain(
        &scenario,
        &explain::ExplainRequest {
            user: UserRef::parse("contoso/sally"),
            tenant: "fabrikam".into(),
            after_tick: Some(0),
            attribute: None,
        },
    )
    .unwrap();
    let chain = &e.jobs[0];
    assert_eq!(
        chain.clauses[0].clause,
        "Filter external users.alternativeSecurityIds EQUALS 'None'"
    );
    assert!(chain.clauses[0].result);
    let clause = &chain.clauses[1];
    assert_eq!(clause.value.as_deref(), Some("sales"));
    assert!(!clause.result);
    assert!(
        clause.note.as_deref().unwrap().contains("letter case"),
        "{clause:?}"
    );
    assert_eq!(chain.assignment.passed, Some(true));
    assert_eq!(chain.scope.passed, Some(false));
    assert_eq!(
        chain.action.as_ref().unwrap().skip_reason.as_deref(),
        Some("NotEffectivelyEntitled")
    );
}

/// The history says when and why the account was soft deleted, with the command that caused it.
#[test]
fn the_history_names_the_soft_delete_and_its_cause() {
    let scenario = scenario(LIFECYCLE);
    let e = explain::explain(
        &scenario,
        &explain::ExplainRequest {
            user: UserRef::parse("contoso/adele"),
            tenant: "fabrikam".into(),
            after_tick: Some(2),
            attribute: None,
        },
    )
    .unwrap();
    let soft = e
        .history
        .iter()
        .find(|h| h.reason == Some(Reason::SoftDeletedLeftScope))
        .expect("a soft delete in the history");
    assert_eq!(soft.tick, 1);
    assert!(soft.text.contains("not assigned"), "{}", soft.text);
    assert!(e
        .history
        .iter()
        .any(|h| h.kind == "command" && h.text.contains("adele removed from group sync")));
    assert!(!e.present);
    assert!(
        e.verdict.contains("soft deleted at tick 1"),
        "{}",
        e.verdict
    );
}

#[test]
fn bad_requests_are_errors_naming_the_problem() {
    let scenario = scenario(SCOPE);
    let ask = |user: &str, tenant: &str| {
        explain::explain(
            &scenario,
            &explain::ExplainRequest {
                user: UserRef::parse(user),
                tenant: tenant.into(),
                after_tick: Some(0),
                attribute: None,
            },
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        ask("contoso/adele", "nowhere"),
        "tenant 'nowhere' does not exist"
    );
    assert_eq!(
        ask("contoso/zed", "fabrikam"),
        "user 'zed' does not exist in tenant 'contoso'"
    );
    assert_eq!(
        ask("zed", "fabrikam"),
        "no tenant has a user with id 'zed'; name it as tenant/user"
    );
}

/// docs/explain.md lists every reason by its code.
#[test]
fn the_documentation_lists_every_reason() {
    let doc = include_str!("../../docs/explain.md");
    for r in Reason::ALL {
        assert!(
            doc.contains(&format!("| `{}` |", r.code())),
            "docs/explain.md lacks {}",
            r.code()
        );
    }
    for r in AttributeReason::ALL {
        assert!(
            doc.contains(&format!("| `{}` |", r.code())),
            "docs/explain.md lacks {}",
            r.code()
        );
    }
}
