//! Commands: every change a user can make to a running simulation — source-directory changes,
//! target-admin actions, policy changes and job commands. Timeline entries are commands stamped with
//! the tick at which they apply; the playground sends the same commands when a user edits.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{
    AccidentalDeletionPrevention, AttributeMappingSpec, Cloud, Group, InviteRestriction,
    ScopingFilter, SyncJob, SyncScope, TargetObjectActions, Tenant, User,
};

/// A command stamped with the tick at which it applies (before that tick's sync cycles).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub tick: u64,
    /// Why this happens, in the scenario author's words; shown on the timeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(flatten)]
    pub command: Command,
}

/// Refers to a user inside one tenant: `adele` is the user with id `adele` in that tenant;
/// `contoso/adele` is the (external) account in that tenant whose home is user `adele` of tenant
/// `contoso` — e.g. the B2B user cross-tenant sync created for her.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UserRef {
    Local(String),
    Home { tenant: String, user: String },
}

impl UserRef {
    pub fn parse(text: &str) -> UserRef {
        match text.split_once('/') {
            Some((tenant, user)) => UserRef::Home {
                tenant: tenant.to_string(),
                user: user.to_string(),
            },
            None => UserRef::Local(text.to_string()),
        }
    }
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Local(id) => f.write_str(id),
            UserRef::Home { tenant, user } => write!(f, "{tenant}/{user}"),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for UserRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UserRef".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A user in a tenant: `adele` (the user with id adele there) or `contoso/adele` (the account there whose home is user adele of tenant contoso).",
            "pattern": "^[^/]+(/[^/]+)?$"
        })
    }
}

impl Serialize for UserRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UserRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(UserRef::parse(&text))
    }
}

/// Which cross-tenant access setting a policy command changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum PolicySetting {
    /// Target side: "Allow users sync into this tenant" (`userSyncInbound.isSyncAllowed`).
    #[serde(rename = "isSyncAllowed")]
    IsSyncAllowed,
    /// Target side: inbound "Automatically redeem invitations" (`automaticUserConsentSettings.inboundAllowed`).
    #[serde(rename = "inboundAllowed")]
    InboundAllowed,
    /// Source side: outbound "Automatically redeem invitations" (`automaticUserConsentSettings.outboundAllowed`).
    #[serde(rename = "outboundAllowed")]
    OutboundAllowed,
}

/// Everything that can happen to a simulation from the outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "command", rename_all = "camelCase", deny_unknown_fields)]
pub enum Command {
    // ---- Directory changes (in a source tenant these are what sync reacts to; on a synced user in
    // a target tenant they are target-admin actions).
    /// A user joins the tenant.
    #[serde(rename_all = "camelCase")]
    AddUser { tenant: String, user: Box<User> },
    /// Changes attributes; `null` clears one.
    #[serde(rename_all = "camelCase")]
    SetAttributes {
        tenant: String,
        user: UserRef,
        attributes: BTreeMap<String, Option<String>>,
    },
    /// Block sign-in (`accountEnabled = false`).
    #[serde(rename_all = "camelCase")]
    BlockSignIn { tenant: String, user: UserRef },
    /// Allow sign-in (`accountEnabled = true`).
    #[serde(rename_all = "camelCase")]
    AllowSignIn { tenant: String, user: UserRef },
    /// Soft delete: the user goes to the tenant's recycle bin for 30 days.
    #[serde(rename_all = "camelCase")]
    DeleteUser { tenant: String, user: UserRef },
    /// Restore a soft-deleted user from the recycle bin.
    #[serde(rename_all = "camelCase")]
    RestoreUser { tenant: String, user: UserRef },
    /// Permanently delete a user (from the recycle bin or directly).
    #[serde(rename_all = "camelCase")]
    PurgeUser { tenant: String, user: UserRef },
    /// Set or clear a user's manager (same tenant).
    #[serde(rename_all = "camelCase")]
    SetManager {
        tenant: String,
        user: UserRef,
        manager: Option<UserRef>,
    },
    /// Turn SMS sign-in on or off for a user.
    #[serde(rename_all = "camelCase")]
    SetSmsSignIn {
        tenant: String,
        user: UserRef,
        enabled: bool,
    },
    #[serde(rename_all = "camelCase")]
    AddGroup { tenant: String, group: Group },
    /// Add a direct member (user id or group id of the same tenant) to a group.
    #[serde(rename_all = "camelCase")]
    AddGroupMember {
        tenant: String,
        group: String,
        member: String,
    },
    #[serde(rename_all = "camelCase")]
    RemoveGroupMember {
        tenant: String,
        group: String,
        member: String,
    },
    #[serde(rename_all = "camelCase")]
    AddTenant { tenant: Box<Tenant> },
    /// Change the tenant's name (Entra's organization name). Its scenario `id` stays, as a tenant
    /// ID does in Entra, so jobs, `tenant/user` references and partner settings still name it.
    #[serde(rename_all = "camelCase")]
    RenameTenant {
        tenant: String,
        display_name: String,
    },
    /// Replace the tenant's verified (custom) domains; the initial `onmicrosoft.com` domain stays.
    #[serde(rename_all = "camelCase")]
    SetVerifiedDomains {
        tenant: String,
        verified_domains: Vec<String>,
    },
    /// The Microsoft cloud the tenant lives in. A tenant's cloud is chosen when it is created: only
    /// an edit of the initial state (tick 0) may change it, never a timeline entry.
    #[serde(rename_all = "camelCase")]
    SetTenantCloud { tenant: String, cloud: Cloud },
    /// The tenant is deleted. The sync configurations from it and into it end; the accounts they
    /// provisioned in other tenants stay as they are.
    #[serde(rename_all = "camelCase")]
    DeleteTenant { tenant: String },

    // ---- Policy changes.
    /// Set a cross-tenant access setting for a partner (`partner`) or the tenant default
    /// (no `partner`; only the automatic-redemption settings have defaults). `null` = inherit.
    #[serde(rename_all = "camelCase")]
    SetCrossTenantAccess {
        tenant: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partner: Option<String>,
        setting: PolicySetting,
        value: Option<bool>,
    },
    /// External collaboration settings → guest invite restrictions.
    #[serde(rename_all = "camelCase")]
    SetAllowInvitesFrom {
        tenant: String,
        value: InviteRestriction,
    },
    /// Microsoft cloud settings: which other clouds the tenant collaborates with.
    #[serde(rename_all = "camelCase")]
    SetMicrosoftCloudSettings { tenant: String, clouds: Vec<Cloud> },

    // ---- Job configuration and job commands.
    #[serde(rename_all = "camelCase")]
    AddJob { job: Box<SyncJob> },
    /// Delete the configuration: its state is gone, its users stay as they are.
    #[serde(rename_all = "camelCase")]
    DeleteJob { job: String },
    #[serde(rename_all = "camelCase")]
    StartJob { job: String },
    #[serde(rename_all = "camelCase")]
    PauseJob { job: String },
    /// Restart provisioning: clears watermark, escrows and quarantine; the next cycle is initial.
    #[serde(rename_all = "camelCase")]
    RestartJob { job: String },
    /// Allow the deletions held back by accidental-deletion prevention.
    #[serde(rename_all = "camelCase")]
    AllowDeletes { job: String },
    /// Provision on demand: one user through one job, now.
    #[serde(rename_all = "camelCase")]
    ProvisionOnDemand { job: String, user: String },
    #[serde(rename_all = "camelCase")]
    AssignUser { job: String, user: String },
    #[serde(rename_all = "camelCase")]
    UnassignUser { job: String, user: String },
    #[serde(rename_all = "camelCase")]
    AssignGroup { job: String, group: String },
    #[serde(rename_all = "camelCase")]
    UnassignGroup { job: String, group: String },
    #[serde(rename_all = "camelCase")]
    SetScope { job: String, scope: SyncScope },
    #[serde(rename_all = "camelCase")]
    SetScopingFilters {
        job: String,
        scoping_filters: Vec<ScopingFilter>,
    },
    /// Replace the job's changes to the default mappings (an empty list restores the defaults).
    #[serde(rename_all = "camelCase")]
    SetAttributeMappings {
        job: String,
        attribute_mappings: Vec<AttributeMappingSpec>,
    },
    #[serde(rename_all = "camelCase")]
    SetTargetObjectActions {
        job: String,
        target_object_actions: TargetObjectActions,
    },
    #[serde(rename_all = "camelCase")]
    SetAccidentalDeletionPrevention {
        job: String,
        accidental_deletion_prevention: AccidentalDeletionPrevention,
    },
}

impl Command {
    /// The tenants this command names directly (its `tenant`, a `partner`, the home tenant of a user
    /// reference, the source and target of a job it adds) — not the tenants of a job named by id.
    pub fn tenants(&self) -> Vec<&str> {
        fn home(user: &UserRef) -> Option<&str> {
            match user {
                UserRef::Home { tenant, .. } => Some(tenant),
                UserRef::Local(_) => None,
            }
        }
        if let Some((tenant, user)) = self.user() {
            let manager = match self {
                Command::SetManager { manager, .. } => manager.as_ref(),
                _ => None,
            };
            return [Some(tenant), home(user), manager.and_then(home)]
                .into_iter()
                .flatten()
                .collect();
        }
        match self {
            Command::AddUser { tenant, .. }
            | Command::AddGroup { tenant, .. }
            | Command::AddGroupMember { tenant, .. }
            | Command::RemoveGroupMember { tenant, .. }
            | Command::SetAllowInvitesFrom { tenant, .. }
            | Command::SetMicrosoftCloudSettings { tenant, .. }
            | Command::RenameTenant { tenant, .. }
            | Command::SetVerifiedDomains { tenant, .. }
            | Command::SetTenantCloud { tenant, .. }
            | Command::DeleteTenant { tenant } => vec![tenant],
            Command::AddTenant { tenant } => vec![&tenant.id],
            Command::SetCrossTenantAccess {
                tenant, partner, ..
            } => [Some(tenant.as_str()), partner.as_deref()]
                .into_iter()
                .flatten()
                .collect(),
            Command::AddJob { job } => vec![&job.source, &job.target],
            _ => Vec::new(),
        }
    }

    /// The user a user-level command acts on, with the tenant it is run in: setting attributes,
    /// blocking or allowing sign-in, deleting, restoring, purging, the manager, SMS sign-in.
    pub fn user(&self) -> Option<(&str, &UserRef)> {
        match self {
            Command::SetAttributes { tenant, user, .. }
            | Command::BlockSignIn { tenant, user }
            | Command::AllowSignIn { tenant, user }
            | Command::DeleteUser { tenant, user }
            | Command::RestoreUser { tenant, user }
            | Command::PurgeUser { tenant, user }
            | Command::SetManager { tenant, user, .. }
            | Command::SetSmsSignIn { tenant, user, .. } => Some((tenant, user)),
            _ => None,
        }
    }

    /// The sync job this command names by id, if any.
    pub fn job(&self) -> Option<&str> {
        match self {
            Command::DeleteJob { job }
            | Command::StartJob { job }
            | Command::PauseJob { job }
            | Command::RestartJob { job }
            | Command::AllowDeletes { job }
            | Command::ProvisionOnDemand { job, .. }
            | Command::AssignUser { job, .. }
            | Command::UnassignUser { job, .. }
            | Command::AssignGroup { job, .. }
            | Command::UnassignGroup { job, .. }
            | Command::SetScope { job, .. }
            | Command::SetScopingFilters { job, .. }
            | Command::SetAttributeMappings { job, .. }
            | Command::SetTargetObjectActions { job, .. }
            | Command::SetAccidentalDeletionPrevention { job, .. } => Some(job),
            Command::AddJob { job } => Some(&job.id),
            _ => None,
        }
    }

    /// The command's name as it appears in scenario files (`"command": "…"`).
    pub fn name(&self) -> &'static str {
        match self {
            Command::AddUser { .. } => "addUser",
            Command::SetAttributes { .. } => "setAttributes",
            Command::BlockSignIn { .. } => "blockSignIn",
            Command::AllowSignIn { .. } => "allowSignIn",
            Command::DeleteUser { .. } => "deleteUser",
            Command::RestoreUser { .. } => "restoreUser",
            Command::PurgeUser { .. } => "purgeUser",
            Command::SetManager { .. } => "setManager",
            Command::SetSmsSignIn { .. } => "setSmsSignIn",
            Command::AddGroup { .. } => "addGroup",
            Command::AddGroupMember { .. } => "addGroupMember",
            Command::RemoveGroupMember { .. } => "removeGroupMember",
            Command::AddTenant { .. } => "addTenant",
            Command::RenameTenant { .. } => "renameTenant",
            Command::SetVerifiedDomains { .. } => "setVerifiedDomains",
            Command::SetTenantCloud { .. } => "setTenantCloud",
            Command::DeleteTenant { .. } => "deleteTenant",
            Command::SetCrossTenantAccess { .. } => "setCrossTenantAccess",
            Command::SetAllowInvitesFrom { .. } => "setAllowInvitesFrom",
            Command::SetMicrosoftCloudSettings { .. } => "setMicrosoftCloudSettings",
            Command::AddJob { .. } => "addJob",
            Command::DeleteJob { .. } => "deleteJob",
            Command::StartJob { .. } => "startJob",
            Command::PauseJob { .. } => "pauseJob",
            Command::RestartJob { .. } => "restartJob",
            Command::AllowDeletes { .. } => "allowDeletes",
            Command::ProvisionOnDemand { .. } => "provisionOnDemand",
            Command::AssignUser { .. } => "assignUser",
            Command::UnassignUser { .. } => "unassignUser",
            Command::AssignGroup { .. } => "assignGroup",
            Command::UnassignGroup { .. } => "unassignGroup",
            Command::SetScope { .. } => "setScope",
            Command::SetScopingFilters { .. } => "setScopingFilters",
            Command::SetAttributeMappings { .. } => "setAttributeMappings",
            Command::SetTargetObjectActions { .. } => "setTargetObjectActions",
            Command::SetAccidentalDeletionPrevention { .. } => "setAccidentalDeletionPrevention",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_entry_reads_flat_json() {
        let e: TimelineEntry = serde_json::from_str(
            r#"{"tick":3,"command":"setAttributes","tenant":"contoso","user":"adele","attributes":{"department":"Sales","city":null}}"#,
        )
        .unwrap();
        assert_eq!(e.tick, 3);
        match &e.command {
            Command::SetAttributes {
                user, attributes, ..
            } => {
                assert_eq!(user, &UserRef::Local("adele".into()));
                assert_eq!(attributes["city"], None);
            }
            other => panic!("unexpected {other:?}"),
        }
        let back = serde_json::to_value(&e).unwrap();
        assert_eq!(back["command"], "setAttributes");
        assert_eq!(back["tick"], 3);
    }

    #[test]
    fn home_refs_name_the_home_tenant() {
        assert_eq!(
            UserRef::parse("contoso/adele"),
            UserRef::Home {
                tenant: "contoso".into(),
                user: "adele".into()
            }
        );
        assert_eq!(UserRef::parse("contoso/adele").to_string(), "contoso/adele");
    }

    #[test]
    fn a_user_command_names_its_tenant_the_user_and_the_managers_home() {
        let set_manager = Command::SetManager {
            tenant: "fabrikam".into(),
            user: UserRef::parse("contoso/adele"),
            manager: Some(UserRef::parse("northwind/nia")),
        };
        assert_eq!(
            set_manager.user(),
            Some(("fabrikam", &UserRef::parse("contoso/adele")))
        );
        assert_eq!(set_manager.tenants(), ["fabrikam", "contoso", "northwind"]);
        let block = Command::BlockSignIn {
            tenant: "contoso".into(),
            user: UserRef::Local("adele".into()),
        };
        assert_eq!(block.tenants(), ["contoso"]);
        assert_eq!(Command::StartJob { job: "j".into() }.user(), None);
    }

    #[test]
    fn unknown_command_fields_are_refused() {
        let err = serde_json::from_str::<TimelineEntry>(
            r#"{"tick":1,"command":"startJob","job":"j","jobb":"x"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("jobb"), "{err}");
    }
}
