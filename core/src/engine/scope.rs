//! Scope: is a source user in scope of a job? An internal member, not deleted, passing Entra's
//! built-in "Filter external users" clause, assigned (directly, or as a *direct* member of an
//! assigned group — nested members are not), and passing the scoping filters.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::attrs::{known, AttrId, AttrValue};
use super::directory::{DirUser, GroupIdx, JobIdx, TenantIdx, UserIdx};
use super::event::{Assignment, Ineligible, ScopeResult};
use super::Simulation;
use crate::scenario::SyncScope;

/// What a job's assignments resolve to in its source directory, computed once per cycle.
#[derive(Debug, Clone, Default)]
pub struct AssignmentIndex {
    pub sync_all: bool,
    pub users: BTreeSet<UserIdx>,
    pub groups: BTreeSet<GroupIdx>,
    /// Groups nested (at any depth) inside an assigned group, with the assigned group they sit in.
    pub nested: BTreeMap<GroupIdx, GroupIdx>,
}

impl AssignmentIndex {
    pub fn assignment_of(&self, user: &DirUser, u: UserIdx) -> Assignment {
        if self.sync_all {
            return Assignment::SyncAll;
        }
        if self.users.contains(&u) {
            return Assignment::Direct;
        }
        if let Some(g) = user.member_of.iter().find(|g| self.groups.contains(g)) {
            return Assignment::Group(*g);
        }
        if let Some(root) = user.member_of.iter().find_map(|g| self.nested.get(g)) {
            return Assignment::NestedOnly(*root);
        }
        Assignment::NotAssigned
    }

    /// Users an initial cycle of a "Sync only assigned" job imports: assigned users and the
    /// direct members of assigned groups.
    pub fn imported_users(&self, sim: &Simulation, t: TenantIdx) -> BTreeSet<UserIdx> {
        crate::sort::collect_set(self.imported_user_list(sim, t))
    }

    /// The same users as [`imported_users`](Self::imported_users), in index order, as a vector:
    /// sorting one vector is much cheaper than inserting a large group's members into a set one
    /// by one.
    pub fn imported_user_list(&self, sim: &Simulation, t: TenantIdx) -> Vec<UserIdx> {
        let dir = &sim.tenant(t).dir;
        let members = |g: &GroupIdx| &dir.groups[*g as usize].member_users;
        let total = self.users.len() + self.groups.iter().map(|g| members(g).len()).sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend(self.users.iter().copied());
        for g in &self.groups {
            out.extend(members(g).iter().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Simulation {
    /// Resolves job `j`'s assignments against its source directory.
    pub fn assignment_index(&self, j: JobIdx) -> AssignmentIndex {
        let job = self.job(j);
        let dir = &self.tenant(job.source).dir;
        let mut index = AssignmentIndex {
            sync_all: job.effective_scope == SyncScope::All,
            ..AssignmentIndex::default()
        };
        for id in &job.config.assigned_users {
            if let Some(u) = dir.user_by_local_id(id) {
                index.users.insert(u);
            }
        }
        for id in &job.config.assigned_groups {
            if let Some(g) = dir.group_by_id(id) {
                index.groups.insert(g);
            }
        }
        for root in index.groups.clone() {
            let mut stack: Vec<GroupIdx> = dir.groups[root as usize]
                .member_groups
                .iter()
                .copied()
                .collect();
            let mut seen = BTreeSet::new();
            while let Some(g) = stack.pop() {
                if !seen.insert(g) {
                    continue;
                }
                if !index.groups.contains(&g) {
                    index.nested.entry(g).or_insert(root);
                }
                stack.extend(dir.groups[g as usize].member_groups.iter().copied());
            }
        }
        index
    }

    /// The value of attribute `attr` of source user `u` in tenant `t`, as the provisioning engine
    /// imports it: stored attributes plus the ones the directory computes (`objectId`, `netId`,
    /// `alternativeSecurityIds`, `IsSoftDeleted`, `appRoleAssignments`, `externalUserState`).
    pub fn source_value(
        &self,
        t: TenantIdx,
        u: UserIdx,
        attr: AttrId,
        assignment: Option<Assignment>,
    ) -> Option<AttrValue> {
        let user = self.tenant(t).dir.user(u);
        if !is_computed(attr) {
            return user.attrs.get(attr).cloned();
        }
        match attr {
            a if a == known::OBJECT_ID || a == known::NET_ID => {
                Some(AttrValue::Str(user.object_id.clone()))
            }
            a if a == known::ALTERNATIVE_SECURITY_IDS => {
                Some(AttrValue::Str(alternative_security_ids(user)))
            }
            a if a == known::IS_SOFT_DELETED => Some(AttrValue::Bool(
                user.deleted.is_some()
                    || !user.account_enabled()
                    || assignment.is_some_and(|a| !a.is_assigned()),
            )),
            a if a == known::APP_ROLE_ASSIGNMENTS => assignment
                .filter(|a| matches!(a, Assignment::Direct | Assignment::Group(_)))
                .map(|_| AttrValue::str("msiam_access")),
            a if a == known::EXTERNAL_USER_STATE => user.external.as_ref().map(|e| {
                AttrValue::str(match e.state {
                    crate::scenario::ExternalUserState::Accepted => "Accepted",
                    crate::scenario::ExternalUserState::PendingAcceptance => "PendingAcceptance",
                })
            }),
            a if a == known::MANAGER => user
                .manager
                .map(|m| AttrValue::Str(self.tenant(t).dir.user(m).object_id.clone())),
            _ => user.attrs.get(attr).cloned(),
        }
    }

    /// Evaluates scope for source user `u` of job `j`.
    pub fn evaluate_scope(&self, j: JobIdx, u: UserIdx, index: &AssignmentIndex) -> ScopeResult {
        let job = self.job(j);
        let t = job.source;
        let user = self.tenant(t).dir.user(u);
        let built_in_clause = user.is_internal() && !user.sms_sign_in_enabled;
        let ineligible = if user.deleted.is_some() || !user.exists() {
            Some(Ineligible::Deleted)
        } else if !user.is_internal() {
            Some(Ineligible::External)
        } else if user.sms_sign_in_enabled {
            Some(Ineligible::SmsSignIn)
        } else if user.is_guest() {
            Some(Ineligible::InternalGuest)
        } else {
            None
        };
        let assignment = index.assignment_of(user, u);
        let mut clauses = Vec::new();
        let mut any_filter_passed = job.filters.is_empty();
        for (f, filter) in job.filters.iter().enumerate() {
            let mut all = true;
            for (c, clause) in filter.clauses.iter().enumerate() {
                let value = self.source_value(t, u, clause.attr, Some(assignment));
                let result = clause.evaluate(value.as_ref());
                all &= result;
                clauses.push((f as u16, c as u16, result));
            }
            any_filter_passed |= all;
        }
        ScopeResult {
            ineligible,
            account_enabled: user.account_enabled(),
            assignment,
            built_in_clause,
            clauses,
            filters_passed: any_filter_passed,
            in_scope: ineligible.is_none() && assignment.is_assigned() && any_filter_passed,
        }
    }
}

/// Attributes the directory computes rather than stores (see [`Simulation::source_value`]).
pub fn is_computed(attr: AttrId) -> bool {
    attr == known::OBJECT_ID
        || attr == known::NET_ID
        || attr == known::ALTERNATIVE_SECURITY_IDS
        || attr == known::IS_SOFT_DELETED
        || attr == known::APP_ROLE_ASSIGNMENTS
        || attr == known::EXTERNAL_USER_STATE
        || attr == known::MANAGER
}

/// What an imported user's `alternativeSecurityIds` reads: `None` for an internal user, which is
/// what the built-in clause tests; an identity for external users and users with SMS sign-in.
fn alternative_security_ids(user: &DirUser) -> Arc<str> {
    if let Some(home) = &user.external {
        Arc::from(format!("(1 values) {}|{}", home.tenant_id, home.object_id).as_str())
    } else if user.sms_sign_in_enabled {
        Arc::from("(1 values) SMS sign-in")
    } else {
        Arc::from("None")
    }
}
