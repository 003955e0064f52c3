//! What already happened to a person with respect to one tenant: the provisioning log entries of
//! the jobs that concern them, the recycle bin's permanent deletions of their accounts, and the
//! timeline commands that touched them — each in words, soft deletions with their cause.

use serde::Serialize;

use super::{JobChain, Reason};
use crate::clock::Tick;
use crate::engine::directory::{TenantIdx, UserIdx};
use crate::engine::event::{DirectoryEventKind, Effect, Event};
use crate::engine::Simulation;
use crate::scenario::{Command, Scenario, UserRef};

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub tick: Tick,
    /// `command`, `event` (provisioning log) or `directory`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    pub text: String,
    /// The reason this entry illustrates, for soft and hard deletions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

pub(super) fn entries(
    sim: &Simulation,
    scenario: &Scenario,
    t: TenantIdx,
    home_t: TenantIdx,
    home_u: UserIdx,
    accounts: &[UserIdx],
    chains: &[JobChain],
) -> Vec<HistoryEntry> {
    let mut out = Vec::new();
    // The source users whose events concern the person: the home user, and their accounts in the
    // hubs of relay chains.
    let mut sources: Vec<(TenantIdx, UserIdx)> = vec![(home_t, home_u)];
    for c in chains.iter().filter(|c| c.relay) {
        if let Some(hub) = sim.tenant_index(&c.source) {
            for (i, x) in sim.tenant(hub).dir.users.iter().enumerate() {
                if x.external
                    .as_ref()
                    .is_some_and(|h| h.tenant == Some(home_t) && h.user == Some(home_u))
                {
                    sources.push((hub, i as UserIdx));
                }
            }
        }
    }
    let home_local = sim.tenant(home_t).dir.user(home_u).local_id.clone();
    let home_id = sim.tenant(home_t).id.clone();
    for c in sim.applied_commands() {
        let Some(i) = c.timeline_index else { continue };
        let Some(entry) = scenario.timeline.get(i) else {
            continue;
        };
        if command_concerns(&entry.command, &home_id, home_local.as_deref(), sim, t) {
            out.push(HistoryEntry {
                tick: c.tick,
                kind: "command".into(),
                job: None,
                text: match &c.rejected {
                    None => c.summary.clone(),
                    Some(why) => format!("{} — not applied: {why}", c.summary),
                },
                reason: None,
            });
        }
    }
    for event in sim.events() {
        match event {
            Event::Object(e) => {
                if e.target_tenant != t || !sources.contains(&(e.source_tenant, e.source_user)) {
                    continue;
                }
                let mut text = sim.event_line(event);
                // The line starts with "tick N  "; the entry carries the tick already.
                if let Some(at) = text.find('[') {
                    text = text[at..].to_string();
                }
                let reason = match e.effect {
                    Effect::SoftDeleted => {
                        if let Some(scope) = &e.scope {
                            text.push_str(&format!(
                                " — soft deleted because the user left scope: {}",
                                sim.scope_summary(e.job, scope)
                            ));
                        }
                        Some(Reason::SoftDeletedLeftScope)
                    }
                    Effect::HardDeleted => Some(Reason::HardDeleted),
                    Effect::Restored => Some(Reason::WillRestore),
                    _ => None,
                };
                out.push(HistoryEntry {
                    tick: e.tick,
                    kind: "event".into(),
                    job: Some(sim.job(e.job).config.id.clone()),
                    text,
                    reason,
                });
            }
            Event::Directory(d) => {
                if d.tenant == t && accounts.contains(&d.user) {
                    let text = match d.kind {
                        DirectoryEventKind::RecycleBinPurged => format!(
                            "{} deleted permanently: 30 days in {}'s recycle bin are over",
                            d.upn,
                            sim.tenant(t).id
                        ),
                    };
                    out.push(HistoryEntry {
                        tick: d.tick,
                        kind: "directory".into(),
                        job: None,
                        text,
                        reason: Some(Reason::HardDeleted),
                    });
                }
            }
            Event::Downstream(d) => {
                if d.tenant == t && accounts.contains(&d.user) {
                    out.push(HistoryEntry {
                        tick: d.tick,
                        kind: "downstream".into(),
                        job: None,
                        text: sim
                            .event_line(event)
                            .split_once('[')
                            .map(|(_, rest)| format!("[{rest}"))
                            .unwrap_or_default(),
                        reason: None,
                    });
                }
            }
            Event::Job(_) => {}
        }
    }
    // Commands apply before the tick's cycles: keep that order within a tick.
    crate::sort::sort_by_key(&mut out, |e| (e.tick, e.kind != "command"));
    out
}

/// Whether a timeline command is about the person: a change to the home user, their group
/// memberships or assignments in the home tenant, or an admin action on their account in `t`.
fn command_concerns(
    command: &Command,
    home_tenant: &str,
    home_local: Option<&str>,
    sim: &Simulation,
    t: TenantIdx,
) -> bool {
    let Some(home_local) = home_local else {
        return false;
    };
    let target = &*sim.tenant(t).id;
    let is_person = |tenant: &str, user: &UserRef| match user {
        UserRef::Local(id) => tenant == home_tenant && id == home_local,
        UserRef::Home { tenant: h, user } => h == home_tenant && user == home_local,
    };
    if let Some((tenant, user)) = command.user() {
        return (tenant == home_tenant || tenant == target) && is_person(tenant, user);
    }
    match command {
        Command::AddGroupMember { tenant, member, .. }
        | Command::RemoveGroupMember { tenant, member, .. } => {
            tenant == home_tenant && member == home_local
        }
        Command::AssignUser { job, user }
        | Command::UnassignUser { job, user }
        | Command::ProvisionOnDemand { job, user } => {
            user == home_local
                && sim
                    .job_index(job)
                    .is_some_and(|j| &*sim.tenant(sim.job(j).source).id == home_tenant)
        }
        Command::SetCrossTenantAccess {
            tenant, partner, ..
        } => {
            (tenant == target && partner.as_deref() == Some(home_tenant))
                || (tenant == home_tenant && partner.as_deref() == Some(target))
        }
        // A job's history is the person's when the job runs from their home into this tenant (the
        // user-level job commands are above; adding a job changes nothing until it runs).
        Command::AddJob { .. } => false,
        _ => command.job().is_some_and(|job| {
            sim.job_index(job).is_some_and(|j| {
                let x = sim.job(j);
                &*sim.tenant(x.source).id == home_tenant && x.target == t
            })
        }),
    }
}
