//! Property tests: random command sequences never panic the engine, and its invariants hold after
//! every tick — no loops (a tenant never holds an external account of its own user), accounts sync
//! created are external, links point at accounts that exist, and replaying gives the same log.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use ctsync_core::scenario::{
    AccidentalDeletionPrevention, Command, FilterClause, FilterOperator, PolicySetting,
    ScopingFilter, SyncScope, TargetObjectActions, TargetOperand, UserRef,
};
use ctsync_core::{Scenario, Simulation};
use proptest::prelude::*;

const BASE: &str = include_str!("../../scenarios/examples/mesh.json");

fn base() -> Scenario {
    Scenario::from_json(BASE).unwrap()
}

/// A strategy over commands that make sense for the mesh template (and some that do not).
fn command(s: &Scenario) -> impl Strategy<Value = Command> {
    let tenants: Vec<String> = s.tenants.iter().map(|t| t.id.clone()).collect();
    let jobs: Vec<String> = s.jobs.iter().map(|j| j.id.clone()).collect();
    let users: Vec<(String, String)> = s
        .tenants
        .iter()
        .flat_map(|t| t.users.iter().map(move |u| (t.id.clone(), u.id.clone())))
        .collect();
    let t = proptest::sample::select(tenants.clone());
    let t2 = proptest::sample::select(tenants);
    let j = proptest::sample::select(jobs);
    let u = proptest::sample::select(users);
    let attr = proptest::sample::select(vec![
        "department",
        "jobTitle",
        "city",
        "displayName",
        "companyName",
    ]);
    let value = proptest::option::of(proptest::sample::select(vec![
        "Sales",
        "Marketing",
        "",
        "Ünïcödé",
        "x@y",
    ]));
    let setting = proptest::sample::select(vec![
        PolicySetting::IsSyncAllowed,
        PolicySetting::InboundAllowed,
        PolicySetting::OutboundAllowed,
    ]);
    prop_oneof![
        (u.clone(), attr, value).prop_map(|((t, u), a, v)| Command::SetAttributes {
            tenant: t,
            user: UserRef::Local(u),
            attributes: BTreeMap::from([(a.to_string(), v.map(str::to_string))]),
        }),
        u.clone().prop_map(|(t, u)| Command::BlockSignIn {
            tenant: t,
            user: UserRef::Local(u)
        }),
        u.clone().prop_map(|(t, u)| Command::AllowSignIn {
            tenant: t,
            user: UserRef::Local(u)
        }),
        u.clone().prop_map(|(t, u)| Command::DeleteUser {
            tenant: t,
            user: UserRef::Local(u)
        }),
        u.clone().prop_map(|(t, u)| Command::RestoreUser {
            tenant: t,
            user: UserRef::Local(u)
        }),
        u.clone().prop_map(|(t, u)| Command::PurgeUser {
            tenant: t,
            user: UserRef::Local(u)
        }),
        (u.clone(), t.clone()).prop_map(|((home, u), t)| Command::BlockSignIn {
            tenant: t,
            user: UserRef::Home {
                tenant: home,
                user: u
            }
        }),
        (u.clone(), t.clone()).prop_map(|((home, u), t)| Command::DeleteUser {
            tenant: t,
            user: UserRef::Home {
                tenant: home,
                user: u
            }
        }),
        (u.clone(), t.clone()).prop_map(|((home, u), t)| Command::PurgeUser {
            tenant: t,
            user: UserRef::Home {
                tenant: home,
                user: u
            }
        }),
        (t.clone(), t2, setting, proptest::option::of(any::<bool>())).prop_map(|(t, p, s, v)| {
            Command::SetCrossTenantAccess {
                tenant: t,
                partner: Some(p),
                setting: s,
                value: v,
            }
        }),
        j.clone().prop_map(|j| Command::StartJob { job: j }),
        j.clone().prop_map(|j| Command::PauseJob { job: j }),
        j.clone().prop_map(|j| Command::RestartJob { job: j }),
        j.clone().prop_map(|j| Command::AllowDeletes { job: j }),
        j.clone().prop_map(|j| Command::DeleteJob { job: j }),
        (j.clone(), any::<bool>()).prop_map(|(j, all)| Command::SetScope {
            job: j,
            scope: if all {
                SyncScope::All
            } else {
                SyncScope::Assigned
            }
        }),
        (j.clone(), u.clone()).prop_map(|(j, (_, u))| Command::AssignUser { job: j, user: u }),
        (j.clone(), u.clone())
            .prop_map(|(j, (_, u))| Command::ProvisionOnDemand { job: j, user: u }),
        (j.clone(), any::<bool>()).prop_map(|(j, d)| Command::SetTargetObjectActions {
            job: j,
            target_object_actions: TargetObjectActions {
                create: true,
                update: true,
                delete: d
            }
        }),
        (j.clone(), 0u32..4).prop_map(|(j, n)| Command::SetAccidentalDeletionPrevention {
            job: j,
            accidental_deletion_prevention: AccidentalDeletionPrevention {
                enabled: n > 0,
                threshold: n.max(1)
            }
        }),
        j.prop_map(|j| Command::SetScopingFilters {
            job: j,
            scoping_filters: vec![ScopingFilter {
                name: "Sales".into(),
                clauses: vec![FilterClause {
                    source_operand_name: "department".into(),
                    operator_name: FilterOperator::NotEquals,
                    target_operand: TargetOperand {
                        values: vec!["Sales".into()]
                    },
                }],
            }],
        }),
    ]
}

/// Checks the invariants that must hold after every tick.
fn check_invariants(sim: &Simulation) -> Result<(), String> {
    for (t, tenant) in sim.tenants.iter().enumerate() {
        for u in tenant.dir.users.iter().filter(|u| u.exists()) {
            if let Some(home) = &u.external {
                if home.tenant == Some(t as u16) {
                    return Err(format!(
                        "loop: {} holds an external account of its own user",
                        tenant.id
                    ));
                }
            }
            if u.created_by.is_some() && u.external.is_none() {
                return Err(format!(
                    "{}: an account created by sync is internal",
                    u.upn()
                ));
            }
        }
    }
    for job in &sim.jobs {
        let target = &sim.tenant(job.target).dir;
        for link in job.links.values() {
            if link.target as usize >= target.users.len() {
                return Err(format!("{}: link to a missing account", job.config.id));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_commands_never_break_the_engine(
        steps in proptest::collection::vec((proptest::collection::vec(command(&base()), 0..4), 1u64..4), 1..12)
    ) {
        let scenario = base();
        let mut sim = Simulation::new(&scenario);
        let mut replay = Simulation::new(&scenario);
        for (commands, ticks) in &steps {
            for c in commands {
                sim.apply(c);
                replay.apply(c);
            }
            for _ in 0..*ticks {
                sim.step();
                replay.step();
                if let Err(e) = check_invariants(&sim) {
                    return Err(TestCaseError::fail(e));
                }
            }
        }
        let lines = |s: &Simulation| s.events().iter().map(|e| s.event_json(e).to_string()).collect::<Vec<_>>();
        prop_assert_eq!(lines(&sim), lines(&replay));
    }
}
