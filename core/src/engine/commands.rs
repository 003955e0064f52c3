//! Applying commands to a running simulation: directory changes (which the change journal
//! records for incremental cycles), target-admin actions, policy changes and job commands.

use super::attrs::{known, AttrValue};
use super::directory::{DeletedBy, JobIdx, Member, TenantIdx, UserIdx};
use super::event::{Event, JobEvent, JobEventKind};
use super::{cycle, AppliedCommand, Simulation};
use crate::clock::Tick;
use crate::scenario::{Command, JobState, PolicySetting, SyncJob, SyncScope, UserRef};

type Outcome = Result<(), String>;

impl Simulation {
    /// Applies `command` in `tick`; a command that cannot apply is recorded as rejected.
    pub(super) fn apply_at(
        &mut self,
        tick: Tick,
        timeline_index: Option<usize>,
        command: &Command,
    ) {
        let result = self.execute(tick, command);
        self.commands.push(AppliedCommand {
            tick,
            timeline_index,
            name: command.name(),
            summary: summarize(command),
            rejected: result.err(),
        });
    }

    fn tenant_of(&self, id: &str) -> Result<TenantIdx, String> {
        match self.tenant_index(id) {
            Some(t) if !self.tenant(t).deleted => Ok(t),
            Some(_) => Err(format!("tenant '{id}' was deleted")),
            None => Err(format!("tenant '{id}' does not exist")),
        }
    }

    /// Ends a sync configuration: its state is gone; the accounts it provisioned stay.
    fn end_job(&mut self, tick: Tick, j: JobIdx) {
        let runtime = &mut self.jobs[j as usize];
        runtime.deleted = true;
        runtime.links.clear();
        runtime.escrows.clear();
        runtime.quarantine = None;
        self.job_event(tick, j, JobEventKind::Deleted);
    }

    fn job_of(&self, id: &str) -> Result<JobIdx, String> {
        match self.job_index(id) {
            Some(j) if !self.jobs[j as usize].deleted => Ok(j),
            Some(_) => Err(format!("sync job '{id}' was deleted")),
            None => Err(format!("sync job '{id}' does not exist")),
        }
    }

    /// Changes a job's filters or mappings: they are recompiled and the next cycle is an initial one.
    fn recompile_job(&mut self, id: &str, change: impl FnOnce(&mut SyncJob)) -> Result<(), String> {
        let j = self.job_of(id)?;
        let runtime = &mut self.jobs[j as usize];
        change(&mut runtime.config);
        runtime.recompile(&mut self.names);
        runtime.needs_initial = true;
        Ok(())
    }

    /// The one account a reference names in tenant `t` (the first, if a duplicate exists).
    fn one_user(&self, t: TenantIdx, user: &UserRef) -> Result<UserIdx, String> {
        self.resolve_user_ref(t, user)
            .into_iter()
            .next()
            .ok_or_else(|| {
                format!(
                    "user '{user}' does not exist in tenant '{}'",
                    self.tenant(t).id
                )
            })
    }

    fn source_user(&self, j: JobIdx, id: &str) -> Result<UserIdx, String> {
        let t = self.job(j).source;
        self.tenant(t).dir.user_by_local_id(id).ok_or_else(|| {
            format!(
                "user '{id}' does not exist in tenant '{}'",
                self.tenant(t).id
            )
        })
    }

    fn source_group(&self, j: JobIdx, id: &str) -> Result<u32, String> {
        let t = self.job(j).source;
        self.tenant(t).dir.group_by_id(id).ok_or_else(|| {
            format!(
                "group '{id}' does not exist in tenant '{}'",
                self.tenant(t).id
            )
        })
    }

    fn job_event(&mut self, tick: Tick, j: JobIdx, kind: JobEventKind) {
        self.push_event(Event::Job(Box::new(JobEvent { tick, job: j, kind })));
    }

    /// When an account created by sync is deleted for good in the target (for example the user
    /// left the organization), the job provisions it again in its next cycle.
    fn note_target_account_gone(&mut self, t: TenantIdx, u: UserIdx) {
        let Some(job) = self.tenant(t).dir.user(u).created_by else {
            return;
        };
        let j = &mut self.jobs[job as usize];
        let sources: Vec<UserIdx> = j
            .links
            .iter()
            .filter(|(_, l)| l.target == u)
            .map(|(s, _)| s)
            .collect();
        j.pending.extend(sources);
    }

    fn execute(&mut self, tick: Tick, command: &Command) -> Outcome {
        match command {
            Command::AddUser { tenant, user } => {
                let t = self.tenant_of(tenant)?;
                if self.tenant(t).dir.user_by_local_id(&user.id).is_some() {
                    return Err(format!("user '{}' already exists", user.id));
                }
                let u = self.add_scenario_user(t, user)?;
                if let Some(manager) = &user.manager {
                    let m = self.one_user(t, &UserRef::Local(manager.clone()))?;
                    self.tenants[t as usize].dir.user_mut(u).manager = Some(m);
                }
                Ok(())
            }
            Command::SetAttributes {
                tenant,
                user,
                attributes,
            } => {
                let t = self.tenant_of(tenant)?;
                let u = self.one_user(t, user)?;
                for (name, value) in attributes {
                    let id = self.names.intern(name);
                    let value = value
                        .as_deref()
                        .map(AttrValue::str)
                        .map(|v| v.coerce_for(id));
                    self.tenants[t as usize].dir.set_attr(u, id, value);
                }
                Ok(())
            }
            Command::BlockSignIn { tenant, user } | Command::AllowSignIn { tenant, user } => {
                let t = self.tenant_of(tenant)?;
                let u = self.one_user(t, user)?;
                let enabled = matches!(command, Command::AllowSignIn { .. });
                self.tenants[t as usize].dir.set_attr(
                    u,
                    known::ACCOUNT_ENABLED,
                    Some(AttrValue::Bool(enabled)),
                );
                Ok(())
            }
            Command::DeleteUser { tenant, user } => {
                let t = self.tenant_of(tenant)?;
                let u = self.one_user(t, user)?;
                if !self.tenants[t as usize]
                    .dir
                    .soft_delete(u, tick, DeletedBy::Admin)
                {
                    return Err(format!("user '{user}' is already deleted"));
                }
                Ok(())
            }
            Command::RestoreUser { tenant, user } => {
                let t = self.tenant_of(tenant)?;
                let u = self.one_user(t, user)?;
                if !self.tenants[t as usize].dir.restore(u) {
                    return Err(format!("user '{user}' is not in the recycle bin"));
                }
                // A restored account is no longer one this job deleted.
                for job in &mut self.jobs {
                    if job.target == t {
                        for link in job.links.values_mut() {
                            if link.target == u {
                                link.state = super::job::LinkState::Provisioned;
                            }
                        }
                    }
                }
                Ok(())
            }
            Command::PurgeUser { tenant, user } => {
                let t = self.tenant_of(tenant)?;
                let u = self.one_user(t, user)?;
                self.tenants[t as usize].dir.purge(u, tick);
                self.note_target_account_gone(t, u);
                Ok(())
            }
            Command::SetManager {
                tenant,
                user,
                manager,
            } => {
                let t = self.tenant_of(tenant)?;
                let u = self.one_user(t, user)?;
                let m = match manager {
                    Some(m) => Some(self.one_user(t, m)?),
                    None => None,
                };
                let dir = &mut self.tenants[t as usize].dir;
                if dir.user(u).manager != m {
                    dir.user_mut(u).manager = m;
                    dir.record(u, super::directory::ChangeKind::Manager);
                }
                Ok(())
            }
            Command::SetSmsSignIn {
                tenant,
                user,
                enabled,
            } => {
                let t = self.tenant_of(tenant)?;
                let u = self.one_user(t, user)?;
                let dir = &mut self.tenants[t as usize].dir;
                if dir.user(u).sms_sign_in_enabled != *enabled {
                    dir.user_mut(u).sms_sign_in_enabled = *enabled;
                    dir.record(u, super::directory::ChangeKind::SmsSignIn);
                }
                Ok(())
            }
            Command::AddGroup { tenant, group } => {
                let t = self.tenant_of(tenant)?;
                if self.tenant(t).dir.group_by_id(&group.id).is_some() {
                    return Err(format!("group '{}' already exists", group.id));
                }
                self.add_scenario_group(t, group);
                Ok(())
            }
            Command::AddGroupMember {
                tenant,
                group,
                member,
            }
            | Command::RemoveGroupMember {
                tenant,
                group,
                member,
            } => {
                let t = self.tenant_of(tenant)?;
                let dir = &mut self.tenants[t as usize].dir;
                let g = dir
                    .group_by_id(group)
                    .ok_or_else(|| format!("group '{group}' does not exist"))?;
                let m = if let Some(u) = dir.user_by_local_id(member) {
                    Member::User(u)
                } else if let Some(sub) = dir.group_by_id(member) {
                    Member::Group(sub)
                } else {
                    return Err(format!("'{member}' is not a user or group of '{tenant}'"));
                };
                let add = matches!(command, Command::AddGroupMember { .. });
                if !dir.set_membership(g, m, add) {
                    return Err(if add {
                        format!("'{member}' is already a direct member of '{group}'")
                    } else {
                        format!("'{member}' is not a direct member of '{group}'")
                    });
                }
                Ok(())
            }
            Command::AddTenant { tenant } => {
                if self.tenant_index(&tenant.id).is_some() {
                    return Err(format!("tenant '{}' already exists", tenant.id));
                }
                let t = self.add_tenant_state(tenant);
                self.fill_users(t, tenant);
                Ok(())
            }
            Command::SetCrossTenantAccess {
                tenant,
                partner,
                setting,
                value,
            } => {
                let t = self.tenant_of(tenant)?;
                self.tenants[t as usize]
                    .access
                    .set(partner.as_deref(), *setting, *value)
            }
            Command::SetAllowInvitesFrom { tenant, value } => {
                let t = self.tenant_of(tenant)?;
                self.tenants[t as usize].allow_invites_from = *value;
                Ok(())
            }
            Command::SetMicrosoftCloudSettings { tenant, clouds } => {
                let t = self.tenant_of(tenant)?;
                self.tenants[t as usize].microsoft_cloud_settings = clouds.clone();
                Ok(())
            }
            Command::RenameTenant {
                tenant,
                display_name,
            } => {
                let t = self.tenant_of(tenant)?;
                self.tenants[t as usize].display_name = display_name.trim().to_string();
                Ok(())
            }
            Command::SetVerifiedDomains {
                tenant,
                verified_domains,
            } => {
                let t = self.tenant_of(tenant)?;
                self.tenants[t as usize].verified_domains = verified_domains.clone();
                Ok(())
            }
            Command::SetTenantCloud { tenant, .. } => {
                self.tenant_of(tenant)?;
                Err(
                    "a tenant's cloud is chosen when the tenant is created and cannot change"
                        .into(),
                )
            }
            Command::DeleteTenant { tenant } => {
                let t = self.tenant_of(tenant)?;
                let state = &mut self.tenants[t as usize];
                state.deleted = true;
                state.downstream.clear();
                let ending: Vec<JobIdx> = (0..self.jobs.len() as JobIdx)
                    .filter(|&j| {
                        let job = self.job(j);
                        !job.deleted && (job.source == t || job.target == t)
                    })
                    .collect();
                for j in ending {
                    self.end_job(tick, j);
                }
                Ok(())
            }
            Command::AddJob { job } => {
                if self.job_index(&job.id).is_some() {
                    return Err(format!("sync job '{}' already exists", job.id));
                }
                self.tenant_of(&job.source)?;
                self.tenant_of(&job.target)?;
                self.add_job((**job).clone())
                    .map(|_| ())
                    .ok_or_else(|| "the job's source or target tenant does not exist".to_string())
            }
            Command::DeleteJob { job } => {
                let j = self.job_of(job)?;
                self.end_job(tick, j);
                Ok(())
            }
            Command::StartJob { job } => {
                let j = self.job_of(job)?;
                let runtime = &mut self.jobs[j as usize];
                if runtime.config.state == JobState::Started
                    && runtime.quarantine.is_none()
                    && !runtime.disabled
                {
                    return Err(format!("sync job '{job}' is already started"));
                }
                runtime.config.state = JobState::Started;
                let was_quarantined = runtime.quarantine.take().is_some();
                runtime.disabled = false;
                runtime.consecutive_failures = 0;
                self.job_event(tick, j, JobEventKind::Started);
                if was_quarantined {
                    self.job_event(tick, j, JobEventKind::QuarantineLeft);
                }
                Ok(())
            }
            Command::PauseJob { job } => {
                let j = self.job_of(job)?;
                if self.jobs[j as usize].config.state != JobState::Started {
                    return Err(format!("sync job '{job}' is not running"));
                }
                self.jobs[j as usize].config.state = JobState::Paused;
                self.job_event(tick, j, JobEventKind::Paused);
                Ok(())
            }
            Command::RestartJob { job } => {
                let j = self.job_of(job)?;
                self.jobs[j as usize].restart();
                self.job_event(tick, j, JobEventKind::Restarted);
                Ok(())
            }
            Command::AllowDeletes { job } => {
                let j = self.job_of(job)?;
                let runtime = &mut self.jobs[j as usize];
                if runtime.held_deletes.is_empty() {
                    return Err(format!("sync job '{job}' holds no deletions"));
                }
                runtime.force_deletes = true;
                runtime.quarantine = None;
                self.job_event(tick, j, JobEventKind::DeletesAllowed);
                self.job_event(tick, j, JobEventKind::QuarantineLeft);
                Ok(())
            }
            Command::ProvisionOnDemand { job, user } => {
                let j = self.job_of(job)?;
                let u = self.source_user(j, user)?;
                cycle::provision_on_demand(self, j, u, tick);
                Ok(())
            }
            Command::AssignUser { job, user } | Command::UnassignUser { job, user } => {
                let j = self.job_of(job)?;
                let u = self.source_user(j, user)?;
                let assign = matches!(command, Command::AssignUser { .. });
                let runtime = &mut self.jobs[j as usize];
                let list = &mut runtime.config.assigned_users;
                let present = list.iter().any(|x| x == user);
                match (assign, present) {
                    (true, true) => return Err(format!("user '{user}' is already assigned")),
                    (false, false) => return Err(format!("user '{user}' is not assigned")),
                    (true, false) => list.push(user.clone()),
                    (false, true) => list.retain(|x| x != user),
                }
                runtime.pending.insert(u);
                Ok(())
            }
            Command::AssignGroup { job, group } | Command::UnassignGroup { job, group } => {
                let j = self.job_of(job)?;
                let g = self.source_group(j, group)?;
                let assign = matches!(command, Command::AssignGroup { .. });
                let members: Vec<UserIdx> = {
                    let t = self.job(j).source;
                    self.tenant(t).dir.groups[g as usize]
                        .member_users
                        .iter()
                        .copied()
                        .collect()
                };
                let runtime = &mut self.jobs[j as usize];
                let list = &mut runtime.config.assigned_groups;
                let present = list.iter().any(|x| x == group);
                match (assign, present) {
                    (true, true) => return Err(format!("group '{group}' is already assigned")),
                    (false, false) => return Err(format!("group '{group}' is not assigned")),
                    (true, false) => list.push(group.clone()),
                    (false, true) => list.retain(|x| x != group),
                }
                runtime.pending.extend(members);
                Ok(())
            }
            Command::SetScope { job, scope } => {
                let j = self.job_of(job)?;
                let runtime = &mut self.jobs[j as usize];
                runtime.config.scope = *scope;
                // Widening to "all" re-evaluates everyone; narrowing to "assigned" waits for a restart.
                if *scope == SyncScope::All && runtime.effective_scope != SyncScope::All {
                    runtime.effective_scope = SyncScope::All;
                    runtime.needs_initial = true;
                }
                Ok(())
            }
            Command::SetScopingFilters {
                job,
                scoping_filters,
            } => self.recompile_job(job, |c| c.scoping_filters = scoping_filters.clone()),
            Command::SetAttributeMappings {
                job,
                attribute_mappings,
            } => self.recompile_job(job, |c| c.attribute_mappings = attribute_mappings.clone()),
            Command::SetTargetObjectActions {
                job,
                target_object_actions,
            } => {
                let j = self.job_of(job)?;
                self.jobs[j as usize].config.target_object_actions = *target_object_actions;
                Ok(())
            }
            Command::SetAccidentalDeletionPrevention {
                job,
                accidental_deletion_prevention,
            } => {
                let j = self.job_of(job)?;
                self.jobs[j as usize].config.accidental_deletion_prevention =
                    *accidental_deletion_prevention;
                Ok(())
            }
        }
    }
}

/// A one-line description of a command for the timeline and the CLI.
pub fn summarize(command: &Command) -> String {
    match command {
        Command::AddUser { tenant, user } => {
            format!("{tenant}: {} joins", user.user_principal_name)
        }
        Command::SetAttributes {
            tenant,
            user,
            attributes,
        } => {
            let changes: Vec<String> = attributes
                .iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k} = '{v}'"),
                    None => format!("{k} cleared"),
                })
                .collect();
            format!("{tenant}: {user}: {}", changes.join(", "))
        }
        Command::BlockSignIn { tenant, user } => format!("{tenant}: block sign-in for {user}"),
        Command::AllowSignIn { tenant, user } => format!("{tenant}: allow sign-in for {user}"),
        Command::DeleteUser { tenant, user } => format!("{tenant}: delete {user}"),
        Command::RestoreUser { tenant, user } => format!("{tenant}: restore {user}"),
        Command::PurgeUser { tenant, user } => format!("{tenant}: permanently delete {user}"),
        Command::SetManager {
            tenant,
            user,
            manager,
        } => match manager {
            Some(m) => format!("{tenant}: {user}'s manager = {m}"),
            None => format!("{tenant}: {user}'s manager removed"),
        },
        Command::SetSmsSignIn {
            tenant,
            user,
            enabled,
        } => {
            format!(
                "{tenant}: SMS sign-in {} for {user}",
                if *enabled { "enabled" } else { "disabled" }
            )
        }
        Command::AddGroup { tenant, group } => {
            format!("{tenant}: group {} created", group.display_name)
        }
        Command::AddGroupMember {
            tenant,
            group,
            member,
        } => {
            format!("{tenant}: {member} added to group {group}")
        }
        Command::RemoveGroupMember {
            tenant,
            group,
            member,
        } => {
            format!("{tenant}: {member} removed from group {group}")
        }
        Command::AddTenant { tenant } => format!("tenant {} added", tenant.display_name),
        Command::RenameTenant {
            tenant,
            display_name,
        } => format!("{tenant}: renamed '{}'", display_name.trim()),
        Command::SetVerifiedDomains {
            tenant,
            verified_domains,
        } => {
            if verified_domains.is_empty() {
                format!("{tenant}: no verified domains")
            } else {
                format!("{tenant}: verified domains {}", verified_domains.join(", "))
            }
        }
        Command::SetTenantCloud { tenant, cloud } => {
            format!("{tenant}: cloud = {}", cloud.display_name())
        }
        Command::DeleteTenant { tenant } => {
            format!("tenant {tenant} deleted; its sync configurations end, the users they provisioned stay")
        }
        Command::SetCrossTenantAccess {
            tenant,
            partner,
            setting,
            value,
        } => {
            let what = match setting {
                PolicySetting::IsSyncAllowed => "Allow users sync into this tenant",
                PolicySetting::InboundAllowed => "Automatically redeem invitations (inbound)",
                PolicySetting::OutboundAllowed => "Automatically redeem invitations (outbound)",
            };
            let value = match value {
                Some(true) => "on",
                Some(false) => "off",
                None => "inherited from default",
            };
            match partner {
                Some(p) => format!("{tenant}: for {p}, {what}: {value}"),
                None => format!("{tenant}: default, {what}: {value}"),
            }
        }
        Command::SetAllowInvitesFrom { tenant, value } => {
            format!("{tenant}: guest invite restrictions = {value:?}")
        }
        Command::SetMicrosoftCloudSettings { tenant, clouds } => {
            format!("{tenant}: Microsoft cloud settings = {clouds:?}")
        }
        Command::AddJob { job } => format!(
            "sync job {} created ({} → {})",
            job.id, job.source, job.target
        ),
        Command::DeleteJob { job } => format!("sync job {job} deleted"),
        Command::StartJob { job } => format!("{job}: start provisioning"),
        Command::PauseJob { job } => format!("{job}: stop provisioning"),
        Command::RestartJob { job } => format!("{job}: restart provisioning"),
        Command::AllowDeletes { job } => format!("{job}: allow deletes"),
        Command::ProvisionOnDemand { job, user } => format!("{job}: provision {user} on demand"),
        Command::AssignUser { job, user } => format!("{job}: assign user {user}"),
        Command::UnassignUser { job, user } => format!("{job}: unassign user {user}"),
        Command::AssignGroup { job, group } => format!("{job}: assign group {group}"),
        Command::UnassignGroup { job, group } => format!("{job}: unassign group {group}"),
        Command::SetScope { job, scope } => format!("{job}: scope = {scope:?}"),
        Command::SetScopingFilters {
            job,
            scoping_filters,
        } => {
            format!(
                "{job}: scoping filters changed ({} filters)",
                scoping_filters.len()
            )
        }
        Command::SetAttributeMappings {
            job,
            attribute_mappings,
        } => {
            format!(
                "{job}: attribute mappings changed ({} edits)",
                attribute_mappings.len()
            )
        }
        Command::SetTargetObjectActions {
            job,
            target_object_actions: a,
        } => format!(
            "{job}: target object actions: create {}, update {}, delete {}",
            a.create, a.update, a.delete
        ),
        Command::SetAccidentalDeletionPrevention {
            job,
            accidental_deletion_prevention: a,
        } => {
            if a.enabled {
                format!(
                    "{job}: prevent accidental deletions, threshold {}",
                    a.threshold
                )
            } else {
                format!("{job}: accidental deletion prevention off")
            }
        }
    }
}
