//! A tenant's directory at run time: users (internal and external), groups with their direct
//! members, the recycle bin, and the change journal that incremental sync cycles read.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::attrs::{known, AttrId, AttrValue, Attrs};
use crate::clock::Tick;
use crate::scenario::ExternalUserState;

/// Index of a user in its tenant's directory. Users are never removed from the vector (a purged
/// user is marked), so indexes stay valid for the whole simulation.
pub type UserIdx = u32;
/// Index of a group in its tenant's directory.
pub type GroupIdx = u32;
/// Index of a tenant in the simulation.
pub type TenantIdx = u16;
/// Index of a sync job in the simulation.
pub type JobIdx = u16;

/// Days a soft-deleted user stays in the recycle bin before the directory deletes it for good.
pub const RECYCLE_BIN_DAYS: u64 = 30;

/// The largest directory a scenario may grow: a bound that keeps every loop finite in a browser tab.
pub const MAX_USERS_PER_TENANT: usize = 250_000;

/// Who soft deleted a user: decides whether sync may restore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletedBy {
    /// A directory admin (or, in a source tenant, the organization itself).
    Admin,
    /// Cross-tenant synchronization, by the given job.
    Sync(JobIdx),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deletion {
    pub at_tick: Tick,
    pub by: DeletedBy,
}

/// The home of an external (B2B) account: what `alternativeSecurityIds` encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalHome {
    /// The home tenant's GUID.
    pub tenant_id: Arc<str>,
    /// The home user's objectId.
    pub object_id: Arc<str>,
    /// The home tenant's index when it is part of the simulation.
    pub tenant: Option<TenantIdx>,
    /// The home user's index in the home tenant when it is part of the simulation.
    pub user: Option<UserIdx>,
    pub state: ExternalUserState,
}

/// A user at run time.
#[derive(Debug, Clone)]
pub struct DirUser {
    pub object_id: Arc<str>,
    /// The scenario id for users the scenario or a command named; `None` for accounts sync created.
    pub local_id: Option<Arc<str>>,
    pub attrs: Attrs,
    pub external: Option<ExternalHome>,
    pub manager: Option<UserIdx>,
    pub sms_sign_in_enabled: bool,
    pub deleted: Option<Deletion>,
    /// Hard deleted: gone from the directory for good.
    pub purged_at: Option<Tick>,
    /// The job that created this account, for accounts created by cross-tenant sync.
    pub created_by: Option<JobIdx>,
    /// Groups this user is a direct member of.
    pub member_of: BTreeSet<GroupIdx>,
}

impl DirUser {
    pub fn exists(&self) -> bool {
        self.purged_at.is_none()
    }

    pub fn is_active(&self) -> bool {
        self.exists() && self.deleted.is_none()
    }

    pub fn account_enabled(&self) -> bool {
        self.attrs
            .get(known::ACCOUNT_ENABLED)
            .and_then(AttrValue::as_bool)
            .unwrap_or(true)
    }

    pub fn upn(&self) -> &str {
        self.attrs
            .get(known::USER_PRINCIPAL_NAME)
            .and_then(AttrValue::as_str)
            .unwrap_or("")
    }

    pub fn display_name(&self) -> &str {
        self.attrs
            .get(known::DISPLAY_NAME)
            .and_then(AttrValue::as_str)
            .unwrap_or("")
    }

    pub fn mail(&self) -> Option<&str> {
        self.attrs.get(known::MAIL).and_then(AttrValue::as_str)
    }

    /// `userType` as stored (Member unless set otherwise).
    pub fn is_guest(&self) -> bool {
        self.attrs
            .get(known::USER_TYPE)
            .and_then(AttrValue::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("Guest"))
    }

    /// An internal user: not a B2B account from another tenant.
    pub fn is_internal(&self) -> bool {
        self.external.is_none()
    }
}

/// A group with its direct members.
#[derive(Debug, Clone)]
pub struct DirGroup {
    pub id: Arc<str>,
    pub display_name: String,
    pub security_enabled: bool,
    pub member_users: BTreeSet<UserIdx>,
    pub member_groups: BTreeSet<GroupIdx>,
}

/// What changed about a user, as the change journal records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Attributes(Vec<AttrId>),
    AccountEnabled,
    Deleted,
    Restored,
    Purged,
    Manager,
    Membership(GroupIdx),
    SmsSignIn,
}

/// One journal entry: change number `seq` touched `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: u64,
    pub user: UserIdx,
    pub kind: ChangeKind,
}

/// Everything that changed about one user since a watermark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChanges {
    pub attributes: BTreeSet<AttrId>,
    pub lifecycle: bool,
    pub membership: bool,
    pub manager: bool,
}

/// A tenant's directory.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub users: Vec<DirUser>,
    pub groups: Vec<DirGroup>,
    by_local_id: BTreeMap<Arc<str>, UserIdx>,
    group_by_id: BTreeMap<Arc<str>, GroupIdx>,
    /// External accounts by their home (tenant GUID, objectId): the `alternativeSecurityIds` index.
    by_home: BTreeMap<(Arc<str>, Arc<str>), Vec<UserIdx>>,
    journal: Vec<Change>,
    next_seq: u64,
}

impl Directory {
    /// The sequence number the next change will get; a job's watermark is a value of this.
    pub fn seq(&self) -> u64 {
        self.next_seq
    }

    pub fn user_by_local_id(&self, id: &str) -> Option<UserIdx> {
        self.by_local_id.get(id).copied()
    }

    pub fn group_by_id(&self, id: &str) -> Option<GroupIdx> {
        self.group_by_id.get(id).copied()
    }

    pub fn user(&self, idx: UserIdx) -> &DirUser {
        &self.users[idx as usize]
    }

    pub fn user_mut(&mut self, idx: UserIdx) -> &mut DirUser {
        &mut self.users[idx as usize]
    }

    /// External accounts (not purged) whose home is the given tenant GUID and objectId: the
    /// accounts `alternativeSecurityIds` matches. Unredeemed invitations are not among them.
    pub fn accounts_with_home(&self, tenant_id: &str, object_id: &str) -> Vec<UserIdx> {
        self.by_home
            .get(&(Arc::from(tenant_id), Arc::from(object_id)))
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|u| self.user(*u).exists())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Adds a user; fails when the directory is at its size bound.
    pub fn add_user(&mut self, user: DirUser) -> Result<UserIdx, String> {
        if self.users.len() >= MAX_USERS_PER_TENANT {
            return Err(format!(
                "the directory already holds {MAX_USERS_PER_TENANT} users, the most ctsync simulates"
            ));
        }
        let idx = self.users.len() as UserIdx;
        if let Some(id) = &user.local_id {
            self.by_local_id.insert(id.clone(), idx);
        }
        // An unredeemed invitation has no alternativeSecurityIds yet: it is not matchable.
        if let Some(home) = user
            .external
            .as_ref()
            .filter(|h| h.state == ExternalUserState::Accepted)
        {
            self.by_home
                .entry((home.tenant_id.clone(), home.object_id.clone()))
                .or_default()
                .push(idx);
        }
        self.users.push(user);
        self.record(idx, ChangeKind::Created);
        Ok(idx)
    }

    /// Re-indexes a user whose external home was set after it was added (a redeemed invitation).
    pub fn reindex_home(&mut self, user: UserIdx) {
        for list in self.by_home.values_mut() {
            list.retain(|u| *u != user);
        }
        if let Some(home) = self.users[user as usize]
            .external
            .as_ref()
            .filter(|h| h.state == ExternalUserState::Accepted)
        {
            self.by_home
                .entry((home.tenant_id.clone(), home.object_id.clone()))
                .or_default()
                .push(user);
        }
    }

    pub fn add_group(&mut self, group: DirGroup) -> GroupIdx {
        let idx = self.groups.len() as GroupIdx;
        self.group_by_id.insert(group.id.clone(), idx);
        self.groups.push(group);
        idx
    }

    /// Appends a journal entry for `user`.
    pub fn record(&mut self, user: UserIdx, kind: ChangeKind) {
        self.journal.push(Change {
            seq: self.next_seq,
            user,
            kind,
        });
        self.next_seq += 1;
    }

    /// Sets an attribute; records a change only when the value really changes.
    pub fn set_attr(&mut self, user: UserIdx, id: AttrId, value: Option<AttrValue>) -> bool {
        let u = self.user_mut(user);
        let before = u.attrs.get(id).cloned();
        if before == value {
            return false;
        }
        u.attrs.set(id, value);
        let kind = if id == known::ACCOUNT_ENABLED {
            ChangeKind::AccountEnabled
        } else {
            ChangeKind::Attributes(vec![id])
        };
        self.record(user, kind);
        true
    }

    /// Adds or removes a direct member; records a membership change for user members.
    pub fn set_membership(&mut self, group: GroupIdx, member: Member, add: bool) -> bool {
        let g = &mut self.groups[group as usize];
        let changed = match member {
            Member::User(u) => {
                if add {
                    g.member_users.insert(u)
                } else {
                    g.member_users.remove(&u)
                }
            }
            Member::Group(sub) => {
                if add {
                    g.member_groups.insert(sub)
                } else {
                    g.member_groups.remove(&sub)
                }
            }
        };
        if changed {
            if let Member::User(u) = member {
                let user = self.user_mut(u);
                if add {
                    user.member_of.insert(group);
                } else {
                    user.member_of.remove(&group);
                }
                self.record(u, ChangeKind::Membership(group));
            }
        }
        changed
    }

    /// Soft deletes a user (to the recycle bin).
    pub fn soft_delete(&mut self, user: UserIdx, at_tick: Tick, by: DeletedBy) -> bool {
        let u = self.user_mut(user);
        if !u.is_active() {
            return false;
        }
        u.deleted = Some(Deletion { at_tick, by });
        self.record(user, ChangeKind::Deleted);
        true
    }

    /// Restores a soft-deleted user from the recycle bin.
    pub fn restore(&mut self, user: UserIdx) -> bool {
        let u = self.user_mut(user);
        if !u.exists() || u.deleted.is_none() {
            return false;
        }
        u.deleted = None;
        self.record(user, ChangeKind::Restored);
        true
    }

    /// Hard deletes a user: gone for good, also from every group.
    pub fn purge(&mut self, user: UserIdx, at_tick: Tick) -> bool {
        if !self.user(user).exists() {
            return false;
        }
        let groups: Vec<GroupIdx> = self.user(user).member_of.iter().copied().collect();
        for g in groups {
            self.groups[g as usize].member_users.remove(&user);
        }
        let u = self.user_mut(user);
        u.member_of.clear();
        u.purged_at = Some(at_tick);
        if let Some(id) = u.local_id.take() {
            self.by_local_id.remove(&id);
        }
        self.record(user, ChangeKind::Purged);
        true
    }

    /// Users whose recycle-bin time is over at `tick`.
    pub fn recycle_bin_expired(&self, tick: Tick) -> Vec<UserIdx> {
        let days = RECYCLE_BIN_DAYS * crate::clock::TICKS_PER_DAY;
        self.users
            .iter()
            .enumerate()
            .filter(|(_, u)| u.exists() && u.deleted.is_some_and(|d| tick >= d.at_tick + days))
            .map(|(i, _)| i as UserIdx)
            .collect()
    }

    /// Every user changed since `watermark` (exclusive of changes before it), with what changed.
    pub fn changes_since(&self, watermark: u64) -> BTreeMap<UserIdx, UserChanges> {
        let start = self.journal.partition_point(|c| c.seq < watermark);
        let mut out: BTreeMap<UserIdx, UserChanges> = BTreeMap::new();
        for change in &self.journal[start..] {
            let entry = out.entry(change.user).or_default();
            match &change.kind {
                ChangeKind::Attributes(ids) => entry.attributes.extend(ids.iter().copied()),
                ChangeKind::AccountEnabled => {
                    entry.attributes.insert(known::ACCOUNT_ENABLED);
                }
                ChangeKind::Created
                | ChangeKind::Deleted
                | ChangeKind::Restored
                | ChangeKind::Purged
                | ChangeKind::SmsSignIn => entry.lifecycle = true,
                ChangeKind::Manager => entry.manager = true,
                ChangeKind::Membership(_) => entry.membership = true,
            }
        }
        out
    }

    /// Drops journal entries every reader has seen (all watermarks are at or past `seq`).
    pub fn compact(&mut self, seq: u64) {
        let keep_from = self.journal.partition_point(|c| c.seq < seq);
        self.journal.drain(..keep_from);
    }

    pub fn journal_len(&self) -> usize {
        self.journal.len()
    }
}

/// A direct member of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    User(UserIdx),
    Group(GroupIdx),
}
