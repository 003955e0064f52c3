//! What the playground needs around an explanation: the one-click fix of a finding (where there is
//! one right fix, made of the same [`Command`]s and worded like the admin center as the job's
//! readiness checklist), and the people a tenant's directory is missing — the "empty spots" an
//! admin can ask "why isn't this user here?" about.

use super::{Explanation, Finding, Reason};
use crate::engine::directory::{TenantIdx, UserIdx};
use crate::engine::Simulation;
use crate::readiness::{self, Fix, Requirement};
use crate::scenario::{Command, ExternalUserState, UserRef};

/// The one-click fix of `finding` (a finding of `explanation`), when the fix is not the admin's
/// choice: a connection-test setting (the readiness checklist's fix for that job), starting the
/// job, assigning the person to the job directly, or turning off their SMS sign-in. Scoping
/// filters, mappings and matching conflicts have no single right fix: `None`.
pub fn one_click_fix(
    sim: &Simulation,
    explanation: &Explanation,
    finding: &Finding,
) -> Option<Fix> {
    let job_id = finding.job.as_deref()?;
    let j = sim.job_index(job_id)?;
    let chain = explanation.jobs.iter().find(|c| c.job == job_id);
    let readiness_fix = |requirement: Requirement| {
        readiness::job_readiness(sim, j)
            .into_iter()
            .find(|item| item.requirement == requirement && !item.ready)
            .and_then(|item| item.fix)
    };
    let person = &explanation.person;
    let direct = chain.is_some_and(|c| !c.relay);
    match finding.reason {
        Reason::CrossCloudNotConfigured => readiness_fix(Requirement::CrossCloud),
        Reason::InboundSyncNotAllowed => readiness_fix(Requirement::TargetAllowsSync),
        Reason::InboundRedemptionMissing => readiness_fix(Requirement::TargetAutoRedemption),
        Reason::OutboundRedemptionMissing => readiness_fix(Requirement::SourceAutoRedemption),
        Reason::JobNotStarted
        | Reason::JobPaused
        | Reason::JobQuarantined
        | Reason::JobDisabled => readiness_fix(Requirement::JobStarted),
        Reason::NotAssigned | Reason::NestedGroupOnly if direct && !person.home_user.is_empty() => {
            let name = shown_name(person);
            Some(Fix {
                label: format!("Assign {name} to {job_id} (Users and groups › Add user/group)"),
                commands: vec![Command::AssignUser {
                    job: job_id.to_string(),
                    user: person.home_user.clone(),
                }],
            })
        }
        Reason::SmsSignIn if direct && !person.home_user.is_empty() => Some(Fix {
            label: format!("Turn off SMS sign-in for {}", shown_name(person)),
            commands: vec![Command::SetSmsSignIn {
                tenant: person.home_tenant.clone(),
                user: UserRef::Local(person.home_user.clone()),
                enabled: false,
            }],
        }),
        _ => None,
    }
}

fn shown_name(person: &super::Person) -> &str {
    if person.display_name.is_empty() {
        &person.user_principal_name
    } else {
        &person.display_name
    }
}

/// A person of another tenant of the scenario, as a "why isn't … here?" picker offers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absentee {
    /// The home tenant's id.
    pub tenant: String,
    /// The home user's scenario id.
    pub user: String,
    pub display_name: String,
    pub user_principal_name: String,
    /// Whether a (not deleted) sync job from the home tenant targets the tenant asked about.
    pub job_from_home: bool,
}

impl Absentee {
    /// The reference explain takes: `tenant/user`.
    pub fn reference(&self) -> UserRef {
        UserRef::Home {
            tenant: self.tenant.clone(),
            user: self.user.clone(),
        }
    }
}

/// The internal users of every other tenant who are not present in tenant `t` (no active,
/// redeemed account there — the same "present" as [`super::explain_user`]): those whose home
/// tenant has a sync job into `t` first, then the rest, each group in scenario order.
pub fn absentees(sim: &Simulation, t: TenantIdx) -> Vec<Absentee> {
    let mut present: std::collections::HashSet<(TenantIdx, UserIdx)> =
        std::collections::HashSet::new();
    for x in &sim.tenant(t).dir.users {
        if !x.is_active() {
            continue;
        }
        if let Some(home) = &x.external {
            if let (Some(ht), Some(hu), ExternalUserState::Accepted) =
                (home.tenant, home.user, home.state)
            {
                present.insert((ht, hu));
            }
        }
    }
    let mut with_job = Vec::new();
    let mut without = Vec::new();
    for h in 0..sim.tenants.len() as TenantIdx {
        if h == t {
            continue;
        }
        let job_from_home = sim
            .jobs
            .iter()
            .any(|j| !j.deleted && j.source == h && j.target == t);
        let home = sim.tenant(h);
        for (u, x) in home.dir.users.iter().enumerate() {
            let Some(id) = &x.local_id else { continue };
            if !x.is_internal() || !x.exists() || present.contains(&(h, u as UserIdx)) {
                continue;
            }
            let entry = Absentee {
                tenant: home.id.to_string(),
                user: id.to_string(),
                display_name: x.display_name().to_string(),
                user_principal_name: x.upn().to_string(),
                job_from_home,
            };
            if job_from_home {
                with_job.push(entry);
            } else {
                without.push(entry);
            }
        }
    }
    with_job.extend(without);
    with_job
}
