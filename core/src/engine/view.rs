//! Read-only views of simulation state for shells (CLI tables, the playground's inspector):
//! plain serializable structs, ordered as the directory is.

use std::collections::BTreeMap;

use serde::Serialize;

use super::directory::{DeletedBy, TenantIdx};
use super::Simulation;

/// A tenant's directory as an admin would list it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryView {
    pub tenant: String,
    pub display_name: String,
    pub tenant_id: String,
    pub initial_domain: String,
    pub users: Vec<UserView>,
    pub counts: UserCounts,
}

/// User counts as the topology canvas shows them on a tenant's node.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UserCounts {
    pub internal: usize,
    pub external_members: usize,
    pub external_guests: usize,
    pub soft_deleted: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub object_id: String,
    /// The scenario id, for users the scenario named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub user_principal_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `internal member`, `internal guest`, `external member` or `external guest`.
    pub kind: String,
    /// `active`, `sign-in blocked`, or `soft deleted (tick N, by …)`.
    pub state: String,
    /// For external users: `hometenant/homeuser` when the home is in the scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by_job: Option<String>,
    pub attributes: BTreeMap<String, String>,
}

impl Simulation {
    /// Counts of a tenant's users by kind (purged users are gone and not counted).
    pub fn user_counts(&self, t: TenantIdx) -> UserCounts {
        let mut counts = UserCounts::default();
        for u in self.tenant(t).dir.users.iter().filter(|u| u.exists()) {
            if u.deleted.is_some() {
                counts.soft_deleted += 1;
            } else if u.is_internal() {
                counts.internal += 1;
            } else if u.is_guest() {
                counts.external_guests += 1;
            } else {
                counts.external_members += 1;
            }
        }
        counts
    }

    /// A tenant's directory: every user that exists, in directory order.
    pub fn directory_view(&self, t: TenantIdx) -> DirectoryView {
        let ts = self.tenant(t);
        let dir = &ts.dir;
        let users = dir
            .users
            .iter()
            .filter(|u| u.exists())
            .map(|u| {
                let kind = match (u.is_internal(), u.is_guest()) {
                    (true, false) => "internal member",
                    (true, true) => "internal guest",
                    (false, false) => "external member",
                    (false, true) => "external guest",
                };
                let state = match u.deleted {
                    Some(d) => format!(
                        "soft deleted (tick {}, by {})",
                        d.at_tick,
                        match d.by {
                            DeletedBy::Admin => "an admin".to_string(),
                            DeletedBy::Sync(j) => format!("sync job {}", self.job(j).config.id),
                        }
                    ),
                    None if u.account_enabled() => "active".into(),
                    None => "sign-in blocked".into(),
                };
                let home = u.external.as_ref().and_then(|h| {
                    let ht = h.tenant?;
                    let hu = h.user?;
                    let home_id = self.tenant(ht).dir.user(hu).local_id.clone()?;
                    Some(format!("{}/{home_id}", self.tenant(ht).id))
                });
                let attributes = crate::sort::collect_map(
                    u.attrs
                        .iter()
                        .filter(|(id, _)| {
                            *id != super::attrs::known::USER_PRINCIPAL_NAME
                                && *id != super::attrs::known::DISPLAY_NAME
                        })
                        .map(|(id, v)| (self.names.name(id).to_string(), v.to_string())),
                );
                UserView {
                    object_id: u.object_id.to_string(),
                    id: u.local_id.as_deref().map(str::to_string),
                    user_principal_name: u.upn().to_string(),
                    display_name: (!u.display_name().is_empty())
                        .then(|| u.display_name().to_string()),
                    kind: kind.into(),
                    state,
                    home,
                    manager: u.manager.map(|m| dir.user(m).upn().to_string()),
                    created_by_job: u.created_by.map(|j| self.job(j).config.id.clone()),
                    attributes,
                }
            })
            .collect();
        DirectoryView {
            tenant: ts.id.to_string(),
            display_name: ts.display_name.clone(),
            tenant_id: ts.tenant_id.to_string(),
            initial_domain: ts.initial_domain.clone(),
            users,
            counts: self.user_counts(t),
        }
    }
}
