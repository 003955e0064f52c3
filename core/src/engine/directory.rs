//! A tenant's directory at run time: users (internal and external), groups with their direct
//! members, the recycle bin, and the change journal that incremental sync cycles read.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
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

/// What [`Directory::warm_user`] reads, from the farthest ahead to the nearest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarmStage {
    User,
    Values,
    Texts,
}

/// A user at run time.
#[derive(Debug, Clone)]
pub struct DirUser {
    pub object_id: Arc<str>,
    /// The scenario id for users the scenario or a command named; `None` for accounts sync created.
    pub local_id: Option<Arc<str>>,
    /// Change attributes of a user in a directory only through [`Directory::set_attr`] or
    /// [`Directory::write_attr`]: they keep the directory's address index up to date.
    pub attrs: Attrs,
    /// After changing it, call [`Directory::reindex_home`]: the `alternativeSecurityIds` index
    /// follows it.
    pub external: Option<ExternalHome>,
    pub manager: Option<UserIdx>,
    pub sms_sign_in_enabled: bool,
    /// Change only through [`Directory::soft_delete`] and [`Directory::restore`]: they keep the
    /// directory's recycle bin up to date.
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

    /// The UPN as [`upn`](Self::upn) reads it, sharing the stored text rather than copying it:
    /// every log entry keeps one.
    pub fn upn_shared(&self) -> Arc<str> {
        self.shared_text(known::USER_PRINCIPAL_NAME)
    }

    /// The display name as [`display_name`](Self::display_name) reads it, shared.
    pub fn display_name_shared(&self) -> Arc<str> {
        self.shared_text(known::DISPLAY_NAME)
    }

    fn shared_text(&self, id: AttrId) -> Arc<str> {
        match self.attrs.get(id) {
            Some(AttrValue::Str(s)) => s.clone(),
            _ => Arc::from(""),
        }
    }

    /// `mail` as [`mail`](Self::mail) reads it, shared.
    pub fn mail_shared(&self) -> Option<Arc<str>> {
        match self.attrs.get(known::MAIL) {
            Some(AttrValue::Str(s)) => Some(s.clone()),
            _ => None,
        }
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
    /// Redeemed external accounts by a hash of their home (tenant GUID, objectId), in the order
    /// in which they got it: the `alternativeSecurityIds` index. Hashing spares each create a
    /// dozen comparisons of GUID strings; a hash may collide, so lookups check the home itself.
    by_home: HashIndex,
    /// Users by the addresses they hold (`mail` and `proxyAddresses`), by hash of the address in
    /// ASCII lower case: the invitation manager's lookup by address on every create would
    /// otherwise scan the whole directory. A hash may collide, so callers check the address
    /// itself; each hash's users are kept in index order, as a scan would find them.
    by_address: HashIndex,
    /// Soft-deleted users that are not purged yet, so that emptying the recycle bin each tick
    /// does not look at every user.
    recycle_bin: BTreeSet<UserIdx>,
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

    /// Warms the memory that processing user `u` reads, `stage` steps ahead of it, so that a
    /// cycle waits for a user's scattered memory once rather than for each piece in turn. Stage
    /// [`WarmStage::User`] reads the user's own record, [`WarmStage::Values`] the lines of its
    /// values (found through the record), [`WarmStage::Texts`] the texts a sync reads (found
    /// through the values): each stage only follows pointers an earlier one brought in.
    /// Changes nothing, and what it returns means nothing; callers pass it to
    /// `std::hint::black_box` so that the reads happen.
    pub fn warm_user(&self, u: UserIdx, stage: WarmStage) -> u32 {
        let Some(user) = self.users.get(u as usize) else {
            return 0;
        };
        match stage {
            WarmStage::User => u32::from(user.sms_sign_in_enabled),
            WarmStage::Values => user.attrs.warm(),
            WarmStage::Texts => {
                user.attrs.warm_texts(&[
                    known::USER_PRINCIPAL_NAME,
                    known::DISPLAY_NAME,
                    known::MAIL,
                ]) + user
                    .object_id
                    .as_bytes()
                    .first()
                    .copied()
                    .map_or(0, u32::from)
            }
        }
    }

    /// A user to change directly. Attributes and deletion have their own methods, which keep the
    /// directory's indexes up to date (see the fields of [`DirUser`]).
    pub fn user_mut(&mut self, idx: UserIdx) -> &mut DirUser {
        &mut self.users[idx as usize]
    }

    /// External accounts (not purged) whose home is the given tenant GUID and objectId: the
    /// accounts `alternativeSecurityIds` matches. Unredeemed invitations are not among them.
    pub fn accounts_with_home(&self, tenant_id: &str, object_id: &str) -> Vec<UserIdx> {
        let hash = home_hash(tenant_id, object_id);
        self.by_home
            .get(hash)
            .iter()
            .copied()
            .filter(|u| {
                let user = self.user(*u);
                user.exists()
                    && user.external.as_ref().is_some_and(|home| {
                        home.state == ExternalUserState::Accepted
                            && *home.tenant_id == *tenant_id
                            && *home.object_id == *object_id
                    })
            })
            .collect()
    }

    /// Users who may hold `address` as `mail` or as a proxy address (with or without its `smtp:`
    /// prefix), compared ignoring ASCII case, in index order. Some may not (hashes collide): the
    /// caller checks the address itself, so the result is what a scan of every user would find.
    pub fn users_with_address(
        &self,
        address: &str,
    ) -> std::iter::Copied<std::slice::Iter<'_, UserIdx>> {
        self.by_address.get(address_hash(address)).iter().copied()
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
        if let Some(hash) = matchable_home_hash(&user) {
            self.by_home.push(hash, idx);
        }
        for_each_address(&user.attrs, |hash| {
            self.by_address.insert_ordered(hash, idx);
        });
        if user.exists() && user.deleted.is_some() {
            self.recycle_bin.insert(idx);
        }
        self.users.push(user);
        self.record(idx, ChangeKind::Created);
        Ok(idx)
    }

    /// Makes room for `additional` more users (a cycle about to create them), in the vector and
    /// in the indexes each new account enters, rather than growing them step by step.
    pub fn reserve_users(&mut self, additional: usize) {
        self.users.reserve(additional);
        self.by_home.reserve(additional);
        self.by_address.reserve(additional);
        self.journal.reserve(additional);
    }

    /// Re-indexes a user whose external home was set after it was added (a redeemed invitation).
    pub fn reindex_home(&mut self, user: UserIdx) {
        self.by_home.remove_everywhere(user);
        if let Some(hash) = matchable_home_hash(self.user(user)) {
            self.by_home.push(hash, user);
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
        if self.user(user).attrs.get(id) == value.as_ref() {
            return false;
        }
        self.write_attr(user, id, value);
        let kind = if id == known::ACCOUNT_ENABLED {
            ChangeKind::AccountEnabled
        } else {
            ChangeKind::Attributes(vec![id])
        };
        self.record(user, kind);
        true
    }

    /// Writes an attribute without recording a change (what sync writes into a target); returns
    /// the previous value.
    pub fn write_attr(
        &mut self,
        user: UserIdx,
        id: AttrId,
        value: Option<AttrValue>,
    ) -> Option<AttrValue> {
        let is_address = id == known::MAIL || id == known::PROXY_ADDRESSES;
        let attrs = &mut self.users[user as usize].attrs;
        if !is_address {
            return attrs.set(id, value);
        }
        let by_address = &mut self.by_address;
        for_each_address(attrs, |hash| {
            by_address.remove(hash, user);
        });
        let before = attrs.set(id, value);
        for_each_address(attrs, |hash| {
            by_address.insert_ordered(hash, user);
        });
        before
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
        self.recycle_bin.insert(user);
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
        self.recycle_bin.remove(&user);
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
        self.recycle_bin.remove(&user);
        self.record(user, ChangeKind::Purged);
        true
    }

    /// Users whose recycle-bin time is over at `tick`.
    pub fn recycle_bin_expired(&self, tick: Tick) -> Vec<UserIdx> {
        let days = RECYCLE_BIN_DAYS * crate::clock::TICKS_PER_DAY;
        self.recycle_bin
            .iter()
            .copied()
            .filter(|u| {
                let user = self.user(*u);
                user.exists() && user.deleted.is_some_and(|d| tick >= d.at_tick + days)
            })
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

/// Users by a 64-bit hash (of an address, of a home): a hash map whose keys are hashes already,
/// with the users of each hash in a list. Lookups and inserts cost the same however large the
/// directory grows, unlike an ordered set of (hash, user) pairs.
///
/// A map entry is 16 bytes, so that a large directory's index stays small enough for the cache:
/// a create inserts at a random place of it, and with 32-byte entries (a vector in each) that
/// insert was a cache miss most of the time. The rare hashes with several users keep them in
/// `lists`.
#[derive(Debug, Clone, Default)]
struct HashIndex {
    map: HashMap<u64, Slot, BuildHasherDefault<PrehashedHasher>>,
    /// The users of the hashes that have several, by [`Slot::Many`] number.
    lists: Vec<Vec<UserIdx>>,
    /// Numbers of `lists` no hash uses any more, to reuse.
    free: Vec<u32>,
}

/// The users of one hash: almost always one.
#[derive(Debug, Clone, Copy)]
enum Slot {
    One(UserIdx),
    /// Several, in `lists`.
    Many(u32),
}

impl HashIndex {
    fn get(&self, hash: u64) -> &[UserIdx] {
        match self.map.get(&hash) {
            None => &[],
            Some(Slot::One(u)) => std::slice::from_ref(u),
            Some(Slot::Many(list)) => &self.lists[*list as usize],
        }
    }

    fn reserve(&mut self, additional: usize) {
        self.map.reserve(additional);
    }

    /// A new list for a hash with several users.
    fn new_list(lists: &mut Vec<Vec<UserIdx>>, free: &mut Vec<u32>, users: Vec<UserIdx>) -> Slot {
        match free.pop() {
            Some(list) => {
                lists[list as usize] = users;
                Slot::Many(list)
            }
            None => {
                lists.push(users);
                Slot::Many(u32::try_from(lists.len() - 1).expect("fewer than 2^32 lists"))
            }
        }
    }

    /// Adds `user` under `hash` after the users already there.
    fn push(&mut self, hash: u64, user: UserIdx) {
        let HashIndex { map, lists, free } = self;
        match map.entry(hash) {
            Entry::Vacant(entry) => {
                entry.insert(Slot::One(user));
            }
            Entry::Occupied(mut entry) => match *entry.get() {
                Slot::One(first) => {
                    *entry.get_mut() = Self::new_list(lists, free, vec![first, user]);
                }
                Slot::Many(list) => lists[list as usize].push(user),
            },
        }
    }

    /// Adds `user` under `hash` in index order, unless it is there already.
    fn insert_ordered(&mut self, hash: u64, user: UserIdx) {
        let HashIndex { map, lists, free } = self;
        match map.entry(hash) {
            Entry::Vacant(entry) => {
                entry.insert(Slot::One(user));
            }
            Entry::Occupied(mut entry) => match *entry.get() {
                Slot::One(first) if first == user => {}
                Slot::One(first) => {
                    let users = vec![first.min(user), first.max(user)];
                    *entry.get_mut() = Self::new_list(lists, free, users);
                }
                Slot::Many(list) => {
                    let users = &mut lists[list as usize];
                    if let Err(at) = users.binary_search(&user) {
                        users.insert(at, user);
                    }
                }
            },
        }
    }

    /// Removes `user` from under `hash`, if it is there.
    fn remove(&mut self, hash: u64, user: UserIdx) {
        match self.map.get(&hash).copied() {
            Some(Slot::One(u)) if u == user => {
                self.map.remove(&hash);
            }
            None | Some(Slot::One(_)) => {}
            Some(Slot::Many(list)) => {
                let users = &mut self.lists[list as usize];
                users.retain(|u| *u != user);
                match *users.as_slice() {
                    [] => {
                        self.map.remove(&hash);
                    }
                    [one] => {
                        self.map.insert(hash, Slot::One(one));
                    }
                    _ => return,
                }
                self.lists[list as usize] = Vec::new();
                self.free.push(list);
            }
        }
    }

    /// Removes `user` from under every hash (its old hash is no longer known).
    fn remove_everywhere(&mut self, user: UserIdx) {
        let hashes: Vec<u64> = self
            .map
            .keys()
            .copied()
            .filter(|hash| self.get(*hash).contains(&user))
            .collect();
        for hash in hashes {
            self.remove(hash, user);
        }
    }
}

/// The hasher of a [`HashIndex`]: its keys are hashes already, so it only spreads their
/// bits (deterministically: no random seed).
#[derive(Debug, Default)]
struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        let x = self.0 ^ (self.0 >> 31);
        x.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Calls `f` with the hash of every address a user's attributes hold: `mail`, each proxy address,
/// and each proxy address without its prefix (`smtp:a@b` is found as `a@b` too).
fn for_each_address(attrs: &Attrs, mut f: impl FnMut(u64)) {
    for id in [known::MAIL, known::PROXY_ADDRESSES] {
        let values: &[Arc<str>] = match attrs.get(id) {
            Some(AttrValue::Str(s)) => std::slice::from_ref(s),
            Some(AttrValue::List(items)) => items,
            Some(AttrValue::Bool(_)) | None => &[],
        };
        for value in values {
            f(address_hash(value));
            if let Some((_, address)) = value.split_once(':') {
                f(address_hash(address));
            }
        }
    }
}

/// The hash of an address in ASCII lower case: addresses equal ignoring ASCII case hash alike.
fn address_hash(address: &str) -> u64 {
    hash_bytes(HASH_SEED, address.as_bytes(), true)
}

/// The hash of the home an account is matched by: redeemed external accounts only, as an
/// unredeemed invitation has no alternativeSecurityIds yet.
fn matchable_home_hash(user: &DirUser) -> Option<u64> {
    user.external
        .as_ref()
        .filter(|home| home.state == ExternalUserState::Accepted)
        .map(|home| home_hash(&home.tenant_id, &home.object_id))
}

/// The hash of an external account's home: its tenant GUID, then its objectId.
fn home_hash(tenant_id: &str, object_id: &str) -> u64 {
    let tenant = hash_bytes(HASH_SEED, tenant_id.as_bytes(), false);
    hash_bytes(tenant, object_id.as_bytes(), false)
}

const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// Hashes `bytes` (in ASCII lower case with `lower`) into `hash`, eight bytes at a time — a
/// create hashes a 73-byte home and an address, byte by byte a measurable part of its cost —
/// and then their length, so that consecutive fields cannot run into each other. Deterministic:
/// no random seed, the same natively and in wasm32.
fn hash_bytes(mut hash: u64, bytes: &[u8], lower: bool) -> u64 {
    let mut mix = |word: [u8; 8]| {
        let mut word = u64::from_le_bytes(word);
        if lower {
            word = ascii_lowercase_word(word);
        }
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        mix(word);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // The last bytes, zero-padded, built in a register: copying them into a zeroed array
        // and reading it back as one word stalled on the store (a partial copy cannot forward
        // to the wider load), which was a tenth of a large initial cycle.
        let word = rest
            .iter()
            .rev()
            .fold(0u64, |word, byte| (word << 8) | u64::from(*byte));
        mix(word.to_le_bytes());
    }
    mix((bytes.len() as u64).to_le_bytes());
    hash
}

/// Eight bytes in ASCII lower case at once, as `make_ascii_lowercase` gives them: a byte from
/// `A` to `Z` gets the 0x20 bit; every other byte (other ASCII, the bytes of other UTF-8
/// characters) stays as it is. No byte's sum carries into the next one.
fn ascii_lowercase_word(word: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let ascii = !word & HIGH;
    let low7 = word & !HIGH;
    // The high bit of each byte: at least `A` (0x41), and above `Z` (0x5a).
    let at_least_a = low7 + 0x3f3f_3f3f_3f3f_3f3f;
    let above_z = low7 + 0x2525_2525_2525_2525;
    let upper = ascii & at_least_a & !above_z;
    word | (upper >> 2)
}

/// A direct member of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    User(UserIdx),
    Group(GroupIdx),
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The last bytes of a text hash as the zero-padded little-endian word they form.
    #[test]
    fn the_tail_of_a_text_hashes_as_a_zero_padded_word() {
        fn reference(mut hash: u64, bytes: &[u8]) -> u64 {
            for chunk in bytes.chunks(8) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word))
                    .wrapping_mul(0x517c_c1b7_2722_0a95);
            }
            (hash.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(0x517c_c1b7_2722_0a95)
        }
        let text = b"adele.vance@contoso.onmicrosoft.com";
        for len in 0..text.len() {
            assert_eq!(
                hash_bytes(HASH_SEED, &text[..len], false),
                reference(HASH_SEED, &text[..len]),
                "{len} bytes"
            );
        }
    }

    fn user(mail: Option<&str>, external: Option<ExternalHome>) -> DirUser {
        let mut attrs = Attrs::default();
        attrs.set(known::MAIL, mail.map(AttrValue::str));
        DirUser {
            object_id: Arc::from("00000000-0000-4000-8000-000000000000"),
            local_id: None,
            attrs,
            external,
            manager: None,
            sms_sign_in_enabled: false,
            deleted: None,
            purged_at: None,
            created_by: None,
            member_of: BTreeSet::new(),
        }
    }

    fn home(object_id: &str, state: ExternalUserState) -> ExternalHome {
        ExternalHome {
            tenant_id: Arc::from("tenant"),
            object_id: Arc::from(object_id),
            tenant: None,
            user: None,
            state,
        }
    }

    fn found(dir: &Directory, address: &str) -> Vec<UserIdx> {
        dir.users_with_address(address).collect()
    }

    #[test]
    fn the_address_index_follows_mail_and_proxy_addresses() {
        let mut dir = Directory::default();
        let a = dir.add_user(user(Some("Adele@Contoso.com"), None)).unwrap();
        let b = dir.add_user(user(None, None)).unwrap();
        assert_eq!(found(&dir, "adele@contoso.com"), vec![a]);
        let proxies = AttrValue::List(Arc::from(vec![
            Arc::from("SMTP:alex@contoso.com"),
            Arc::from("smtp:adele@contoso.com"),
        ]));
        dir.set_attr(b, known::PROXY_ADDRESSES, Some(proxies));
        assert_eq!(found(&dir, "ADELE@contoso.com"), vec![a, b]);
        assert_eq!(found(&dir, "alex@contoso.com"), vec![b]);
        assert_eq!(found(&dir, "smtp:alex@contoso.com"), vec![b]);
        // Sync writes into a target without a journal entry; the index follows all the same.
        dir.write_attr(
            a,
            known::MAIL,
            Some(AttrValue::str("adele.vance@contoso.com")),
        );
        assert_eq!(found(&dir, "adele@contoso.com"), vec![b]);
        assert_eq!(found(&dir, "adele.vance@contoso.com"), vec![a]);
        dir.set_attr(b, known::PROXY_ADDRESSES, None);
        assert!(found(&dir, "alex@contoso.com").is_empty());
    }

    #[test]
    fn words_are_lowered_as_each_byte_would_be() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'Q', 0xc3, b'z', b'@', 0x9f, b'A', b'[', b'`'];
                bytes[lane] = b;
                let mut expected = bytes;
                expected.make_ascii_lowercase();
                assert_eq!(
                    ascii_lowercase_word(u64::from_le_bytes(bytes)).to_le_bytes(),
                    expected,
                    "byte {b:#04x} in lane {lane}"
                );
            }
        }
        assert_eq!(
            address_hash("Adele.Vance@Contoso.COM"),
            address_hash("adele.vance@contoso.com")
        );
        assert_ne!(
            address_hash("adele@contoso.com"),
            address_hash("adele@contoso.co")
        );
    }

    #[test]
    fn the_recycle_bin_holds_soft_deleted_users_until_purged_or_restored() {
        let mut dir = Directory::default();
        let a = dir.add_user(user(None, None)).unwrap();
        let b = dir.add_user(user(None, None)).unwrap();
        let days = RECYCLE_BIN_DAYS * crate::clock::TICKS_PER_DAY;
        dir.soft_delete(b, 10, DeletedBy::Admin);
        dir.soft_delete(a, 20, DeletedBy::Admin);
        assert!(dir.recycle_bin_expired(10 + days - 1).is_empty());
        assert_eq!(dir.recycle_bin_expired(20 + days), vec![a, b]);
        dir.restore(a);
        dir.purge(b, 30);
        assert!(dir.recycle_bin_expired(20 + days).is_empty());
    }

    #[test]
    fn accounts_with_a_home_come_in_the_order_they_got_it() {
        let mut dir = Directory::default();
        let pending = dir
            .add_user(user(
                None,
                Some(home("o1", ExternalUserState::PendingAcceptance)),
            ))
            .unwrap();
        let accepted = dir
            .add_user(user(None, Some(home("o1", ExternalUserState::Accepted))))
            .unwrap();
        dir.add_user(user(None, Some(home("o2", ExternalUserState::Accepted))))
            .unwrap();
        assert_eq!(dir.accounts_with_home("tenant", "o1"), vec![accepted]);
        // Redeeming the invitation makes it matchable, after the account that had the home first.
        dir.user_mut(pending).external = Some(home("o1", ExternalUserState::Accepted));
        dir.reindex_home(pending);
        assert_eq!(
            dir.accounts_with_home("tenant", "o1"),
            vec![accepted, pending]
        );
        dir.purge(accepted, 5);
        assert_eq!(dir.accounts_with_home("tenant", "o1"), vec![pending]);
        assert!(dir.accounts_with_home("tenant", "o3").is_empty());
    }
}
