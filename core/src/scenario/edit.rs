//! Editing a scenario the way the playground does: an edit made while looking at tick 0 changes the
//! initial state; an edit made at a later tick becomes a timeline entry at that tick. Every edit is
//! a [`Command`]; the scenario is validated after it, and an edit that would make it invalid is
//! refused with the reason and leaves the scenario as it was.

use super::{Command, Group, Scenario, SyncJob, Tenant, TimelineEntry, User, UserRef, UserType};

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EditError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(message.into()))
}

impl Scenario {
    /// Records `command` as made while looking at `tick`: at tick 0 it changes the initial state
    /// (commands that only make sense on a running simulation — restart, allow deletes, provision
    /// on demand — become timeline entries at tick 0); later it becomes a timeline entry at `tick`,
    /// after the entries already there.
    pub fn edit_at(&mut self, tick: u64, command: Command) -> Result<(), EditError> {
        if tick > super::MAX_TICKS {
            return err(format!(
                "tick {tick} is beyond the limit of {}",
                super::MAX_TICKS
            ));
        }
        let before = self.clone();
        let runtime_only = matches!(
            command,
            Command::RestartJob { .. }
                | Command::AllowDeletes { .. }
                | Command::ProvisionOnDemand { .. }
        );
        let result = if tick == 0 && !runtime_only {
            self.apply_initial(&command)
        } else {
            let at = self.timeline.partition_point(|e| e.tick <= tick);
            self.timeline.insert(
                at,
                TimelineEntry {
                    tick,
                    note: None,
                    command,
                },
            );
            Ok(())
        };
        let result = result.and_then(|()| self.validate().map_err(|e| EditError(e.to_string())));
        if result.is_err() {
            *self = before;
        }
        result
    }

    /// Drops the timeline entries stamped after `tick` (editing after going back in time).
    pub fn drop_timeline_after(&mut self, tick: u64) -> Vec<TimelineEntry> {
        let keep = self.timeline.partition_point(|e| e.tick <= tick);
        self.timeline.split_off(keep)
    }

    fn tenant_mut(&mut self, id: &str) -> Result<&mut Tenant, EditError> {
        match self.tenants.iter_mut().find(|t| t.id == id) {
            Some(t) => Ok(t),
            None => err(format!("tenant '{id}' does not exist")),
        }
    }

    fn job_mut(&mut self, id: &str) -> Result<&mut SyncJob, EditError> {
        match self.jobs.iter_mut().find(|j| j.id == id) {
            Some(j) => Ok(j),
            None => err(format!("sync job '{id}' does not exist")),
        }
    }

    /// Applies `command` to the initial state (tick 0), without validating.
    fn apply_initial(&mut self, command: &Command) -> Result<(), EditError> {
        match command {
            Command::AddUser { tenant, user } => {
                let t = self.tenant_mut(tenant)?;
                if t.users.iter().any(|u| u.id == user.id) {
                    return err(format!("user '{}' already exists in '{tenant}'", user.id));
                }
                t.users.push((**user).clone());
            }
            Command::SetAttributes {
                tenant,
                user,
                attributes,
            } => {
                let u = user_mut(self.tenant_mut(tenant)?, user)?;
                for (name, value) in attributes {
                    set_attribute(u, name, value.clone())?;
                }
            }
            Command::BlockSignIn { tenant, user } => {
                user_mut(self.tenant_mut(tenant)?, user)?.account_enabled = false
            }
            Command::AllowSignIn { tenant, user } => {
                user_mut(self.tenant_mut(tenant)?, user)?.account_enabled = true
            }
            Command::DeleteUser { tenant, user } => {
                user_mut(self.tenant_mut(tenant)?, user)?.soft_deleted = true
            }
            Command::RestoreUser { tenant, user } => {
                user_mut(self.tenant_mut(tenant)?, user)?.soft_deleted = false
            }
            Command::PurgeUser { tenant, user } => self.remove_user(tenant, user)?,
            Command::SetManager {
                tenant,
                user,
                manager,
            } => {
                let t = self.tenant_mut(tenant)?;
                let manager = match manager {
                    Some(m) => Some(user_mut(t, m)?.id.clone()),
                    None => None,
                };
                user_mut(t, user)?.manager = manager;
            }
            Command::SetSmsSignIn {
                tenant,
                user,
                enabled,
            } => user_mut(self.tenant_mut(tenant)?, user)?.sms_sign_in_enabled = *enabled,
            Command::AddGroup { tenant, group } => {
                let t = self.tenant_mut(tenant)?;
                if t.groups.iter().any(|g| g.id == group.id) {
                    return err(format!("group '{}' already exists in '{tenant}'", group.id));
                }
                t.groups.push(group.clone());
            }
            Command::AddGroupMember {
                tenant,
                group,
                member,
            } => {
                let g = group_mut(self.tenant_mut(tenant)?, group)?;
                if g.members.contains(member) {
                    return err(format!(
                        "'{member}' is already a direct member of '{group}'"
                    ));
                }
                g.members.push(member.clone());
            }
            Command::RemoveGroupMember {
                tenant,
                group,
                member,
            } => {
                let g = group_mut(self.tenant_mut(tenant)?, group)?;
                let before = g.members.len();
                g.members.retain(|m| m != member);
                if g.members.len() == before {
                    return err(format!("'{member}' is not a direct member of '{group}'"));
                }
            }
            Command::AddTenant { tenant } => {
                if self.tenants.iter().any(|t| t.id == tenant.id) {
                    return err(format!("tenant '{}' already exists", tenant.id));
                }
                self.tenants.push((**tenant).clone());
            }
            Command::SetCrossTenantAccess {
                tenant,
                partner,
                setting,
                value,
            } => self
                .tenant_mut(tenant)?
                .cross_tenant_access
                .set(partner.as_deref(), *setting, *value)
                .map_err(EditError)?,
            Command::SetAllowInvitesFrom { tenant, value } => {
                self.tenant_mut(tenant)?.allow_invites_from = *value
            }
            Command::SetMicrosoftCloudSettings { tenant, clouds } => {
                self.tenant_mut(tenant)?.microsoft_cloud_settings = clouds.clone()
            }
            Command::RenameTenant {
                tenant,
                display_name,
            } => self.tenant_mut(tenant)?.display_name = display_name.trim().to_string(),
            Command::SetVerifiedDomains {
                tenant,
                verified_domains,
            } => self.tenant_mut(tenant)?.verified_domains = verified_domains.clone(),
            Command::SetTenantCloud { tenant, cloud } => self.tenant_mut(tenant)?.cloud = *cloud,
            Command::DeleteTenant { tenant } => self.remove_tenant(tenant)?,
            Command::AddJob { job } => {
                if self.jobs.iter().any(|j| j.id == job.id) {
                    return err(format!("sync job '{}' already exists", job.id));
                }
                self.jobs.push((**job).clone());
            }
            Command::DeleteJob { job } => {
                if !self.jobs.iter().any(|j| &j.id == job) {
                    return err(format!("sync job '{job}' does not exist"));
                }
                self.jobs.retain(|j| &j.id != job);
            }
            Command::StartJob { job } => self.job_mut(job)?.state = super::JobState::Started,
            Command::PauseJob { job } => self.job_mut(job)?.state = super::JobState::Paused,
            Command::AssignUser { job, user } => {
                push_unique(&mut self.job_mut(job)?.assigned_users, user, "user")?
            }
            Command::UnassignUser { job, user } => {
                remove_one(&mut self.job_mut(job)?.assigned_users, user, "user")?
            }
            Command::AssignGroup { job, group } => {
                push_unique(&mut self.job_mut(job)?.assigned_groups, group, "group")?
            }
            Command::UnassignGroup { job, group } => {
                remove_one(&mut self.job_mut(job)?.assigned_groups, group, "group")?
            }
            Command::SetScope { job, scope } => self.job_mut(job)?.scope = *scope,
            Command::SetScopingFilters {
                job,
                scoping_filters,
            } => self.job_mut(job)?.scoping_filters = scoping_filters.clone(),
            Command::SetAttributeMappings {
                job,
                attribute_mappings,
            } => self.job_mut(job)?.attribute_mappings = attribute_mappings.clone(),
            Command::SetTargetObjectActions {
                job,
                target_object_actions,
            } => self.job_mut(job)?.target_object_actions = *target_object_actions,
            Command::SetAccidentalDeletionPrevention {
                job,
                accidental_deletion_prevention,
            } => {
                self.job_mut(job)?.accidental_deletion_prevention = *accidental_deletion_prevention
            }
            Command::RestartJob { .. }
            | Command::AllowDeletes { .. }
            | Command::ProvisionOnDemand { .. } => {
                return err(format!("{} acts on a running simulation", command.name()))
            }
        }
        Ok(())
    }

    /// Removes a tenant from the initial state with everything that names it: the jobs from and to
    /// it, other tenants' partner settings for it, and the timeline entries and expectations that
    /// name it or those jobs. Accounts in other tenants whose home it was stay (external users whose
    /// home is outside the scenario).
    fn remove_tenant(&mut self, tenant: &str) -> Result<(), EditError> {
        self.tenant_mut(tenant)?;
        self.tenants.retain(|t| t.id != tenant);
        for t in &mut self.tenants {
            t.cross_tenant_access
                .partners
                .retain(|p| p.tenant != tenant);
        }
        let mut jobs: Vec<String> = self
            .jobs
            .iter()
            .filter(|j| j.source == tenant || j.target == tenant)
            .map(|j| j.id.clone())
            .collect();
        self.jobs.retain(|j| !jobs.contains(&j.id));
        self.timeline.retain(|entry| {
            let names_it = entry.command.tenants().contains(&tenant)
                || entry
                    .command
                    .job()
                    .is_some_and(|j| jobs.iter().any(|x| x == j));
            if names_it {
                if let Command::AddJob { job } = &entry.command {
                    jobs.push(job.id.clone());
                }
            }
            !names_it
        });
        self.expect.retain(|e| !e.check.names(tenant, &jobs));
        Ok(())
    }

    /// Removes a user from the initial state, and every reference to it in that tenant's groups,
    /// managers and job assignments.
    fn remove_user(&mut self, tenant: &str, user: &UserRef) -> Result<(), EditError> {
        let id = user_mut(self.tenant_mut(tenant)?, user)?.id.clone();
        let t = self.tenant_mut(tenant)?;
        t.users.retain(|u| u.id != id);
        for u in &mut t.users {
            if u.manager.as_deref() == Some(id.as_str()) {
                u.manager = None;
            }
        }
        for g in &mut t.groups {
            g.members.retain(|m| m != &id);
        }
        for job in self.jobs.iter_mut().filter(|j| j.source == tenant) {
            job.assigned_users.retain(|u| u != &id);
        }
        Ok(())
    }
}

/// The user a reference names in the tenant's initial users: a local id, or an external user
/// declared with that home.
fn user_mut<'a>(tenant: &'a mut Tenant, user: &UserRef) -> Result<&'a mut User, EditError> {
    let tenant_id = tenant.id.clone();
    let found = tenant.users.iter_mut().find(|u| match user {
        UserRef::Local(id) => &u.id == id,
        UserRef::Home {
            tenant: home,
            user: home_user,
        } => u
            .external
            .as_ref()
            .is_some_and(|e| &e.home_tenant == home && &e.home_user == home_user),
    });
    match found {
        Some(u) => Ok(u),
        None => err(format!(
            "user '{user}' does not exist in '{tenant_id}' at tick 0"
        )),
    }
}

fn group_mut<'a>(tenant: &'a mut Tenant, id: &str) -> Result<&'a mut Group, EditError> {
    let tenant_id = tenant.id.clone();
    match tenant.groups.iter_mut().find(|g| g.id == id) {
        Some(g) => Ok(g),
        None => err(format!("group '{id}' does not exist in '{tenant_id}'")),
    }
}

fn push_unique(list: &mut Vec<String>, id: &str, kind: &str) -> Result<(), EditError> {
    if list.iter().any(|x| x == id) {
        return err(format!("{kind} '{id}' is already assigned"));
    }
    list.push(id.to_string());
    Ok(())
}

fn remove_one(list: &mut Vec<String>, id: &str, kind: &str) -> Result<(), EditError> {
    let before = list.len();
    list.retain(|x| x != id);
    if list.len() == before {
        return err(format!("{kind} '{id}' is not assigned"));
    }
    Ok(())
}

/// Sets one attribute of an initial user: a named field, `userType`, or an extension attribute.
fn set_attribute(user: &mut User, name: &str, value: Option<String>) -> Result<(), EditError> {
    if name == "userPrincipalName" {
        return match value {
            Some(v) => {
                user.user_principal_name = v;
                Ok(())
            }
            None => err("userPrincipalName cannot be cleared"),
        };
    }
    if name == "userType" {
        user.user_type = match value.as_deref() {
            Some("Member") | None => UserType::Member,
            Some("Guest") => UserType::Guest,
            Some(other) => return err(format!("userType must be Member or Guest, not '{other}'")),
        };
        return Ok(());
    }
    if crate::engine::attrs::is_read_only(name) {
        return err(format!(
            "'{name}' cannot be set directly; use the command that changes it"
        ));
    }
    match user.named_attribute_mut(name) {
        Some(field) => *field = value,
        None => match value {
            Some(v) => {
                user.extension_attributes.insert(name.to_string(), v);
            }
            None => {
                user.extension_attributes.remove(name);
            }
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::scenario::{Cloud, SyncScope, UserRef};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn scenario() -> Scenario {
        Scenario::from_json(
            r#"{"version":1,"name":"t","tenants":[
                {"id":"a","displayName":"A","users":[{"id":"u1","userPrincipalName":"u1@a.com","department":"Sales"},
                                                      {"id":"u2","userPrincipalName":"u2@a.com","manager":"u1"}],
                 "groups":[{"id":"g","displayName":"G","members":["u1","u2"]}]},
                {"id":"b","displayName":"B"}],
                "jobs":[{"id":"j","source":"a","target":"b","assignedUsers":["u1"]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn edits_at_tick_0_change_the_initial_state() {
        let mut s = scenario();
        s.edit_at(
            0,
            Command::SetAttributes {
                tenant: "a".into(),
                user: UserRef::Local("u1".into()),
                attributes: BTreeMap::from([
                    ("department".into(), Some("Marketing".into())),
                    ("extension_x_costCenter".into(), Some("42".into())),
                ]),
            },
        )
        .unwrap();
        let u1 = &s.tenants[0].users[0];
        assert_eq!(u1.department.as_deref(), Some("Marketing"));
        assert_eq!(u1.extension_attributes["extension_x_costCenter"], "42");
        s.edit_at(
            0,
            Command::SetScope {
                job: "j".into(),
                scope: SyncScope::All,
            },
        )
        .unwrap();
        assert_eq!(s.jobs[0].scope, SyncScope::All);
        assert!(s.timeline.is_empty());
    }

    #[test]
    fn later_edits_become_timeline_entries_in_order() {
        let mut s = scenario();
        s.edit_at(3, Command::StartJob { job: "j".into() }).unwrap();
        s.edit_at(1, Command::PauseJob { job: "j".into() }).unwrap();
        s.edit_at(3, Command::RestartJob { job: "j".into() })
            .unwrap();
        s.edit_at(0, Command::RestartJob { job: "j".into() })
            .unwrap();
        let ticks: Vec<(u64, &str)> = s
            .timeline
            .iter()
            .map(|e| (e.tick, e.command.name()))
            .collect();
        assert_eq!(
            ticks,
            [
                (0, "restartJob"),
                (1, "pauseJob"),
                (3, "startJob"),
                (3, "restartJob")
            ]
        );
        assert_eq!(s.drop_timeline_after(1).len(), 2);
        assert_eq!(s.timeline.len(), 2);
    }

    #[test]
    fn an_invalid_edit_is_refused_and_changes_nothing() {
        let mut s = scenario();
        let before = s.clone();
        let e = s
            .edit_at(
                0,
                Command::AssignUser {
                    job: "j".into(),
                    user: "nobody".into(),
                },
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "jobs[0].assignedUsers[1]: unknown user 'a/nobody'"
        );
        assert_eq!(s, before);
        let e = s
            .edit_at(
                5,
                Command::AssignGroup {
                    job: "j".into(),
                    group: "nope".into(),
                },
            )
            .unwrap_err();
        assert!(e.to_string().contains("unknown group 'a/nope'"), "{e}");
        assert_eq!(s, before);
    }

    #[test]
    fn renaming_a_tenant_keeps_its_id_and_every_reference() {
        let mut s = scenario();
        let rename = |name: &str| Command::RenameTenant {
            tenant: "b".into(),
            display_name: name.into(),
        };
        s.edit_at(0, rename("  Fabrikam Europe ")).unwrap();
        assert_eq!(s.tenants[1].id, "b");
        assert_eq!(s.tenants[1].display_name, "Fabrikam Europe");
        assert_eq!(s.jobs[0].target, "b");
        let before = s.clone();
        let e = s.edit_at(0, rename(" ")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "tenants[1].displayName: a tenant's name cannot be empty"
        );
        let e = s.edit_at(4, rename("")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "timeline[0].displayName: a tenant's name cannot be empty"
        );
        assert_eq!(s, before);
    }

    #[test]
    fn verified_domains_are_domain_names_each_once() {
        let mut s = scenario();
        let set = |domains: &[&str]| Command::SetVerifiedDomains {
            tenant: "b".into(),
            verified_domains: domains.iter().map(|d| d.to_string()).collect(),
        };
        s.edit_at(0, set(&["fabrikam.com", "eu.fabrikam.com"]))
            .unwrap();
        assert_eq!(
            s.tenants[1].verified_domains,
            ["fabrikam.com", "eu.fabrikam.com"]
        );
        for (domains, message) in [
            (&["fabrikam"][..], "tenants[1].verifiedDomains[0]: 'fabrikam' is not a domain name (such as contoso.com)"),
            (&["a.com", "-x.com"][..], "tenants[1].verifiedDomains[1]: '-x.com' is not a domain name (such as contoso.com)"),
            (&["a.com", "A.com"][..], "tenants[1].verifiedDomains[1]: duplicate id 'A.com'"),
            (&["b.onmicrosoft.com"][..], "tenants[1].verifiedDomains[0]: 'b.onmicrosoft.com' is an initial domain: Entra creates it with the tenant, it is not added as a verified domain"),
        ] {
            let e = s.edit_at(0, set(domains)).unwrap_err();
            assert_eq!(e.to_string(), message);
        }
        s.edit_at(2, set(&[])).unwrap();
        assert_eq!(s.timeline[0].command.name(), "setVerifiedDomains");
    }

    #[test]
    fn a_tenants_cloud_changes_in_the_design_only() {
        let mut s = scenario();
        let set = Command::SetTenantCloud {
            tenant: "b".into(),
            cloud: Cloud::UsGovernment,
        };
        s.edit_at(0, set.clone()).unwrap();
        assert_eq!(s.tenants[1].cloud, Cloud::UsGovernment);
        let e = s.edit_at(3, set).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("timeline[0].cloud: a tenant's cloud is chosen when the tenant is created and cannot change"),
            "{e}"
        );
        assert!(s.timeline.is_empty());
    }

    #[test]
    fn deleting_a_tenant_in_the_design_removes_what_names_it() {
        let mut s = Scenario::from_json(
            r#"{"version":1,"name":"t","tenants":[
                {"id":"a","displayName":"A","users":[{"id":"u1","userPrincipalName":"u1@a.com"}],
                 "crossTenantAccess":{"partners":[{"tenant":"b"},{"tenant":"c"}]}},
                {"id":"b","displayName":"B","users":[{"id":"g","userPrincipalName":"g@b.com",
                   "userType":"Guest","external":{"homeTenant":"a","homeUser":"u1"}}]},
                {"id":"c","displayName":"C"}],
                "jobs":[{"id":"ab","source":"a","target":"b"},{"id":"bc","source":"b","target":"c"}],
                "timeline":[{"tick":1,"command":"startJob","job":"ab"},
                            {"tick":1,"command":"startJob","job":"bc"},
                            {"tick":2,"command":"addJob","job":{"id":"ca","source":"c","target":"a"}},
                            {"tick":3,"command":"startJob","job":"ca"},
                            {"tick":3,"command":"blockSignIn","tenant":"b","user":"a/u1"}],
                "expect":[{"afterTick":1,"check":"job","job":"ab","status":"Active"},
                          {"afterTick":1,"check":"job","job":"bc","status":"Active"}]}"#,
        )
        .unwrap();
        s.edit_at(0, Command::DeleteTenant { tenant: "a".into() })
            .unwrap();
        let ids = |s: &Scenario| s.tenants.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&s), ["b", "c"]);
        assert_eq!(
            s.jobs.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
            ["bc"]
        );
        let timeline: Vec<String> = s
            .timeline
            .iter()
            .map(|e| e.command.name().to_string())
            .collect();
        assert_eq!(
            timeline,
            ["startJob"],
            "entries naming a, its jobs, or jobs added to or from it go"
        );
        assert_eq!(s.expect.len(), 1);
        // The B2B account whose home was a stays, as an external user with a home outside the scenario.
        assert_eq!(s.tenants[0].users.len(), 1);
        let e = s
            .edit_at(0, Command::DeleteTenant { tenant: "a".into() })
            .unwrap_err();
        assert_eq!(e.to_string(), "tenant 'a' does not exist");
    }

    #[test]
    fn removing_a_user_cleans_its_references() {
        let mut s = scenario();
        s.edit_at(
            0,
            Command::PurgeUser {
                tenant: "a".into(),
                user: UserRef::Local("u1".into()),
            },
        )
        .unwrap();
        assert_eq!(s.tenants[0].users.len(), 1);
        assert_eq!(s.tenants[0].users[0].manager, None);
        assert_eq!(s.tenants[0].groups[0].members, ["u2"]);
        assert!(s.jobs[0].assigned_users.is_empty());
    }
}
