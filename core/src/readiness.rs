//! Readiness of a sync job: everything Entra needs before a configuration provisions anyone, as a
//! checklist an admin can act on, each missing item with a one-click fix made of [`Command`]s and
//! worded like the admin center. The playground's job inspector shows it; the rules live here so
//! that the web crate decides nothing about sync.
//!
//! The checks follow the connection test (`engine::policy`) — cloud pair, target "Allow users sync
//! into this tenant", automatic redemption on both sides — and add what the connection test does
//! not cover but a newcomer forgets: someone assigned, and the job started.

use crate::engine::directory::JobIdx;
use crate::engine::Simulation;
use crate::scenario::{
    Cloud, Command, CrossTenantAccess, JobState, PolicySetting, SyncScope, Tristate,
};

/// Which requirement an item checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Different clouds: both tenants must enable each other's cloud (Microsoft cloud settings).
    CrossCloud,
    /// Target: "Allow users sync into this tenant" for the source.
    TargetAllowsSync,
    /// Target: inbound "Automatically redeem invitations" for the source.
    TargetAutoRedemption,
    /// Source: outbound "Automatically redeem invitations" for the target.
    SourceAutoRedemption,
    /// Someone in scope: users or groups assigned, or "Sync all users and groups".
    SomeoneAssigned,
    /// Provisioning started (and not paused, quarantined or disabled).
    JobStarted,
}

impl Requirement {
    /// A stable name, for tests and `data-` hooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::CrossCloud => "crossCloud",
            Requirement::TargetAllowsSync => "targetAllowsSync",
            Requirement::TargetAutoRedemption => "targetAutoRedemption",
            Requirement::SourceAutoRedemption => "sourceAutoRedemption",
            Requirement::SomeoneAssigned => "someoneAssigned",
            Requirement::JobStarted => "jobStarted",
        }
    }
}

/// A one-click fix: the admin center's wording and the commands that make it so.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub label: String,
    pub commands: Vec<Command>,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessItem {
    pub requirement: Requirement,
    pub ready: bool,
    /// What is checked, where an admin finds it.
    pub label: String,
    /// The current value in the admin center's words (e.g. "Off — Inherited from default").
    pub detail: String,
    /// `None` when ready, or when there is no single right fix (who to assign is the admin's choice).
    pub fix: Option<Fix>,
}

/// A cross-tenant access setting as the admin center shows it for one partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingView {
    /// The value in effect.
    pub effective: bool,
    /// "Customized" (set for this partner) rather than "Inherited from default".
    pub customized: bool,
}

impl SettingView {
    /// "On — Customized", "Off — Inherited from default", …
    pub fn describe(self) -> String {
        format!(
            "{} — {}",
            if self.effective { "On" } else { "Off" },
            if self.customized {
                "Customized"
            } else {
                "Inherited from default"
            }
        )
    }
}

/// How `setting` reads in `access` for `partner`. "Allow users sync into this tenant" has no
/// tenant default: inherited means off.
pub fn setting_view(
    access: &CrossTenantAccess,
    partner: &str,
    setting: PolicySetting,
) -> SettingView {
    let p = access.partner(partner);
    let (value, default) = match setting {
        PolicySetting::IsSyncAllowed => (
            p.map(|p| p.identity_synchronization.user_sync_inbound.is_sync_allowed),
            false,
        ),
        PolicySetting::InboundAllowed => (
            p.map(|p| p.automatic_user_consent_settings.inbound_allowed),
            access
                .default
                .automatic_user_consent_settings
                .inbound_allowed,
        ),
        PolicySetting::OutboundAllowed => (
            p.map(|p| p.automatic_user_consent_settings.outbound_allowed),
            access
                .default
                .automatic_user_consent_settings
                .outbound_allowed,
        ),
    };
    let value = value.unwrap_or(Tristate::Inherited);
    SettingView {
        effective: value.resolve(default),
        customized: !value.is_inherited(),
    }
}

/// Whether the tenant default of `setting` exists (only automatic redemption has one).
pub fn has_default(setting: PolicySetting) -> bool {
    !matches!(setting, PolicySetting::IsSyncAllowed)
}

/// The checklist of job `j` in the simulation's current state (configuration changes made by the
/// timeline so far included), in the order an admin works through it.
pub fn job_readiness(sim: &Simulation, j: JobIdx) -> Vec<ReadinessItem> {
    let job = sim.job(j);
    let source = sim.tenant(job.source);
    let target = sim.tenant(job.target);
    let (source_id, target_id) = (source.id.to_string(), target.id.to_string());
    let mut items = Vec::new();

    if source.cloud != target.cloud {
        let supported = matches!(
            (source.cloud, target.cloud),
            (Cloud::Commercial, Cloud::UsGovernment)
                | (Cloud::UsGovernment, Cloud::Commercial)
                | (Cloud::Commercial, Cloud::China21Vianet)
        );
        let source_ok = source.microsoft_cloud_settings.contains(&target.cloud);
        let target_ok = target.microsoft_cloud_settings.contains(&source.cloud);
        let ready = supported && source_ok && target_ok;
        let fix = (!ready && supported).then(|| {
            let with = |mut clouds: Vec<Cloud>, cloud: Cloud| {
                if !clouds.contains(&cloud) {
                    clouds.push(cloud);
                }
                clouds
            };
            Fix {
                label: "Enable Microsoft cloud settings in both tenants".into(),
                commands: vec![
                    Command::SetMicrosoftCloudSettings {
                        tenant: source_id.clone(),
                        clouds: with(source.microsoft_cloud_settings.clone(), target.cloud),
                    },
                    Command::SetMicrosoftCloudSettings {
                        tenant: target_id.clone(),
                        clouds: with(target.microsoft_cloud_settings.clone(), source.cloud),
                    },
                ],
            }
        });
        items.push(ReadinessItem {
            requirement: Requirement::CrossCloud,
            ready,
            label: format!(
                "Microsoft cloud settings: {} and {} collaborate",
                source.cloud.display_name(),
                target.cloud.display_name()
            ),
            detail: if !supported {
                "This pair of clouds is not supported for cross-tenant synchronization".into()
            } else if ready {
                "Enabled in both tenants".into()
            } else {
                format!(
                    "Source {}, target {}",
                    if source_ok { "enabled" } else { "not enabled" },
                    if target_ok { "enabled" } else { "not enabled" }
                )
            },
            fix,
        });
    }

    let set = |tenant: &str, partner: &str, setting| Command::SetCrossTenantAccess {
        tenant: tenant.to_string(),
        partner: Some(partner.to_string()),
        setting,
        value: Some(true),
    };
    let sync = setting_view(&target.access, &source_id, PolicySetting::IsSyncAllowed);
    let inbound = setting_view(&target.access, &source_id, PolicySetting::InboundAllowed);
    let outbound = setting_view(&source.access, &target_id, PolicySetting::OutboundAllowed);

    let mut sync_fix = vec![set(&target_id, &source_id, PolicySetting::IsSyncAllowed)];
    if !inbound.effective {
        sync_fix.push(set(&target_id, &source_id, PolicySetting::InboundAllowed));
    }
    items.push(ReadinessItem {
        requirement: Requirement::TargetAllowsSync,
        ready: sync.effective,
        label: format!(
            "{}: Inbound access › Cross-tenant sync › \"Allow users sync into this tenant\" for {}",
            target.display_name, source.display_name
        ),
        detail: sync.describe(),
        fix: (!sync.effective).then(|| Fix {
            label: if inbound.effective {
                "Enable cross-tenant sync".into()
            } else {
                "Enable cross-tenant sync and auto-redemption".into()
            },
            commands: sync_fix,
        }),
    });
    items.push(ReadinessItem {
        requirement: Requirement::TargetAutoRedemption,
        ready: inbound.effective,
        label: format!(
            "{}: Inbound access › Trust settings › \"Automatically redeem invitations with the tenant {}\"",
            target.display_name, source.display_name
        ),
        detail: inbound.describe(),
        fix: (!inbound.effective).then(|| Fix {
            label: "Automatically redeem invitations (inbound)".into(),
            commands: vec![set(&target_id, &source_id, PolicySetting::InboundAllowed)],
        }),
    });
    items.push(ReadinessItem {
        requirement: Requirement::SourceAutoRedemption,
        ready: outbound.effective,
        label: format!(
            "{}: Outbound access › Trust settings › \"Automatically redeem invitations with the tenant {}\"",
            source.display_name, target.display_name
        ),
        detail: outbound.describe(),
        fix: (!outbound.effective).then(|| Fix {
            label: "Automatically redeem invitations (outbound)".into(),
            commands: vec![set(&source_id, &target_id, PolicySetting::OutboundAllowed)],
        }),
    });

    let dir = &source.dir;
    let sync_all = job.effective_scope == SyncScope::All;
    let users = job
        .config
        .assigned_users
        .iter()
        .filter(|id| dir.user_by_local_id(id).is_some())
        .count();
    let groups_with_members = job
        .config
        .assigned_groups
        .iter()
        .filter_map(|id| dir.group_by_id(id))
        .filter(|g| !dir.groups[*g as usize].member_users.is_empty())
        .count();
    let assigned = sync_all || users > 0 || groups_with_members > 0;
    items.push(ReadinessItem {
        requirement: Requirement::SomeoneAssigned,
        ready: assigned,
        label: "Users and groups: someone is assigned to the configuration".into(),
        detail: if sync_all {
            "Scope: Sync all users and groups".into()
        } else if assigned {
            format!(
                "{} user{} and {} group{} with direct members assigned",
                users,
                if users == 1 { "" } else { "s" },
                groups_with_members,
                if groups_with_members == 1 { "" } else { "s" }
            )
        } else if !job.config.assigned_groups.is_empty() {
            "The assigned groups have no direct user members (nested members are not in scope)"
                .into()
        } else {
            "Scope: Sync only assigned users and groups — nobody is assigned".into()
        },
        fix: None,
    });

    let started = job.config.state == JobState::Started && !job.disabled;
    items.push(ReadinessItem {
        requirement: Requirement::JobStarted,
        ready: started && job.quarantine.is_none(),
        label: "Provisioning status: On (Start provisioning)".into(),
        detail: match (job.config.state, job.disabled, &job.quarantine) {
            (_, true, _) => "Disabled after more than four weeks in quarantine".into(),
            (JobState::Started, false, Some(q)) => format!("In quarantine ({})", q.reason.as_str()),
            (JobState::Started, false, None) => "Started".into(),
            (JobState::Paused, ..) => "Paused".into(),
            (JobState::NotStarted, ..) => "Not started".into(),
        },
        fix: if job.disabled || job.quarantine.is_some() && started {
            Some(Fix {
                label: "Restart provisioning".into(),
                commands: vec![Command::RestartJob {
                    job: job.config.id.clone(),
                }],
            })
        } else if !started {
            Some(Fix {
                label: "Start provisioning".into(),
                commands: vec![Command::StartJob {
                    job: job.config.id.clone(),
                }],
            })
        } else {
            None
        },
    });
    items
}

/// Every fix of the checklist, in order, as one list of commands ("Fix all").
pub fn all_fixes(items: &[ReadinessItem]) -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    for command in items
        .iter()
        .filter_map(|i| i.fix.as_ref())
        .flat_map(|f| &f.commands)
    {
        if !out.contains(command) {
            out.push(command.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::engine::event::{ErrorCode, Event, JobEventKind};
    use crate::scenario::{Scenario, SyncJob, Tenant};

    fn scenario() -> Scenario {
        let mut s = Scenario::from_json(include_str!(
            "../../scenarios/examples/configure-example.json"
        ))
        .unwrap();
        // A new tenant with Entra's defaults, and a new configuration into it with Entra's defaults.
        let tenant: Tenant = serde_json::from_str(
            r#"{"id":"new","displayName":"New tenant","users":[{"id":"x","userPrincipalName":"x@new.example"}]}"#,
        )
        .unwrap();
        s.edit_at(
            0,
            Command::AddTenant {
                tenant: Box::new(tenant),
            },
        )
        .unwrap();
        s.edit_at(
            0,
            Command::AddJob {
                job: Box::new(SyncJob::new("source-to-new", "source", "new")),
            },
        )
        .unwrap();
        s
    }

    fn requirements(items: &[ReadinessItem]) -> Vec<(&'static str, bool)> {
        items
            .iter()
            .map(|i| (i.requirement.as_str(), i.ready))
            .collect()
    }

    #[test]
    fn a_new_configuration_lists_everything_missing() {
        let s = scenario();
        let sim = Simulation::new(&s);
        let items = job_readiness(&sim, sim.job_index("source-to-new").unwrap());
        assert_eq!(
            requirements(&items),
            [
                ("targetAllowsSync", false),
                ("targetAutoRedemption", false),
                ("sourceAutoRedemption", false),
                ("someoneAssigned", false),
                ("jobStarted", false),
            ]
        );
        assert_eq!(items[0].detail, "Off — Inherited from default");
        assert_eq!(
            items[0].fix.as_ref().unwrap().label,
            "Enable cross-tenant sync and auto-redemption"
        );
        assert!(
            items[3].fix.is_none(),
            "who to assign is the admin's choice"
        );
    }

    #[test]
    fn the_documented_example_is_ready() {
        let s = scenario();
        let sim = Simulation::new(&s);
        let items = job_readiness(&sim, sim.job_index("source-to-target").unwrap());
        assert!(items.iter().all(|i| i.ready), "{items:#?}");
        assert_eq!(items[0].detail, "On — Customized");
        assert_eq!(items[2].detail, "On — Customized");
    }

    /// Configure doc: with the fixes applied and a group assigned, the connection test passes and
    /// users are created.
    #[test]
    fn applying_every_fix_and_assigning_a_group_makes_the_job_provision() {
        let mut s = scenario();
        let sim = Simulation::new(&s);
        let j = sim.job_index("source-to-new").unwrap();
        for command in all_fixes(&job_readiness(&sim, j)) {
            s.edit_at(0, command).unwrap();
        }
        s.edit_at(
            0,
            Command::AssignGroup {
                job: "source-to-new".into(),
                group: "all-staff".into(),
            },
        )
        .unwrap();
        let mut sim = Simulation::new(&s);
        assert!(job_readiness(&sim, j).iter().all(|i| i.ready));
        sim.step();
        let created = sim
            .events_of_tick(0)
            .iter()
            .filter(|e| matches!(e, Event::Object(o) if o.job == j && o.effect == crate::engine::event::Effect::Created))
            .count();
        assert_eq!(created, 3);
    }

    #[test]
    fn a_default_that_allows_redemption_is_inherited() {
        let mut s = scenario();
        s.edit_at(
            0,
            Command::SetCrossTenantAccess {
                tenant: "new".into(),
                partner: None,
                setting: PolicySetting::InboundAllowed,
                value: Some(true),
            },
        )
        .unwrap();
        let sim = Simulation::new(&s);
        let items = job_readiness(&sim, sim.job_index("source-to-new").unwrap());
        assert_eq!(items[1].detail, "On — Inherited from default");
        assert!(items[1].ready);
        assert_eq!(
            items[0].fix.as_ref().unwrap().label,
            "Enable cross-tenant sync"
        );
        assert_eq!(items[0].fix.as_ref().unwrap().commands.len(), 1);
    }

    #[test]
    fn the_checklist_matches_the_connection_test() {
        let s = scenario();
        let mut sim = Simulation::new(&s);
        let j = sim.job_index("source-to-new").unwrap();
        sim.apply(&Command::StartJob {
            job: "source-to-new".into(),
        });
        sim.step();
        let failure = sim.events_of_tick(0).iter().find_map(|e| match e {
            Event::Job(je) if je.job == j => match &je.kind {
                JobEventKind::ConnectionTestFailed(err) => Some(err.code),
                _ => None,
            },
            _ => None,
        });
        assert_eq!(
            failure,
            Some(ErrorCode::AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure)
        );
        let items = job_readiness(&sim, j);
        assert!(!items[0].ready);
        assert!(items[4].ready, "started");
    }
}
